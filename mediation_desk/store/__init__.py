"""Persistence: SQLAlchemy models, engine setup, migrations, backups, the data-folder lock. No Qt."""
