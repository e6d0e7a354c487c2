"""Measure reuse detection: reuse-dev (PAN text alignment) and Clough & Stevenson.

``evaluate_reuse(path)`` scores ``find_reuse`` on ``reuse-dev.jsonl`` with
PAN's character-level text-alignment measures (Potthast et al., 2010), counted
on the derived side: precision, recall, F1, granularity and plagdet, overall,
``by_edit`` kind and ``by_source_form``. The baseline, in the same run, is plain
word 8-gram matching on the same canonical words.

``evaluate_clough(dir)`` classifies each Clough & Stevenson answer as cut,
light, heavy or non-derived from features of the alignment against its task's
source, with a small decision tree learnt by leave-one-out cross-validation; a
word 3-gram containment baseline gets thresholds by the same procedure.

How each measure is counted: docs/decisions/evaluation.md.
"""
from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from math import log2
from pathlib import Path

import numpy as np

from ..compare.reuse import DEFAULT, Settings, find_reuse
from ..model import Article, Span
from ..text.canonical import canonical_tokens
from ..text.form import detect_form
from . import GoldError, corpus_article, read_gold_lines

EDITS = ("verbatim", "light", "heavy")
FORMS = ("raw", "normalized")


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Case:
    case: str
    source_form: str
    shared_quote_only: bool
    source: Article
    derived: Article
    passages: tuple[dict, ...]  # {"derived": [s, e], "source": [s, e], "edit"}


def load_cases(path: str | Path) -> list[Case]:
    cases = [
        Case(
            case=d["case"],
            source_form=d["source_form"],
            shared_quote_only=bool(d.get("shared_quote_only")),
            source=corpus_article(d["source"]),
            derived=corpus_article(d["derived"]),
            passages=tuple(d.get("passages") or ()),
        )
        for d in read_gold_lines(path, ("case", "source_form", "source", "derived"),
                                 "reuse cases (case, source_form, source, derived, passages)")
    ]
    if not cases:
        raise GoldError(f"{path}: no reuse cases in it")
    return cases


# --------------------------------------------------------------------------- detectors

Detection = tuple[Span, Span]  # (derived span, source span) on the case's own articles


def engine_detections(case: Case, settings: Settings = DEFAULT) -> list[Detection]:
    """``find_reuse`` on the pair, its passages put back on the case's two sides."""
    found = find_reuse(case.source, case.derived, settings=settings)
    if found is None:
        return []
    if found.derived == case.derived.id:
        return [(p.derived, p.source) for p in found.passages]
    return [(p.source, p.derived) for p in found.passages]


def ngram_detections(case: Case, n: int = 8) -> list[Detection]:
    """The baseline: plain word n-gram matching, one detection per run of marked words."""
    td, ts = canonical_tokens(case.derived.text), canonical_tokens(case.source.text)
    grams: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(ts) - n + 1):
        grams.setdefault(tuple(ts.words[j : j + n]), []).append(j)
    marked_d = np.zeros(len(td), dtype=bool)
    partner: dict[int, list[int]] = {}
    for i in range(len(td) - n + 1):
        js = grams.get(tuple(td.words[i : i + n]))
        if js:
            marked_d[i : i + n] = True
            for t in range(n):
                partner.setdefault(i + t, []).extend(j + t for j in js)
    out: list[Detection] = []
    i = 0
    while i < len(td):
        if not marked_d[i]:
            i += 1
            continue
        j = i
        while j < len(td) and marked_d[j]:
            j += 1
        src = [p for t in range(i, j) for p in partner.get(t, ())]
        out.append((td.span(i, j), ts.span(min(src), max(src) + 1)))
        i = j
    return out


# --------------------------------------------------------------------------- PAN measures


def _overlap(x: Span, y: Span) -> int:
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def _detects(r: Detection, s: dict) -> bool:
    return _overlap(r[0], tuple(s["derived"])) > 0 and _overlap(r[1], tuple(s["source"])) > 0


def _covered(span: Span, others: Iterable[Span]) -> int:
    """Characters of ``span`` inside the union of ``others``."""
    clipped = sorted(
        (max(span[0], o[0]), min(span[1], o[1])) for o in others if _overlap(span, o) > 0
    )
    total, end = 0, span[0]
    for s, e in clipped:
        s = max(s, end)
        if e > s:
            total += e - s
            end = e
    return total


def pan_measures(items: list[tuple[list[dict], list[Detection]]]) -> dict:
    """PAN precision, recall, F1, granularity and plagdet over (gold, detections) per case."""
    precisions, recalls, grans = [], [], []
    for gold, detections in items:
        for r in detections:
            hit = [tuple(s["derived"]) for s in gold if _detects(r, s)]
            length = r[0][1] - r[0][0]
            precisions.append(_covered(r[0], hit) / length if length > 0 else 0.0)
        for s in gold:
            by = [r[0] for r in detections if _detects(r, s)]
            span = tuple(s["derived"])
            recalls.append(_covered(span, by) / max(1, span[1] - span[0]))
            if by:
                grans.append(len(by))
    p = sum(precisions) / len(precisions) if precisions else (1.0 if not recalls else 0.0)
    r = sum(recalls) / len(recalls) if recalls else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    g = sum(grans) / len(grans) if grans else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "granularity": round(g, 4),
        "plagdet": round(f1 / log2(1 + g), 4),
    }


def _by_edit(cases: list[Case], found: list[list[Detection]], kind: str) -> dict:
    items = []
    for case, dets in zip(cases, found):
        if not any(p["edit"] == kind for p in case.passages):
            continue
        gold = [p for p in case.passages if p["edit"] == kind]
        other = [p for p in case.passages if p["edit"] != kind]
        kept = [r for r in dets if any(_detects(r, s) for s in gold) or not any(_detects(r, s) for s in other)]
        items.append((gold, kept))
    return pan_measures(items)


def score(cases: list[Case], found: list[list[Detection]]) -> dict:
    """The scores in full: overall, by_edit, by_source_form, cases."""
    result = {
        "overall": pan_measures([(list(c.passages), d) for c, d in zip(cases, found)]),
        "by_edit": {k: _by_edit(cases, found, k) for k in EDITS},
        "by_source_form": {
            f: pan_measures([(list(c.passages), d) for c, d in zip(cases, found) if c.source_form == f])
            for f in FORMS
        },
    }
    pos = [(c, d) for c, d in zip(cases, found) if c.passages]
    neg = [(c, d) for c, d in zip(cases, found) if not c.passages]
    result["cases"] = {
        "positives": len(pos),
        "positives_found": sum(1 for _, d in pos if d),
        "negatives": len(neg),
        "false_alarms": sum(1 for _, d in neg if d),
        "quote_only_negatives": sum(1 for c, _ in neg if c.shared_quote_only),
        "quote_only_false_alarms": sum(1 for c, d in neg if c.shared_quote_only and d),
    }
    return result


def evaluate_reuse(path: str | Path, settings: Settings = DEFAULT, limit: int | None = None) -> dict:
    """Engine and 8-gram baseline on a reuse-dev style file: overall, by edit kind, by source form."""
    cases = load_cases(path)
    if limit is not None:
        cases = cases[:limit]
    result = score(cases, [engine_detections(c, settings) for c in cases])
    result["baseline"] = score(cases, [ngram_detections(c) for c in cases])
    return result


def reuse_table(result: dict):
    """A rich table: engine against the 8-gram baseline, overall and by slice."""
    from rich.table import Table

    table = Table(title="Reuse detection (PAN character measures, derived side)")
    table.add_column("slice")
    for col in ("precision", "recall", "F1", "granularity", "plagdet", "baseline F1", "baseline plagdet"):
        table.add_column(col, justify="right")
    base = result.get("baseline", {})

    def row(name: str, m: dict, b: dict | None) -> None:
        table.add_row(
            name,
            *(f"{m[k]:.4f}" for k in ("precision", "recall", "f1", "granularity", "plagdet")),
            f"{b['f1']:.4f}" if b else "",
            f"{b['plagdet']:.4f}" if b else "",
        )

    row("overall", result["overall"], base.get("overall"))
    for k, m in result["by_edit"].items():
        row(f"edit: {k}", m, base.get("by_edit", {}).get(k))
    for k, m in result["by_source_form"].items():
        row(f"source: {k}", m, base.get("by_source_form", {}).get(k))
    c = result["cases"]
    line = (
        f"positives found {c['positives_found']}/{c['positives']}; "
        f"false alarms {c['false_alarms']}/{c['negatives']} "
        f"(shared-quotation negatives {c['quote_only_false_alarms']}/{c['quote_only_negatives']})"
    )
    if base:
        bc = base["cases"]
        line += (
            f"\nbaseline: positives found {bc['positives_found']}/{bc['positives']}; "
            f"false alarms {bc['false_alarms']}/{bc['negatives']} "
            f"(shared-quotation {bc['quote_only_false_alarms']}/{bc['quote_only_negatives']})"
        )
    table.caption = line
    return table


# --------------------------------------------------------------------------- Clough & Stevenson

CLOUGH_CLASSES = ("cut", "light", "heavy", "non")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_clough(folder: str | Path) -> list[tuple[str, str, str, str]]:
    """(answer file, task, class, answer text) for every answer, with the
    task's source text looked up by ``orig_task<task>.txt``."""
    folder = Path(folder)
    if (folder / "data").is_dir():
        folder = folder / "data"
    rows = []
    index = folder / "file_information.csv"
    if not index.is_file():
        raise GoldError(f"{folder}: no file_information.csv (the Clough-Stevenson corpus's index of answers)")
    with open(index, encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), 2):
            if not {"File", "Task", "Category"} <= row.keys():
                raise GoldError(f"{index}: needs the columns File, Task and Category")
            category = row["Category"].strip()
            if category == "orig":
                continue
            answer = folder / row["File"].strip()
            if not answer.is_file():
                raise GoldError(f"{index} line {number}: {answer.name} is not in {folder}")
            rows.append((row["File"].strip(), row["Task"].strip(), category, _read_text(answer)))
    return rows


def _stretches(pairs: list[tuple[int, int]]) -> list[int]:
    """Lengths of the runs of words matched in order, one after another."""
    out, cur, prev = [], 0, None
    for p in sorted(pairs):
        if prev is not None and p == (prev[0] + 1, prev[1] + 1):
            cur += 1
        else:
            if cur:
                out.append(cur)
            cur = 1
        prev = p
    if cur:
        out.append(cur)
    return out


def alignment_features(answer: Article, source: Article, settings: Settings = DEFAULT) -> list[float]:
    """What the reuse alignment sees between an answer and its source.

    - passage share: answer words inside passages the engine reports;
    - aligned share: answer words matched by any chained run (no filter);
    - long-stretch share: answer words in runs of ``min_exact`` words or more
      matched in order;
    - stretch length: the word-weighted mean length of those runs, over 20.
    """
    from ..compare import reuse as R

    da, sb = R.make_side(answer), R.make_side(source)
    n = max(1, len(da.tokens))
    passages = R.align(da, sb, settings)
    inside = sum(r.a1 - r.a0 for r in passages)
    ia, ib, stop = R._word_ids(da.tokens.words, sb.tokens.words)
    runs = R.join_runs(R.chain(R.seeds(ia, ib, stop, settings), settings), da, sb, settings)
    pairs = sorted({p for run in runs for p in R._extend(run.pairs, da, sb, settings)})
    aligned = len({a for a, _ in pairs})
    stretches = _stretches(pairs)
    long_words = sum(x for x in stretches if x >= settings.min_exact)
    mean_stretch = sum(x * x for x in stretches) / max(1, sum(stretches))
    return [inside / n, aligned / n, long_words / n, min(mean_stretch, 20) / 20]


def containment(answer: str, source: str, n: int = 3) -> float:
    """Clough & Stevenson's measure: share of the answer's word n-grams found in the source."""
    a, s = canonical_tokens(answer).words, canonical_tokens(source).words
    grams_a = {tuple(a[i : i + n]) for i in range(len(a) - n + 1)}
    grams_s = {tuple(s[i : i + n]) for i in range(len(s) - n + 1)}
    return len(grams_a & grams_s) / max(1, len(grams_a))


def _loo_tree(features: list[list[float]], labels: list[str], depth: int) -> list[str]:
    """Leave-one-out predictions of a small decision tree: each answer is
    classified by a tree whose thresholds were learnt without it."""
    from sklearn.model_selection import LeaveOneOut, cross_val_predict
    from sklearn.tree import DecisionTreeClassifier

    tree = DecisionTreeClassifier(max_depth=depth, min_samples_leaf=3, random_state=0)
    return list(cross_val_predict(tree, np.asarray(features), np.asarray(labels), cv=LeaveOneOut()))


def _class_scores(labels: list[str], predicted: list[str]) -> dict:
    matrix = [[sum(1 for t, p in zip(labels, predicted) if t == a and p == b) for b in CLOUGH_CLASSES] for a in CLOUGH_CLASSES]
    correct = sum(1 for t, p in zip(labels, predicted) if t == p)
    return {
        "accuracy": round(correct / max(1, len(labels)), 4),
        "confusion": {"labels": list(CLOUGH_CLASSES), "rows_true_columns_predicted": matrix},
        "recall_by_class": {
            c: round(matrix[i][i] / max(1, sum(matrix[i])), 4) for i, c in enumerate(CLOUGH_CLASSES)
        },
    }


def evaluate_clough(folder: str | Path, settings: Settings = DEFAULT, depth: int = 3) -> dict:
    """Derivation class (cut / light / heavy / non) per answer, engine against
    a 3-gram containment baseline, both by leave-one-out decision trees."""
    folder = Path(folder)
    rows = load_clough(folder)
    base = folder / "data" if (folder / "data").is_dir() else folder
    sources = {task: _read_text(base / f"orig_task{task}.txt") for task in {r[1] for r in rows}}
    labels = [r[2] for r in rows]
    engine_x, baseline_x = [], []
    for name, task, _, text in rows:
        answer = Article(id=name, text=text, form=detect_form(text))
        source = Article(id=f"orig_task{task}", text=sources[task], form=detect_form(sources[task]))
        engine_x.append(alignment_features(answer, source, settings))
        baseline_x.append([containment(text, sources[task])])
    return {
        "answers": len(rows),
        "classes": dict(Counter(labels)),
        "procedure": f"leave-one-out decision tree, max depth {depth}, min 3 answers a leaf",
        "engine": {
            "features": ["passage share", "aligned share", "long-stretch share", "stretch length"],
            **_class_scores(labels, _loo_tree(engine_x, labels, depth)),
        },
        "baseline": {
            "features": ["word 3-gram containment"],
            **_class_scores(labels, _loo_tree(baseline_x, labels, depth)),
        },
    }


def clough_table(result: dict):
    """A rich table: accuracy and per-class recall, engine against containment."""
    from rich.table import Table

    table = Table(title=f"Clough & Stevenson derivation classes ({result['answers']} answers, {result['procedure']})")
    table.add_column("system")
    table.add_column("accuracy", justify="right")
    for c in CLOUGH_CLASSES:
        table.add_column(f"{c} recall", justify="right")
    for name in ("engine", "baseline"):
        r = result[name]
        table.add_row(
            "engine alignment" if name == "engine" else "3-gram containment",
            f"{r['accuracy']:.3f}",
            *(f"{r['recall_by_class'][c]:.3f}" for c in CLOUGH_CLASSES),
        )
    lines = [f"engine features: {', '.join(result['engine']['features'])}"]
    for name in ("engine", "baseline"):
        m = result[name]["confusion"]["rows_true_columns_predicted"]
        lines.append(f"{name} confusion (rows true {'/'.join(CLOUGH_CLASSES)}, columns predicted): {m}")
    table.caption = "\n".join(lines)
    return table
