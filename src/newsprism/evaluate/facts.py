"""Fact extraction measured on hand-made gold (``tests/data/facts_gold.jsonl``).

Gold lines: ``{"article", "span": [s, e], "kind": number|money|percent|date, "value",
"unit", "counts", "written": digits|words}``; spans index the article's text in
the corpus file, which is not copied. ``counts`` may hold alternatives
separated by "/" ("age/starlet"). How the gold was made: ``tests/data/FACTS_GOLD.md``.

Matching is one-to-one, on overlapping spans:
- a number is right when its value is equal (money: amount and currency);
  it is right *with what it counts* when, besides, the last word of one of the
  gold ``counts`` alternatives (singular) is among the words of the predicted
  ``counts``;
- a date is right when its value is equal, or when the gold gives no year and
  the prediction has the same month and day.

Claim groups (``evaluate_claim_pairs``): hand-judged pairs of mentions in two articles
of one gold story (``tests/data/claim_pairs.jsonl``, ``CLAIM_PAIRS.md``) score the
precision and recall of the engine's "differ" and "agree".
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Optional

from ..compare.facts import extract_facts_batch, singular
from ..model import Article, Fact
from ..text import detect_form
from ..text.canonical import fold
from . import GoldError, corpus_article, read_gold_lines, read_judged

NUMBER_KINDS = ("number", "money", "percent")


def _amount(value: str) -> tuple[Optional[float], Optional[str]]:
    parts = value.split()
    try:
        amount = float(parts[0])
    except (ValueError, IndexError):
        return None, None
    return amount, (parts[1] if len(parts) > 1 else None)


def _same_number(gold: dict, fact: Fact) -> bool:
    ga, gc = _amount(gold["value"])
    pa, pc = _amount(fact.value)
    if ga is None or pa is None or abs(ga - pa) > 1e-9 * max(1.0, abs(ga)):
        return False
    return gc == pc


def _words(text: Optional[str]) -> set[str]:
    return {singular(fold(w)) for w in re.findall(r"[^\W\d_]+", text or "")}


def _counts_right(gold: dict, fact: Fact) -> bool:
    predicted = _words(fact.counts)
    for alternative in (gold.get("counts") or "").split("/"):
        words = re.findall(r"[^\W\d_]+", alternative)
        if words and singular(fold(words[-1])) in predicted:
            return True
    return False


def _same_date(gold: dict, fact: Fact) -> bool:
    g, p = gold["value"], fact.value
    if g == p:
        return True
    if g.startswith("--") and len(p) == 10 and p[4:] == g[1:]:
        return True
    return g.lower() == p.lower()


def _overlap(a: list[int] | tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(golds: list[dict], facts: list[Fact], right) -> int:
    """One-to-one matches between gold items and predictions for which ``right`` holds."""
    used: set[int] = set()
    hits = 0
    for g in golds:
        for n, f in enumerate(facts):
            if n not in used and _overlap(g["span"], f.span) and right(g, f):
                used.add(n)
                hits += 1
                break
    return hits


def _prf(hits_gold: int, n_gold: int, hits_pred: int, n_pred: int) -> dict:
    p = hits_pred / n_pred if n_pred else 0.0
    r = hits_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "gold": n_gold, "predicted": n_pred}


def _score(wanted: list[str], by_article: dict[str, list[dict]], predicted: dict[str, list[Fact]],
           texts: dict[str, str]) -> dict:
    totals: dict[str, int] = defaultdict(int)
    misses: list[dict] = []
    for a in wanted:
        golds = by_article[a]
        facts = predicted[a]
        g_num = [g for g in golds if g["kind"] in NUMBER_KINDS]
        p_num = [f for f in facts if f.kind in NUMBER_KINDS]
        g_date = [g for g in golds if g["kind"] == "date"]
        p_date = [f for f in facts if f.kind == "date"]
        totals["num_gold"] += len(g_num)
        totals["num_pred"] += len(p_num)
        totals["num_value"] += _match(g_num, p_num, _same_number)
        totals["num_counts"] += _match(g_num, p_num, _number_and_counts)
        totals["date_gold"] += len(g_date)
        totals["date_pred"] += len(p_date)
        totals["date_value"] += _match(g_date, p_date, _same_date)
        for written in ("digits", "words"):
            gw = [g for g in g_num if g.get("written") == written]
            pw = [f for f in p_num if (f.text[:1].isdigit() or f.text[:1] in "$£€¥") == (written == "digits")]
            totals[f"{written}_gold"] += len(gw)
            totals[f"{written}_pred"] += len(pw)
            totals[f"{written}_hit"] += _match(gw, pw, _same_number)
        text = texts[a]
        for g in golds:
            pool = p_num if g["kind"] in NUMBER_KINDS else p_date
            ok = _same_date if g["kind"] == "date" else _number_and_counts
            if not any(_overlap(g["span"], f.span) and ok(g, f) for f in pool):
                near = [f for f in pool if _overlap(g["span"], f.span)]
                misses.append({"article": a, "gold": g, "text": text[g["span"][0]:g["span"][1]],
                               "predicted": [[f.value, f.counts] for f in near]})
        for f in p_num + p_date:
            pool = g_num if f.kind in NUMBER_KINDS else g_date
            if not any(_overlap(g["span"], f.span) for g in pool):
                misses.append({"article": a, "spurious": [f.kind, f.value, f.text, f.counts]})

    def prf(hit: str, gold: str, pred: str) -> dict:
        return _prf(totals[hit], totals[gold], totals[hit], totals[pred])

    return {
        "articles": len(wanted),
        "numbers": {
            "value": prf("num_value", "num_gold", "num_pred"),
            "value+counts": prf("num_counts", "num_gold", "num_pred"),
            "by_written": {w: prf(f"{w}_hit", f"{w}_gold", f"{w}_pred") for w in ("digits", "words")},
        },
        "dates": {"value": prf("date_value", "date_gold", "date_pred")},
        "misses": misses,
    }


def _number_and_counts(gold: dict, fact: Fact) -> bool:
    return _same_number(gold, fact) and _counts_right(gold, fact)


def evaluate_facts(articles_path: str | Path, gold_path: str | Path,
                   limit: Optional[int] = None, split: Optional[str] = None) -> dict:
    """Precision and recall of numbers (value; value + what it counts) and dates (value).

    ``limit`` evaluates only the first ``limit`` gold articles (for quick tests);
    ``split`` only the gold lines of that split ("tuning", "check", "final").
    Returns ``{"articles", "numbers": {"value": prf, "value+counts": prf,
    "by_written": {"digits": prf, "words": prf}}, "dates": {"value": prf}, "misses": [...],
    "splits": {split: same without misses}}`` where prf is
    ``{"precision", "recall", "f1", "gold", "predicted"}``.
    """
    gold = [g for g in read_gold_lines(gold_path, ("article", "kind", "value", "span"),
                                       "gold facts (article, kind, value, span)")
            if split is None or g.get("split") == split]
    if not gold:
        raise GoldError(f"{gold_path}: no gold facts in it" + (f" of split {split!r}" if split else ""))
    by_article: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        by_article[g["article"]].append(g)
    wanted = list(dict.fromkeys(g["article"] for g in gold))
    if limit is not None:
        wanted = wanted[:limit]
    rows = {r["id"]: r for r in read_gold_lines(articles_path, ("id", "text"), "articles (id, text)")
            if r["id"] in set(wanted)}
    missing = [a for a in wanted if a not in rows]
    if missing:
        raise GoldError(f"{articles_path}: lacks {len(missing)} of the {len(wanted)} articles the gold "
                        f"facts point into ({', '.join(missing[:3])}...)")
    articles = [Article(id=a, text=rows[a]["text"], form=detect_form(rows[a]["text"]),
                        published=rows[a].get("published"), outlet=rows[a].get("outlet"))
                for a in wanted]
    predicted = dict(zip(wanted, extract_facts_batch(articles)))
    texts = {a: rows[a]["text"] for a in wanted}
    result = _score(wanted, by_article, predicted, texts)
    splits = sorted({g.get("split") for g in gold if g["article"] in set(wanted) and g.get("split")})
    result["splits"] = {}
    for name in splits:
        ids = [a for a in wanted if any(g.get("split") == name for g in by_article[a])]
        scored = _score(ids, by_article, predicted, texts)
        scored.pop("misses")
        result["splits"][name] = scored
    return result


def facts_table(result: dict):
    """A rich Table of an ``evaluate_facts`` result: all gold articles, then each split."""
    from rich.table import Table

    table = Table(title=f"Fact extraction on {result['articles']} gold articles")
    for col in ("gold", "facts", "scored on", "P", "R", "F1", "n gold", "n found"):
        table.add_column(col, justify="left" if col in ("gold", "facts", "scored on") else "right")
    parts = [("all", result)] + list(result.get("splits", {}).items())
    for n, (name, part) in enumerate(parts):
        rows = [
            ("numbers", "value", part["numbers"]["value"]),
            ("numbers", "value + counts", part["numbers"]["value+counts"]),
            ("  digits", "value", part["numbers"]["by_written"]["digits"]),
            ("  words", "value", part["numbers"]["by_written"]["words"]),
            ("dates", "value", part["dates"]["value"]),
        ]
        if n:
            table.add_section()
        for k, (label, on, m) in enumerate(rows):
            where = f"{name} ({part['articles']})" if k == 0 else ""
            table.add_row(where, label, on, f"{m['precision']:.3f}", f"{m['recall']:.3f}",
                          f"{m['f1']:.3f}", str(m["gold"]), str(m["predicted"]))
    return table


# ------------------------------------------------------------ claim pairs across outlets

PAIR_LABELS = ("same claim, agree", "same claim, differ", "not the same claim")


def story_claim_groups(story: str, rows: list[dict]) -> list:
    """The engine's claim groups of one gold story (its corpus rows), as the pipeline finds them."""
    from ..model import Story
    from ..pipeline import story_claims

    articles = [corpus_article(r) for r in rows]
    return story_claims(Story(id=story, articles=[a.id for a in articles]), articles)


def pair_status(pair: dict, groups: list) -> Optional[str]:
    """What the engine says of a pair of mentions (``{"a": {"article", "span"}, "b": ...}``):
    the status of the claim group holding both (overlapping spans), "agree" when they are
    one value of a group that differs or was updated, None when no group holds both."""
    a, b = pair["a"], pair["b"]
    for g in groups:
        def value_of(side: dict, g=g) -> Optional[int]:
            return next((n for n, v in enumerate(g.values) for art, span in v["spans"]
                         if art == side["article"] and _overlap(side["span"], span)), None)

        va, vb = value_of(a), value_of(b)
        if va is not None and vb is not None:
            return "agree" if va == vb and g.status in ("differ", "update") else g.status
    return None


def _pair_scores(pairs: list[dict]) -> dict:
    """Precision and recall of "differ" and "agree" over judged pairs, and the confusion table."""
    out: dict = {"pairs": len(pairs)}
    for status, label in (("differ", "same claim, differ"), ("agree", "same claim, agree")):
        gold = sum(p["label"] == label for p in pairs)
        said = sum(p["engine"] == status for p in pairs)
        both = sum(p["label"] == label and p["engine"] == status for p in pairs)
        out[status] = _prf(both, gold, both, said)
    confusion: dict[str, dict[str, int]] = {label: defaultdict(int) for label in PAIR_LABELS}
    for p in pairs:
        confusion[p["label"]][p["engine"] or "none"] += 1
    out["confusion"] = {label: dict(sorted(c.items())) for label, c in confusion.items()}
    return out


def evaluate_claim_pairs(corpora: list[str | Path], pairs_path: str | Path) -> dict:
    """Are the engine's "differ" and "agree" true? Scored on hand-judged pairs of claims.

    Each gold story's articles (all of them in ``corpora``) go through the pipeline's story
    comparison; a pair is put by the engine in the status of the claim group that holds
    both its mentions (none when no group does). "differ" is right on a gold
    "same claim, differ", "agree" on a gold "same claim, agree". Returns
    ``{"pairs", "differ": prf, "agree": prf, "confusion": {gold label: {engine status: n}},
    "splits": {split: same}, "draws": {draw: same}, "misses": [...]}`` ("draws": by the rule
    that drew each pair for labelling, when the gold says it).
    """
    pairs = read_judged(pairs_path, ("story", "a", "b", "label"), "gold claim pairs (story, a, b, label)",
                        "label", PAIR_LABELS)
    wanted = {p["story"] for p in pairs}
    rows: dict[str, list[dict]] = defaultdict(list)
    for path in corpora:
        for r in read_gold_lines(path, ("id", "story", "text"), "articles with gold stories (id, story, text)"):
            if r["story"] in wanted:
                rows[r["story"]].append(r)
    missing = sorted(wanted - set(rows))
    if missing:
        raise GoldError(f"{pairs_path}: {len(missing)} stories are in none of the corpora given "
                        f"({', '.join(missing[:3])}...)")
    judged = []
    for story in sorted(wanted):
        groups = story_claim_groups(story, rows[story])
        judged.extend({**p, "engine": pair_status(p, groups)} for p in pairs if p["story"] == story)
    result = _pair_scores(judged)
    for part in ("split", "draw"):
        result[f"{part}s"] = {name: _pair_scores([p for p in judged if p.get(part) == name])
                              for name in sorted({p.get(part) for p in judged if p.get(part)})}
    result["misses"] = [{k: p[k] for k in ("story", "a", "b", "label", "engine", "note") if k in p}
                        for p in judged
                        if (p["engine"] == "differ") != (p["label"] == "same claim, differ")
                        or (p["engine"] == "agree") != (p["label"] == "same claim, agree")]
    return result


def claim_pairs_table(result: dict):
    """A rich Table of an ``evaluate_claim_pairs`` result: all pairs, then each split."""
    from rich.table import Table

    table = Table(title=f"Claim groups on {result['pairs']} judged pairs of claims")
    for col in ("pairs", "engine says", "P", "R", "F1", "n gold", "n said"):
        table.add_column(col, justify="left" if col in ("pairs", "engine says") else "right")
    parts = [("all", result)] + list(result.get("splits", {}).items())
    for n, (name, part) in enumerate(parts):
        if n:
            table.add_section()
        for k, status in enumerate(("differ", "agree")):
            m = part[status]
            table.add_row(f"{name} ({part['pairs']})" if k == 0 else "", status, f"{m['precision']:.3f}",
                          f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["gold"]), str(m["predicted"]))
    return table
