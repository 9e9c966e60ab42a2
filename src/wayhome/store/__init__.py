"""Persistence: SQLAlchemy tables, engine and session, Alembic migrations. Used only by services."""
