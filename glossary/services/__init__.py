"""Use cases: all of Tamyr's logic lives here, views and commands only call it."""
