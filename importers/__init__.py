"""File readers: one module per exchange format, each yielding neutral records."""
