"""When two values of one claim are taken to be about one thing: the comparison's settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """When two values of one key are taken to be about one thing (and so to differ)."""

    same_thing: float = 0.08  # Jaccard of the content words around the two numbers, at least
    window: int = 0  # words each side of the number that make its context; 0: its whole sentence
    one_value: bool = False  # only between articles that give one value for the key
    ratio: float = 5  # the larger value at most this many times the smaller (0: any)
    max_values: int = 0  # a key with more values than this in a story names a kind, not a thing
    list_of: int = 4  # an article giving this many values of one claim lists them (scores): never compared


DEFAULT = Settings()
