"""Count the speakers a report gives its quotations: how many have one, and how many of
those speakers are a document ("the statement") or an institution described, not named
("the regime"), which a reader would take for a person.

Reads the report.json that ``newsprism analyze`` wrote; run it on two reports (before
and after a change) to compare.

    .venv/bin/newsprism analyze ../shared/corpora/allsides-dev.jsonl --db /tmp/as.db --out /tmp/as -q
    .venv/bin/python bench/quotes_speakers.py /tmp/as/report.json [--show 20]
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from newsprism.compare.quotes import DOCUMENT_NOUNS, ORGANIZATION_NOUNS

DETERMINERS = {"the", "a", "an", "this", "its", "their"}


def kind(speaker: str) -> str:
    """'document', 'institution' (described, not named) or 'name'."""
    written = speaker.split()
    words = [w.lower() for w in written]
    head = words[-1].strip(".,") if words else ""
    if head in DOCUMENT_NOUNS:
        return "document"
    described = all(w[:1].islower() for w in written[1:])  # 'the far-right group', not 'The Oversight Board'
    if words and words[0] in DETERMINERS and head in ORGANIZATION_NOUNS and described:
        return "institution"
    return "name"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report")
    parser.add_argument("--show", type=int, default=0, help="list this many unnamed-speaker cases")
    args = parser.parse_args()
    stories = json.load(open(args.report, encoding="utf-8"))["stories"]
    quotations = [q for s in stories for q in s["quotations"]]
    spoken = [q["speaker"] for q in quotations if q.get("speaker")]
    kinds = Counter(kind(s) for s in spoken)
    print(f"quotations {len(quotations)}; with a speaker {len(spoken)} "
          f"({len(spoken) / max(1, len(quotations)):.1%})")
    print(f"speakers that are documents {kinds['document']}, institutions described {kinds['institution']}")
    odd = Counter(s for s in spoken if kind(s) != "name")
    for speaker, n in odd.most_common(args.show):
        print(f"  {n:3d}  {speaker}")


if __name__ == "__main__":
    main()
