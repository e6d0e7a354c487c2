"""Attribution conflicts, read by eye: every conflict a report gives, with the text around
each side, and the checks of docs/decisions/quotations.md.

    # every conflict of a report (--no-run: also those the shared-run rule leaves out)
    .venv/bin/python bench/attribution_conflicts.py report /tmp/as/report.json [--no-run]
    # a PolNeAR split as article JSONL (outlet, date, title from metadata.tsv), for analyze
    .venv/bin/python bench/attribution_conflicts.py polnear ../shared/corpora/polnear/dev /tmp/pn-dev.jsonl
    # the normalized-text speaker rule against the raw speaker of the same articles normalized
    .venv/bin/python bench/attribution_conflicts.py speakers ../shared/corpora/polnear/dev/text [--first N]
    # gold stories with one article normalized in turn (the first EACH): every conflict found
    .venv/bin/python bench/attribution_conflicts.py normalized ../shared/corpora/ecbplus-dev.jsonl --each 3
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare import attribution_conflicts as conflicts_module  # noqa: E402
from newsprism.compare.attribution_conflicts import attribution_conflicts, one_person  # noqa: E402
from newsprism.compare.quotes import DEFAULT, _analyze, _outlet_key, unify_speakers  # noqa: E402
from newsprism.model import Article  # noqa: E402
from newsprism.text import canonical_tokens, detect_form  # noqa: E402


def normalize(text: str) -> str:
    """The normalized form of the corpora: lower case, no digits, punctuation as spaces."""
    return re.sub(r"[^\w\s]|_", " ", re.sub(r"\d", "", text.lower()))


def show(story: str, articles: list[Article]) -> int:
    texts = {a.id: a.text for a in articles}
    outlets = {a.id: a.outlet for a in articles}
    found = attribution_conflicts(articles)
    for c in found:
        print(f"== {story}: {c.text!r}")
        for at in c.attributions:
            for aid, (s, e) in at["spans"]:
                around = " ".join(texts[aid][max(0, s - 160):e + 120].split())
                print(f"   [{at['speaker']}] {outlets[aid]} {aid}: ...{around}...")
    return len(found)


def report(path: Path, no_run: bool) -> None:
    if no_run:
        conflicts_module._distinctive = lambda *args: True
    n = 0
    for story in json.load(open(path, encoding="utf-8"))["stories"]:
        arts = [Article(id=a["id"], text=a["text"], outlet=a["outlet"], form=a["form"]) for a in story["articles"]]
        if len({_outlet_key(a) for a in arts}) > 1:
            n += show(story["id"], arts)
    print(f"conflicts: {n}")


def polnear(split: Path, out: Path) -> None:
    meta = {r["filename"]: r for r in csv.DictReader(open(split.parent / "metadata.tsv", encoding="utf-8"),
                                                      delimiter="\t")}
    with open(out, "w", encoding="utf-8") as fh:
        for p in sorted((split / "text").glob("*.txt")):
            m = meta.get(p.stem, {})
            fh.write(json.dumps({"id": p.stem, "corpus": f"polnear-{split.name}", "story": None,
                                 "outlet": m.get("publisher"), "title": m.get("title"),
                                 "published": m.get("publication_date"), "url": None,
                                 "text": p.read_text(encoding="utf-8")}) + "\n")


def speakers(folder: Path, first: int) -> None:
    counts: Counter = Counter()
    for p in sorted(folder.glob("*.txt"))[:first]:
        text = p.read_text(encoding="utf-8")
        norm = normalize(text)
        raw_tokens, norm_tokens = canonical_tokens(text), canonical_tokens(norm)
        if raw_tokens.words != norm_tokens.words:
            counts["articles left out: their words differ once normalized"] += 1
            continue
        named = [n for _, n in _analyze(text).people]
        people = conflicts_module._people(named)
        for s in conflicts_module._sayings(Article(id="a", text=text, outlet="x"), DEFAULT):
            k = raw_tokens.index_at(s.span[0])
            found = conflicts_module._normalized_speaker(norm, norm_tokens, k, k + len(s.words), people, DEFAULT)
            counts["sayings"] += 1
            names = unify_speakers([s.speaker, found[0]] if found else [s.speaker], named)
            if found is None:
                counts["no speaker read"] += 1
            elif one_person(names.get(found[0], found[0]), names.get(s.speaker, s.speaker)):
                counts["the same speaker"] += 1
            else:
                counts["another speaker"] += 1
                print(f"{p.name}: raw {s.speaker!r}, normalized {found[0]!r}: "
                      f"...{' '.join(norm[max(0, s.span[0] - 150):s.span[1] + 100].split())}...")
    print(dict(counts))


def normalized_stories(corpus: Path, each: int) -> None:
    stories: dict[str, list[Article]] = defaultdict(list)
    for line in open(corpus, encoding="utf-8"):
        r = json.loads(line)
        stories[r["story"]].append(Article(id=r["id"], text=r["text"], outlet=r["outlet"], form=detect_form(r["text"])))
    tried = n = 0
    for story, arts in stories.items():
        if len({_outlet_key(a) for a in arts}) < 2:
            continue
        for k in range(min(each, len(arts))):
            copy = [Article(id=a.id, text=normalize(a.text), outlet=a.outlet, form="normalized") if i == k else a
                    for i, a in enumerate(arts)]
            tried += 1
            n += show(f"{story} ({arts[k].id} normalized)", copy)
    print(f"stories tried: {tried}, conflicts: {n}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report")
    r.add_argument("report", type=Path)
    r.add_argument("--no-run", action="store_true", help="without the words shared in a row around short words")
    p = sub.add_parser("polnear")
    p.add_argument("split", type=Path)
    p.add_argument("out", type=Path)
    s = sub.add_parser("speakers")
    s.add_argument("folder", type=Path)
    s.add_argument("--first", type=int, default=10**6)
    n = sub.add_parser("normalized")
    n.add_argument("corpus", type=Path)
    n.add_argument("--each", type=int, default=3)
    args = ap.parse_args()
    if args.command == "report":
        report(args.report, args.no_run)
    elif args.command == "polnear":
        polnear(args.split, args.out)
    elif args.command == "speakers":
        speakers(args.folder, args.first)
    else:
        normalized_stories(args.corpus, args.each)


if __name__ == "__main__":
    main()
