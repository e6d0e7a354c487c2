"""Ingest: sources in, ``Article`` records out; outlet and dateline detection."""

from .readers import read_file, read_sources, read_stdin

__all__ = ["read_file", "read_sources", "read_stdin"]
