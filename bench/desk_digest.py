"""A digest of every assignment the story desk makes on a replay: the check that a
change to the desk's code changed no story.

    .venv/bin/python bench/desk_digest.py [--articles 65000]

The corpora's articles (the files of ``bench/stories_speed.py``) are replayed as
there (new ids, dates shifted 400 days a replay), each with its original's
``story_features``, into a fresh ``StoryDesk``. Every assignment (article, story,
evidence, merges) goes into one SHA-1. Run it on two commits (a ``git worktree``
for the older one): the same digest means the same stories and the same evidence.
The desk's CPU time an article is printed too.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from stories_speed import CORPORA, FILES, load_articles, replayed  # noqa: E402

from newsprism.stories import StoryDesk, story_features  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=65_000)
    args = parser.parse_args()
    base = [a for f in FILES for a in load_articles(CORPORA / f)]
    features = {a.id: story_features(a) for a in base}
    desk = StoryDesk()
    digest = hashlib.sha1()
    start = time.thread_time()
    for a in replayed(base, args.articles):
        f = dict(features[a.id.split("-", 1)[1]], published=a.published)
        r = desk.assign(a.id, f, a.published)
        digest.update(json.dumps([r.article, r.story, r.evidence, r.merged], sort_keys=True).encode())
    ms = (time.thread_time() - start) / args.articles * 1000
    print(f"{args.articles:,} assignments, digest {digest.hexdigest()}; desk CPU {ms:.3f} ms an article")


if __name__ == "__main__":
    main()
