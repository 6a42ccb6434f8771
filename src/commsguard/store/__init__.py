"""Persistence: SQLAlchemy 2 tables, Alembic migrations, keyword-only CRUD functions."""
