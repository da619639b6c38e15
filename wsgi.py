"""WSGI entry point for gunicorn: `gunicorn wsgi:app` (needs TAMYR_SECRET_KEY)."""

from glossary import create_app

app = create_app()
