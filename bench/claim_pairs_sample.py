"""Draw candidate claim pairs for hand labelling (the gold ``tests/data/claim_pairs.jsonl``).

Stories are the corpora's gold ``story`` labels (AllSides dev, ECB+ dev), never the engine's
clustering. Mentions are found by a plain pattern (digits, amounts, percents, number words,
month-day dates; bare years left out), not by the engine, so its misses can be drawn too.
A pair is two mentions of one kind (number or date) in two articles of one story (two
outlets where the corpus names outlets). From a seeded sample of stories, three draws:

- ``engine``: pairs the engine's story comparison puts into one claim group (all "differ"
  groups first, then "agree"), so its precision can be measured;
- ``context``: pairs whose sentences share at least ``--shared`` content words
  (what a reader would call the same quantity), so its misses can be measured;
- ``random``: any pair of same-kind mentions.

Prints one block per candidate (story, the two sentences with the mention bracketed) and,
with ``--out``, the candidates as JSONL (spans only, no text) to fill in with labels.

    .venv/bin/python bench/claim_pairs_sample.py --stories 120 --out /tmp/candidates.jsonl
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from newsprism.evaluate.facts import pair_status, story_claim_groups
from newsprism.text.sentences import sentences
from newsprism.text.stopwords import FUNCTION_WORDS, MORE_FUNCTION_WORDS

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [(ROOT / ".." / "shared" / "corpora" / name).resolve()
           for name in ("allsides-dev.jsonl", "ecbplus-dev.jsonl")]
_WORD_NUMBERS = ("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
                 "ninety hundred hundreds thousand thousands million millions billion billions dozen dozens")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")
MENTION = re.compile(
    rf"(?P<date>\b(?:{_MONTHS})\s+\d{{1,2}}\b(?:,?\s+\d{{4}})?)"
    r"|(?P<number>[$£€]?(?:\d{1,3}(?:,\s?\d{3})+|\d+)(?:\.\d+)?"
    r"(?:\s?(?:%|percent|per cent|million|billion|trillion|thousand))?"
    rf"|\b(?:{'|'.join(_WORD_NUMBERS.split())})\b(?:[- ](?:{'|'.join(_WORD_NUMBERS.split())})\b)*)",
    re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_STOP = FUNCTION_WORDS | MORE_FUNCTION_WORDS


def split_of(story: str) -> str:
    """The gold split of a story: a fixed hash of its id."""
    return "dev" if hashlib.sha1(story.encode()).digest()[0] % 2 == 0 else "held-out"


def mentions(text: str) -> list[dict]:
    """Numbers and dates in a text, with their sentence span and its content words."""
    out = []
    spans = sentences(text)
    for m in MENTION.finditer(text):
        kind = "date" if m.group("date") else "number"
        s, e = m.span()
        while e > s and text[e - 1] in " ,.":
            e -= 1
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ",.:/-"):
            continue  # inside a token: a time, a score, a code, the tail of another number
        if text[e:e + 1] == ":" or text[max(0, s - 2):s] == ": ":
            continue  # a time of day
        if kind == "number" and _YEAR.fullmatch(text[s:e]):
            continue
        sent = next(((a, b) for a, b in spans if a <= s < b), (s, e))
        words = {w for w in re.findall(r"[a-z]+", text[sent[0]:sent[1]].lower())
                 if len(w) > 2 and w not in _STOP and w not in _WORD_NUMBERS.split()}
        near = [w for w in re.findall(r"[a-z]+", text[max(sent[0], s - 40):min(sent[1], e + 40)].lower())
                if len(w) > 2 and w not in _STOP and w not in _WORD_NUMBERS.split()]
        web = bool(re.search(r"https?:|www|\.com|\.html?", text[sent[0]:sent[1]]))
        after = [w.rstrip("s") for w in re.findall(r"[a-z]+", text[e:min(sent[1], e + 25)].lower())[:3]
                 if len(w) > 2 and w not in _STOP]
        out.append({"span": [s, e], "kind": kind, "sentence": list(sent), "words": words, "after": set(after),
                    "near": set(near), "value": re.sub(r"[\s,]", "", m.group().lower()), "web": web})
    return out


def load_stories(paths: list[Path]) -> dict[str, list[dict]]:
    stories: dict[str, list[dict]] = defaultdict(list)
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            stories[row["story"]].append(row)
    return stories


def _apart(a: dict, b: dict) -> bool:
    """Two articles two outlets wrote (or two articles, where the corpus names no outlets)."""
    return a["id"] != b["id"] and (a.get("outlet") is None or a.get("outlet") != b.get("outlet"))


def pairs_of(articles: list[dict]) -> list[tuple]:
    found = {a["id"]: mentions(a["text"]) for a in articles}
    out = []
    for a, b in combinations(articles, 2):
        if not _apart(a, b):
            continue
        for x in found[a["id"]]:
            for y in found[b["id"]]:
                if x["kind"] == y["kind"]:
                    out.append((a["id"], x, b["id"], y))
    return out


def draw(stories: dict[str, list[dict]], n_stories: int, per_draw: dict[str, int], shared: int,
         seed: int, per_story_cap: int) -> list[dict]:
    rng = random.Random(seed)
    names = sorted(s for s, arts in stories.items() if len(arts) >= 2)
    rng.shuffle(names)
    chosen = []
    for s in names:
        if len(chosen) == n_stories:
            break
        if pairs_of(stories[s]):
            chosen.append(s)
    pools: dict[str, list[tuple]] = {"engine-differ": [], "engine-agree": [], "context": [], "random": [],
                                     "nearby": [], "counted": [], "counted-context": [],
                                     "counted-close": []}
    for s in chosen:
        pairs = pairs_of(stories[s])
        groups = story_claim_groups(s, stories[s])
        for ia, x, ib, y in pairs:
            status = pair_status({"a": {"article": ia, "span": x["span"]},
                                  "b": {"article": ib, "span": y["span"]}}, groups)
            if status in ("differ", "agree"):
                pools[f"engine-{status}"].append((s, ia, x, ib, y))
            elif len(x["words"] & y["words"]) >= shared:
                pools["context"].append((s, ia, x, ib, y))
            pools["random"].append((s, ia, x, ib, y))
            if (status not in ("differ", "agree") and x["value"] != y["value"] and not (x["web"] or y["web"])
                    and x["near"] & y["near"]):
                pools["nearby"].append((s, ia, x, ib, y))
    for s in names:
        for ia, x, ib, y in pairs_of(stories[s]):
            if x["value"] != y["value"] and not (x["web"] or y["web"]) and x["after"] & y["after"]:
                pools["counted"].append((s, ia, x, ib, y))
                if len((x["words"] & y["words"]) - x["after"]) >= 3:
                    pools["counted-context"].append((s, ia, x, ib, y))
                if len((x["words"] & y["words"]) - x["after"]) >= 5:
                    pools["counted-close"].append((s, ia, x, ib, y))
    print(f"{len(chosen)} stories; pools: " + ", ".join(f"{k} {len(v)}" for k, v in pools.items()), file=sys.stderr)
    out, seen = [], set()
    per_story: dict[tuple[str, str], int] = defaultdict(int)
    for name, pool in pools.items():
        rng.shuffle(pool)
        taken = 0
        for s, ia, x, ib, y in pool:
            key = (ia, tuple(x["span"]), ib, tuple(y["span"]))
            if taken == per_draw[name] or key in seen or per_story[(name, s)] == per_story_cap:
                continue
            per_story[(name, s)] += 1
            seen.add(key)
            taken += 1
            out.append({"story": s, "draw": name, "a": {"article": ia, "span": x["span"], "sentence": x["sentence"]},
                        "b": {"article": ib, "span": y["span"], "sentence": y["sentence"]}})
    return out


def _shown(text: str, side: dict) -> str:
    (s, e), (ss, se) = side["span"], side["sentence"]
    return (text[ss:s] + "[[" + text[s:e] + "]]" + text[e:se]).replace("\n", " ").strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=120)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--shared", type=int, default=2, help="content words two sentences share (context draw)")
    ap.add_argument("--engine-differ", type=int, default=45)
    ap.add_argument("--engine-agree", type=int, default=30)
    ap.add_argument("--context", type=int, default=60)
    ap.add_argument("--random", type=int, default=30)
    ap.add_argument("--nearby", type=int, default=70)
    ap.add_argument("--counted", type=int, default=90)
    ap.add_argument("--counted-context", type=int, default=60)
    ap.add_argument("--counted-close", type=int, default=60)
    ap.add_argument("--per-story", type=int, default=4, help="pairs of one story in one draw, at most")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    stories = load_stories(CORPORA)
    per_draw = {"engine-differ": args.engine_differ, "engine-agree": args.engine_agree,
                "context": args.context, "random": args.random,
                "nearby": args.nearby, "counted": args.counted,
                "counted-context": args.counted_context, "counted-close": args.counted_close}
    candidates = draw(stories, args.stories, per_draw, args.shared, args.seed, args.per_story)
    texts = {r["id"]: r["text"] for arts in stories.values() for r in arts}
    for n, c in enumerate(candidates):
        print(f"#{n} {c['draw']} {c['story']}\n  A {c['a']['article']}: {_shown(texts[c['a']['article']], c['a'])}"
              f"\n  B {c['b']['article']}: {_shown(texts[c['b']['article']], c['b'])}")
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for c in candidates:
                line = {"story": c["story"], "a": {k: c["a"][k] for k in ("article", "span")},
                        "b": {k: c["b"][k] for k in ("article", "span")}, "draw": c["draw"]}
                f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
