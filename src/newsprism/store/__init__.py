"""Storage behind one interface (``base.Store``): SQLite by default, PostgreSQL by URL."""

import sqlite3
from pathlib import Path

from .base import Store, StoreError
from .lock import StoreBusy, writer_lock
from .postgres import PostgresStore, is_url
from .sqlite import SCHEMA_VERSION, SQLiteStore


def open_store(path: str = "newsprism.db", create: bool = True) -> Store:
    """Open (creating and migrating as needed) the store at ``path``: a file, or a
    PostgreSQL database named by its URL (``postgresql://USER@HOST:PORT/DB``).

    ``create`` False: a missing file (a database holding no store) is a ``StoreError``
    (what a command that only reads says), not a new empty store. A file SQLite cannot
    open, one that is not a database, or a server that cannot be reached is a
    ``StoreError`` naming the path or the URL (without its password) and the reason.
    """
    if is_url(path):
        return PostgresStore(path, create=create)
    if not create and path != ":memory:" and not Path(path).is_file():
        raise StoreError(f"{path}: no store there (newsprism analyze or newsprism ingest makes one)")
    try:
        return SQLiteStore(path)
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: cannot be opened as a store ({err})") from err


__all__ = ["SCHEMA_VERSION", "PostgresStore", "SQLiteStore", "Store", "StoreBusy", "StoreError", "open_store",
           "writer_lock"]
