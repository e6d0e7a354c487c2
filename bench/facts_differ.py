"""Tune ``compare.facts.Settings``: when are two values of one key a disagreement?

On the ECB+ dev stories (gold story labels), for each number two outlets agree on,
one article's number is changed (every mention of it, value + 1) and the
article is extracted again: a change reported as "differ" with both values is a
hit (recall of injected disagreements). Against that, the unchanged stories'
"differ" groups are counted (noise: some are real disagreements between
outlets, most are two different things under one key). Prints the sweep, and
with ``--show N`` the first N differ groups of the unchanged stories under the
default settings, with their sentences, to judge them by hand. ``--every K``
keeps every K-th trial (the sweep runs ``story_facts`` once per trial and setting).

    .venv/bin/python bench/facts_differ.py [--show 40] [--every 3] [--processes 2]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from newsprism.compare.facts import (
    DEFAULT, Settings, comparable_key, extract_facts_batch, facts_from_doc, fact_key, story_facts,
)
from newsprism.model import Article
from newsprism.text import detect_form
from newsprism.text.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpora" / "ecbplus-dev.jsonl").resolve()
# What was tried beside this sweep, and what it measured: docs/decisions/facts.md.
SWEEP = [Settings(same_thing=tau, window=0, one_value=False, ratio=ratio) for ratio in (0.0, 2.5)
         for tau in (0.0, 0.05, 0.08, 0.12, 0.16, 0.2)]
_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty"]


def load_stories() -> dict[str, list[Article]]:
    stories: dict[str, list[Article]] = defaultdict(list)
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            stories[r["story"]].append(Article(id=r["id"], text=r["text"], outlet=r["id"],
                                               form=detect_form(r["text"])))
    return stories


def changed(text: str, span: tuple[int, int]) -> str | None:
    """The text with the number in ``span`` raised by one (digits or a number word)."""
    s, e = span
    piece = text[s:e]
    m = re.search(r"\d+", piece)
    if m:
        new = str(int(m.group()) + 1)
        return text[:s] + piece[:m.start()] + new + piece[m.end():] + text[e:]
    for n, w in enumerate(_WORDS[:-1]):
        m = re.search(rf"\b{w}\b", piece, re.I)
        if m:
            new = _WORDS[n + 1]
            if m.group()[0].isupper():
                new = new.capitalize()
            return text[:s] + piece[:m.start()] + new + piece[m.end():] + text[e:]
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args()

    t0 = time.perf_counter()
    stories = load_stories()
    articles = [a for arts in stories.values() for a in arts]
    facts = dict(zip((a.id for a in articles), extract_facts_batch(articles, n_process=args.processes)))
    print(f"{len(articles)} articles, {len(stories)} stories extracted in {time.perf_counter() - t0:.1f}s",
          file=sys.stderr)

    # the trials: one agreed number per trial, changed in one article
    nlp = load_nlp(parser=True)
    trials = []  # (story, changed article, its new facts, key, old value, new value)
    for story, arts in sorted(stories.items()):
        if len(arts) < 2:
            continue
        groups = story_facts(arts, [], facts=facts, settings=Settings(same_thing=1.1))
        for g in groups:
            if g.kind not in ("number", "money", "percent") or g.status != "agree" \
                    or not comparable_key(g.key):
                continue  # bare durations ("35 years") are never compared
            v = g.values[0]
            target = sorted(v["articles"])[-1]
            art = next(a for a in arts if a.id == target)
            text = art.text
            spans = sorted((tuple(sp) for aid, sp in v["spans"] if aid == target), reverse=True)
            for sp in spans:
                text = changed(text, sp) or text
            if text == art.text:
                continue
            new_art = Article(id=art.id, text=text, outlet=art.outlet, form=art.form)
            new_facts = facts_from_doc(new_art, nlp(text) if art.form != "normalized" else None)
            new_values = {f.value for f in new_facts if fact_key(f) == g.key} - {v["value"]}
            if not new_values:
                continue
            trials.append((story, new_art, new_facts, g.key, v["value"], new_values))
    trials = trials[::args.every]
    print(f"{len(trials)} trials built in {time.perf_counter() - t0:.1f}s", file=sys.stderr)

    print(f"{'ratio':>5} {'threshold':>9} "
          f"{'recall':>7} {'hits':>5} {'trials':>6} {'differ groups (unchanged)':>26}")
    chosen_noise = []
    for setting in SWEEP + ([DEFAULT] if DEFAULT not in SWEEP else []):
        noise = []
        for story, arts in stories.items():
            if len(arts) >= 2:
                noise.extend((story, g) for g in story_facts(arts, [], facts=facts, settings=setting)
                             if g.status == "differ")
        hits = 0
        for story, new_art, new_facts, key, old, new_values in trials:
            arts = [new_art if a.id == new_art.id else a for a in stories[story]]
            fs = dict(facts)
            fs[new_art.id] = new_facts
            for g in story_facts(arts, [], facts=fs, settings=setting):
                vals = {v["value"] for v in g.values}
                if g.status == "differ" and g.key == key and old in vals and vals & new_values:
                    hits += 1
                    break
        mark = " <- the default" if setting == DEFAULT else ""
        print(f"{setting.ratio or '-':>5} {setting.same_thing:9.2f} "
              f"{hits / len(trials):7.3f} {hits:5d} {len(trials):6d} {len(noise):26d}{mark}", flush=True)
        if setting == DEFAULT:
            chosen_noise = noise
    by_id = {a.id: a for a in articles}
    for story, g in chosen_noise[:args.show]:
        print(f"\n## {story}  key={g.key!r}")
        for v in g.values:
            for aid, (s, e) in v["spans"][:2]:
                f = next(f for f in facts[aid] if f.span == (s, e))
                ss, se = f.sentence
                print(f"  {v['value']:>12} {aid:14} {by_id[aid].text[ss:se][:200]!r}")


if __name__ == "__main__":
    main()
