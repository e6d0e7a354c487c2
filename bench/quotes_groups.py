"""The quotation groups of each gold story of a corpus, and what a change does to them.

    .venv/bin/python bench/quotes_groups.py dump ../shared/corpora/allsides-dev.jsonl OUT.jsonl
    .venv/bin/python bench/quotes_groups.py diff BEFORE.jsonl AFTER.jsonl

``dump`` runs ``story_quotations`` (no reuse) over the articles of each gold story that more
than one outlet (or, undated and unnamed, more than one article) reports, and writes one line
a story: its groups' wordings, speaker, outlets and spans. Run it from two checkouts, then
``diff`` lists every group that is new or gone, to be read against the texts.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare.quotes import story_quotations  # noqa: E402
from newsprism.evaluate.stories import load_articles  # noqa: E402


def dump(corpus: Path, out: Path) -> None:
    labels = {}
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            labels[row["id"]] = row.get("story")
    stories = defaultdict(list)
    for a in load_articles(corpus):
        stories[labels.get(a.id)].append(a)
    with open(out, "w", encoding="utf-8") as fh:
        for story, members in sorted(stories.items(), key=lambda kv: str(kv[0])):
            if len({a.outlet or a.id for a in members}) < 2:
                continue
            groups = [{"texts": [v.text for v in g.variants], "speaker": g.speaker, "outlets": list(g.outlets),
                       "spans": sorted([a, s[0], s[1]] for v in g.variants for a, s in v.spans)}
                      for g in story_quotations(members, [])]
            fh.write(json.dumps({"story": str(story), "groups": groups}) + "\n")


def diff(before: Path, after: Path) -> None:
    def load(path):
        with open(path, encoding="utf-8") as fh:
            return {r["story"]: r["groups"] for r in map(json.loads, fh)}

    a, b = load(before), load(after)
    changed = n_a = n_b = 0
    for story in sorted(set(a) & set(b)):
        keys_a = {json.dumps(g["spans"]) for g in a[story]}
        keys_b = {json.dumps(g["spans"]) for g in b[story]}
        n_a, n_b = n_a + len(a[story]), n_b + len(b[story])
        if keys_a == keys_b:
            continue
        changed += 1
        print("==", story)
        for sign, groups, other in (("-", a[story], keys_b), ("+", b[story], keys_a)):
            for g in groups:
                if json.dumps(g["spans"]) not in other:
                    print(f"  {sign} {g['speaker']} {g['outlets']} {g['texts']}")
    print(f"stories compared {len(set(a) & set(b))}, changed {changed}; groups {n_a} -> {n_b}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("corpus", type=Path)
    d.add_argument("out", type=Path)
    f = sub.add_parser("diff")
    f.add_argument("before", type=Path)
    f.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.command == "dump":
        dump(args.corpus, args.out)
    else:
        diff(args.before, args.after)


if __name__ == "__main__":
    main()
