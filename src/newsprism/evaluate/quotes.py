"""Quotation and attribution extraction measured on PolNeAR.

PolNeAR (``polnear/{train,dev}/``) gives each article as ``text/NAME.txt`` and
its attributions as BRAT standoff ``attributions/NAME_ANNOTATOR.ann`` (``T``
lines: ``Source``, ``Cue``, ``Content`` spans; ``E`` lines tie one attribution
together); where several annotators marked an article, the first in sorted order
is taken.

Each role's span is cut into fragments, their ends trimmed of spaces,
punctuation and quotation marks; *exact* wants equal fragments, *overlap* a
shared character. *direct* scores only attributions whose content is a
quotation inside quotation marks; *speaker_accuracy* is the share of predicted
direct quotations found whose source overlaps the gold source. The definitions
in full: docs/decisions/evaluation.md.

``evaluate_quotes(dir)`` runs the project's extractor over a split and returns
``{"all": {role: {"exact"|"overlap": {"precision", "recall", "f1"}}},
"direct": same, "speaker_accuracy", "counts": {...}}``. The extractor finds direct
quotations only, so *all* counts reported speech as missed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..model import Span
from ..spans import overlaps
from . import GoldError

ROLES = ("content", "source", "cue")
_TRIM = set(" \t\r\n\xa0\"“”„‘’'`.,;:!?—–-…()[]")
_QUOTES_OPEN = "\"“„«'‘"
_QUOTES_CLOSE = "\"”»'’"


@dataclass
class Attribution:
    """One attribution: fragments of its source, cue and content."""

    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)
    speaker: Optional[str] = None  # the resolved speaker, when the extractor gives one


@dataclass
class GoldArticle:
    name: str
    text: str
    attributions: list[Attribution]


# ---------------------------------------------------------------- reading PolNeAR


def _parse_ann(path: Path) -> list[Attribution]:
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            kind, _, rest = parts[1].partition(" ")
            frags = []
            for frag in rest.split(";"):
                a, b = frag.split()
                frags.append((int(a), int(b)))
            spans[parts[0]] = (kind, frags)
        elif parts[0].startswith("E"):
            args = dict(arg.split(":", 1) for arg in parts[1].split()[1:] if ":" in arg)
            events.append(args)
    out = []
    for ev in events:
        att = Attribution()
        for role, key in (("source", "Source"), ("cue", "Cue"), ("content", "Content")):
            if key in ev and ev[key] in spans:
                setattr(att, role, list(spans[ev[key]][1]))
        if att.content or att.cue:
            out.append(att)
    return out


def load_polnear(split_dir: str | Path) -> list[GoldArticle]:
    """Articles of one PolNeAR split (a directory holding ``text/`` and ``attributions/``)."""
    split_dir = Path(split_dir)
    anns: dict[str, Path] = {}
    for ann in sorted((split_dir / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(name, ann)
    out = []
    for name, ann in sorted(anns.items()):
        txt = split_dir / "text" / f"{name}.txt"
        if txt.exists():
            out.append(GoldArticle(name, txt.read_text(encoding="utf-8"), _parse_ann(ann)))
    return out


# ---------------------------------------------------------------- span arithmetic


def trim(text: str, span: Span) -> Optional[Span]:
    s, e = span
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return (s, e) if e > s else None


def fragments(text: str, spans: Iterable[Span]) -> list[Span]:
    """Trimmed fragments, neighbours separated by spaces or punctuation only merged."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        gap = text[merged[-1][1] : s] if merged else ""
        if merged and "\n" not in gap and all(c in _TRIM for c in gap) and s >= merged[-1][0]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out = []
    for s, e in merged:
        t = trim(text, (s, e))
        if t:
            out.append(t)
    return out


def is_direct(text: str, span: Span) -> bool:
    """A quotation inside quotation marks: opens with a mark whose closing mark ends it."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:!?"):
        e -= 1
    if e - s < 3 or text[s] not in _QUOTES_OPEN or text[e - 1] not in _QUOTES_CLOSE:
        return False
    inner = text[s + 1 : e - 1]
    if text[s] in "'‘":
        return "’" not in inner.replace("’s", "").replace("n’t", "") and "'" not in inner
    return not any(c in inner for c in '"“”„«»')


def _direct_span(text: str, span: Span) -> bool:
    """The test on a span as given, widened to the quotation marks right around it."""
    s, e = span
    while s > 0 and text[s - 1] in " \xa0":
        s -= 1
    if s > 0 and text[s - 1] in _QUOTES_OPEN:
        s -= 1
    while e < len(text) and text[e] in ".,;:!?":
        e += 1
    if e < len(text) and text[e] in _QUOTES_CLOSE:
        e += 1
    return is_direct(text, (s, e))


def is_quoted(text: str, span: Span) -> bool:
    """A direct quotation's content: inside quotation marks, as given or right around it."""
    return is_direct(text, span) or _direct_span(text, span)


# ---------------------------------------------------------------- scoring


def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> dict:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


class _Tally:
    def __init__(self) -> None:
        self.c = {r: {"exact": [0, 0, 0, 0], "overlap": [0, 0, 0, 0]} for r in ROLES}

    def add(self, role: str, gold: set[Span], pred: set[Span]) -> None:
        ex = self.c[role]["exact"]
        ex[0] += len(pred & gold)
        ex[1] += len(pred)
        ex[2] += len(pred & gold)
        ex[3] += len(gold)
        ov = self.c[role]["overlap"]
        ov[0] += sum(1 for p in pred if any(overlaps(p, g) for g in gold))
        ov[1] += len(pred)
        ov[2] += sum(1 for g in gold if any(overlaps(p, g) for p in pred))
        ov[3] += len(gold)

    def result(self) -> dict:
        return {r: {m: _prf(*self.c[r][m]) for m in ("exact", "overlap")} for r in ROLES}

    def counts(self) -> dict:
        return {r: {"gold": self.c[r]["exact"][3], "predicted": self.c[r]["exact"][1]} for r in ROLES}


def _role_spans(text: str, atts: Sequence[Attribution], role: str) -> set[Span]:
    return {f for a in atts for f in fragments(text, getattr(a, role))}


def _direct_part(text: str, atts: Sequence[Attribution]) -> list[Attribution]:
    out = []
    for a in atts:
        direct = [f for f in fragments(text, a.content) if is_quoted(text, f)]
        if direct:
            out.append(Attribution(a.source, a.cue, direct, a.speaker))
    return out


def score(articles: Sequence[GoldArticle], predict: Callable[[str], list[Attribution]]) -> dict:
    """Score a predictor (text -> attributions) on gold articles."""
    all_t, dir_t = _Tally(), _Tally()
    speaker_ok = speaker_n = 0
    for art in articles:
        pred = predict(art.text)
        for role in ROLES:
            all_t.add(role, _role_spans(art.text, art.attributions, role), _role_spans(art.text, pred, role))
        gd, pd = _direct_part(art.text, art.attributions), _direct_part(art.text, pred)
        for role in ROLES:
            dir_t.add(role, _role_spans(art.text, gd, role), _role_spans(art.text, pd, role))
        for p in pd:
            p_src = fragments(art.text, p.source)
            for pc in p.content:
                gold = next((g for g in gd if any(overlaps(pc, gc) for gc in g.content)), None)
                if gold is None:
                    continue
                g_src = fragments(art.text, gold.source)
                if not g_src:
                    continue
                speaker_n += 1
                speaker_ok += any(overlaps(a, b) for a in p_src for b in g_src)
    return {
        "all": all_t.result(),
        "direct": dir_t.result(),
        "speaker_accuracy": round(speaker_ok / speaker_n, 4) if speaker_n else 0.0,
        "counts": {
            "articles": len(articles),
            "all": all_t.counts(),
            "direct": dir_t.counts(),
            "speaker_checked": speaker_n,
        },
    }


# ---------------------------------------------------------------- the project's extractor


def predict_attributions(text: str) -> list[Attribution]:
    """The project's attribution extractor: the direct quotations and their cues."""
    from ..compare.quotes import attributions

    return [Attribution(**a) for a in attributions(text)]


def evaluate_quotes(split_dir: str | Path, limit: Optional[int] = None) -> dict:
    """PolNeAR scores of the project's extractor on one split directory."""
    articles = load_polnear(split_dir)
    if not articles:
        raise GoldError(f"{split_dir}: no PolNeAR documents (text/NAME.txt beside attributions/NAME_*.ann)")
    if limit is not None:
        articles = articles[:limit]
    return score(articles, predict_attributions)


def quotes_table(result: dict):
    """A rich table of ``evaluate_quotes`` output."""
    from rich.table import Table

    table = Table(title="Attribution extraction (PolNeAR)")
    table.add_column("subset")
    table.add_column("role")
    for m in ("exact", "overlap"):
        for k in ("P", "R", "F1"):
            table.add_column(f"{m} {k}", justify="right")
    for subset in ("all", "direct"):
        for role in ROLES:
            row = [subset, role]
            for m in ("exact", "overlap"):
                r = result[subset][role][m]
                row += [f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}"]
            table.add_row(*row)
    table.caption = f"speaker accuracy (direct quotations found): {result['speaker_accuracy']:.3f}"
    return table
