"""Storage behind one interface (``base.Store``): SQLite by default."""

import sqlite3
from pathlib import Path

from .base import Store
from .lock import StoreBusy, writer_lock
from .sqlite import SCHEMA_VERSION, SQLiteStore, StoreError


def open_store(path: str = "newsprism.db", create: bool = True) -> SQLiteStore:
    """Open (creating and migrating as needed) the store at ``path``.

    ``create`` False: a missing file is a ``StoreError`` (what a command that only
    reads says), not a new empty store. A file SQLite cannot open, or one that is not
    a database, is a ``StoreError`` naming the path and the reason.
    """
    if not create and path != ":memory:" and not Path(path).is_file():
        raise StoreError(f"{path}: no store there (newsprism analyze or newsprism ingest makes one)")
    try:
        return SQLiteStore(path)
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot be opened as a store ({err})") from err


__all__ = ["SCHEMA_VERSION", "SQLiteStore", "Store", "StoreBusy", "StoreError", "open_store", "writer_lock"]
