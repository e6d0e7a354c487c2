"""Storage behind one interface: SQLite by default (PostgreSQL to come, same methods)."""

from .sqlite import SCHEMA_VERSION, SQLiteStore


def open_store(path: str = "newsprism.db") -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``path``."""
    return SQLiteStore(path)


__all__ = ["SCHEMA_VERSION", "SQLiteStore", "open_store"]
