"""Opening a large store: the story desk rebuilt from the store, against the desk file beside it.

    .venv/bin/python bench/desk_open.py bench/results/stories-speed-1m.db [--json OUT]

The store is one ``bench/stories_speed.py`` filled (any store will do). Timed on the
wall clock, in this order: ``StoryDesk.restore`` over every assigned article (what
opening the store cost before the desk file: the baseline), writing the desk file
(``save_desk``, what each ``ingest`` adds at its end), and ``load_desk`` from the
file; then the two desks are checked to hold the same stories. The file is removed
afterwards unless ``--keep``. Peak RSS is the process's over the whole run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from machine import describe  # noqa: E402

from newsprism.store import open_store  # noqa: E402
from newsprism.store.desk_file import desk_path, load_desk, rebuild_desk, save_desk  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db")
    parser.add_argument("--json")
    parser.add_argument("--keep", action="store_true", help="leave the desk file beside the store")
    args = parser.parse_args()
    print(describe())
    print("load average at start:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    out: dict = {"db": args.db}
    with open_store(args.db) as store:
        path = desk_path(store)
        if path.exists():
            path.unlink()
        t = time.perf_counter()
        rebuilt = rebuild_desk(store)
        out["rebuild_s"] = round(time.perf_counter() - t, 2)
        out["articles"] = len(rebuilt.ids)
        print(f"rebuilt from the store: {out['articles']:,} articles in {out['rebuild_s']} s")
        t = time.perf_counter()
        save_desk(store, rebuilt)
        out["save_s"] = round(time.perf_counter() - t, 2)
        out["file_mb"] = round(path.stat().st_size / 1e6, 1)
        print(f"desk file written: {out['file_mb']:,} MB in {out['save_s']} s")
        stories = rebuilt.stories()
        del rebuilt
        t = time.perf_counter()
        loaded = load_desk(store)
        out["load_s"] = round(time.perf_counter() - t, 2)
        out["same_stories"] = loaded.stories() == stories
        out["speedup"] = round(out["rebuild_s"] / max(out["load_s"], 1e-9), 1)
        print(f"loaded from the file: {out['load_s']} s ({out['speedup']}x faster); same stories: {out['same_stories']}")
        if not args.keep:
            path.unlink()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak RSS {out['peak_rss_mb']:,} MB; load average at end:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
