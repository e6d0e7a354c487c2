"""The story desk kept beside the store, so a large store opens in seconds.

Rebuilding the desk from the store (``StoryDesk.restore``) reads and weighs every
assigned article again, paid by every ``newsprism ingest`` before its first
article. So ``ingest`` writes the desk it ended with to ``<store>.desk`` (written
whole to a temporary file, then renamed over the old one), and the next run
starts from it, restoring only the articles assigned since.

The file is a cache, never the record: the store is. It is used only when it
still describes the store: the same format and desk code (the desk's settings,
``FEATURES_VERSION``, the fields of its state), the article it ended with still
stored; then the merges recorded since are applied and the articles assigned since
(by the web app's own desk, or a run that stopped early) restored on top, after
which the store must hold as many assigned articles as the desk, and the story of
the last one and of ``CHECKS`` others spread over the desk must be the store's.
Anything else and the desk is rebuilt from the store; a file that cannot be
written costs nothing but that time (``ingest`` warns and keeps what it stored).
The file is written only by the store's one writer (``store.lock``), holding its lock.
A store with no file (in memory, or on a PostgreSQL server) keeps no desk: it is rebuilt.
The file is a pickle: open it only as newsprism's own cache of your own store.
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from ..stories import DEFAULT, FEATURES_VERSION, Settings, StoryDesk
from .base import Store
from .lock import writer_lock
from .postgres import is_url

FORMAT = 3  # bumped when what the file holds changes


def desk_path(store: Store) -> Path | None:
    """Where the desk of this store is kept; None for a store with no file."""
    if store.path == ":memory:" or store.path.startswith("file:") or is_url(store.path):
        return None
    return Path(store.path + ".desk")


def _signature(desk: StoryDesk) -> dict:
    return {
        "format": FORMAT,
        "features": FEATURES_VERSION,
        "settings": dict(vars(desk.settings)),
        "fields": sorted(vars(desk)),
    }


def save_desk(store: Store, desk: StoryDesk) -> Path | None:
    """Write the desk beside the store (atomically); returns the path, or None when
    the store has no file or the desk holds nothing."""
    path = desk_path(store)
    if path is None or not desk.ids:
        return None
    tmp = path.with_name(path.name + ".tmp")
    with writer_lock(store.path):  # already held inside an ingest: the desk is the writer's
        head = {
            **_signature(desk),
            "articles": len(desk.ids),
            "last": desk.ids[-1],
            "merges": store.merge_count(),
        }
        try:
            with open(tmp, "wb") as fh:
                pickle.dump(head, fh, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(desk, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
    return path


CHECKS = 50  # articles, spread over the desk, whose story is checked against the store


def _from_file(store: Store, path: Path, settings: Settings) -> StoryDesk | None:
    """The desk in the file, brought up to date with the store (the merges made and
    the articles assigned since it was written); None when it does not describe
    this store, or was made with other ``settings``."""
    expected = _signature(StoryDesk(settings))
    with open(path, "rb") as fh:
        head = pickle.load(fh)
        if not isinstance(head, dict) or {k: head.get(k) for k in expected} != expected:
            return None
        last_seq = store.seq_of(head["last"])
        if last_seq is None or store.merge_count() < head["merges"]:
            return None
        desk = pickle.load(fh)
    if not isinstance(desk, StoryDesk) or len(desk.ids) != head["articles"]:
        return None
    desk.restore_merges((m["level"], m["merged"], m["into"], m["by_article"]) for m in store.merges(skip=head["merges"]))
    desk.restore(store.desk_rows(after=last_seq))
    if store.count_assigned() != len(desk.ids):
        return None
    step = max(1, len(desk.ids) // CHECKS)
    for article_id in [*desk.ids[::step], head["last"], desk.ids[-1]]:
        if (desk.story_of_article(article_id) != store.story_of(article_id)
                or desk.development_of_article(article_id) != store.development_of(article_id)):
            return None
    return desk


def load_desk(store: Store, settings: Settings = DEFAULT) -> StoryDesk:
    """The clustering state of the store: from the file beside it when that still
    describes the store, else rebuilt from the store's rows."""
    path = desk_path(store)
    if path is not None and path.exists():
        try:
            desk = _from_file(store, path, settings)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ModuleNotFoundError, ValueError,
                TypeError, KeyError):
            desk = None  # a damaged or foreign file: the store has everything
        if desk is not None:
            return desk
    return rebuild_desk(store, settings)


def rebuild_desk(store: Store, settings: Settings = DEFAULT) -> StoryDesk:
    """The clustering state rebuilt from every assigned article the store holds."""
    desk = StoryDesk(settings)
    desk.restore(store.desk_rows())
    return desk
