"""Who said it, on real news: the speakers of direct quotations against a hand-checked sample.

The sample (``tests/data/speaker_sample.jsonl``; how it was drawn and labelled:
``tests/data/SPEAKER_SAMPLE.md``) gives, per quotation, the article id, the quotation's span
in the article's text, the speaker the engine gave when it was drawn (``engine``), the true
speaker as the article tells it (``speaker``) and a judgement of the engine's: "right",
"wrong" or "unknowable" (the article does not say who spoke).

``evaluate_speaker_sample`` re-extracts the quotations of those articles with today's code.
A quotation is found when a quotation of today overlaps its span. Found with the speaker it
was judged on, the judgement stands; with another speaker, that speaker is right when it
names the true speaker (``same_person``) and is listed under ``changed`` to be read again.
Accuracy is right / (right + wrong) over the quotations found with a speaker; those no longer
found, or found with no speaker, are counted apart, and "unknowable" ones are left out.
``speaker_share`` is the share of a corpus's direct quotations that get a speaker at all.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

from ..compare.quotes import extract_quotations, same_person
from ..model import Quotation
from . import GoldError, corpus_article, read_gold_lines, read_judged, wilson_interval

JUDGEMENTS = ("right", "wrong", "unknowable")


def corpus_quotations(corpora: list[str | Path], ids: Optional[set[str]] = None) -> dict[str, list[Quotation]]:
    """The direct quotations of each article of the corpora (of ``ids`` only, when given), as a
    story shows them alone: "closing words" are shown only beside another outlet's wording."""
    found = {}
    for path in corpora:
        for row in read_gold_lines(path, ("id", "text"), "a corpus of articles (id, text)"):
            if ids is None or row["id"] in ids:
                found[row["id"]] = [q for q in extract_quotations(corpus_article(row))
                                    if q.found_by != "closing words"]
    return found


def _today(quotations: list[Quotation], span: list[int]) -> Optional[Quotation]:
    """Today's quotation at a labelled span: the one sharing the most characters with it."""
    s, e = span
    shared = [(min(e, q.span[1]) - max(s, q.span[0]), q) for q in quotations]
    best = max(shared, key=lambda x: x[0], default=(0, None))
    return best[1] if best[0] > 0 else None


def judge(label: dict, quotation: Optional[Quotation]) -> str:
    """"right", "wrong", "unknowable", "not found" or "no speaker": a labelled quotation as
    today's code finds it."""
    if quotation is None:
        return "not found"
    if not quotation.speaker:
        return "no speaker"
    if label["judgement"] == "unknowable":
        return "unknowable"
    if quotation.speaker == label["engine"]:
        return label["judgement"]
    return "right" if same_person(quotation.speaker, label["speaker"]) else "wrong"


def evaluate_speaker_sample(sample_path: str | Path, corpora: list[str | Path],
                            quotations: Optional[dict[str, list[Quotation]]] = None) -> dict:
    """Speaker accuracy of today's code on the hand-checked sample (``quotations`` of the
    sample's articles extracted here unless given). Returns ``{"sample", "right", "wrong",
    "unknowable", "not found", "no speaker", "changed", "accuracy", "interval": [low, high]
    (Wilson, 95%), "errors": {class: n}, "misses": [...]}``."""
    labels = read_judged(sample_path, ("article", "span", "engine", "speaker", "judgement"),
                         "hand-checked speakers (article, span, engine, speaker, judgement)", "judgement", JUDGEMENTS)
    wanted = {x["article"] for x in labels}
    if quotations is None:
        quotations = corpus_quotations(corpora, wanted)
    missing = sorted(wanted - set(quotations))
    if missing:
        raise GoldError(f"{sample_path}: {len(missing)} articles are in none of the corpora given "
                        f"({', '.join(missing[:3])}...)")
    counts: Counter = Counter()
    errors: Counter = Counter()
    changed, misses = [], []
    for label in labels:
        now = _today(quotations[label["article"]], label["span"])
        verdict = judge(label, now)
        counts[verdict] += 1
        said = now.speaker if now else None
        if said and said != label["engine"] and verdict != "unknowable":
            changed.append({"article": label["article"], "span": label["span"], "was": label["engine"],
                            "now": said, "speaker": label["speaker"], "verdict": verdict})
        if verdict == "wrong":
            errors[label.get("error") if said == label["engine"] else "changed, not read"] += 1
        if verdict in ("wrong", "not found", "no speaker"):
            misses.append({"article": label["article"], "span": label["span"], "now": said,
                           "speaker": label["speaker"], "verdict": verdict,
                           **({"reason": label["reason"]} if "reason" in label and said == label["engine"] else {})})
    judged = counts["right"] + counts["wrong"]
    low, high = wilson_interval(counts["right"], judged)
    return {
        "sample": len(labels),
        **{k: counts[k] for k in ("right", "wrong", "unknowable", "not found", "no speaker")},
        "changed": changed,
        "accuracy": round(counts["right"] / judged, 4) if judged else 0.0,
        "interval": [round(low, 4), round(high, 4)],
        "errors": dict(errors.most_common()),
        "misses": misses,
    }


def _share(found: list[Quotation]) -> dict:
    spoken = sum(1 for q in found if q.speaker)
    return {"quotations": len(found), "with_speaker": spoken, "share": round(spoken / len(found), 4) if found else 0.0}


def speaker_share(quotations: dict[str, list[Quotation]]) -> dict:
    """How many direct quotations get a speaker: ``{"articles", "quotations", "with_speaker",
    "share", "uncut": same}``, "uncut" leaving out the quotations a text cut short ends inside
    (an excerpt often ends before the words that say who spoke)."""
    found = [q for qs in quotations.values() for q in qs]
    return {"articles": len(quotations), **_share(found), "uncut": _share([q for q in found if not q.cut])}


def evaluate_speakers(sample_path: str | Path, corpora: list[str | Path]) -> dict:
    """The sample's speaker accuracy and, over every article of the corpora, the share of
    direct quotations with a speaker: ``evaluate_speaker_sample`` with ``"corpus":
    speaker_share``."""
    quotations = corpus_quotations(corpora)
    result = evaluate_speaker_sample(sample_path, corpora, quotations)
    result["corpus"] = speaker_share(quotations)
    return result


def speakers_table(result: dict):
    """A rich Table of an ``evaluate_speakers`` result."""
    from rich.table import Table

    table = Table(title=f"Speakers of direct quotations: {result['sample']} hand-checked")
    table.add_column("figure")
    table.add_column("value", justify="right")
    judged = result["right"] + result["wrong"]
    low, high = result["interval"]
    table.add_row("accuracy (right of judged)", f"{result['accuracy']:.3f} ({result['right']} of {judged})")
    table.add_row("95% interval", f"{low:.3f} - {high:.3f}")
    for key in ("unknowable", "not found", "no speaker"):
        table.add_row(key, str(result[key]))
    table.add_row("speaker changed since labelled", str(len(result["changed"])))
    for error, n in result["errors"].items():
        table.add_row(f"wrong: {error}", str(n))
    if "corpus" in result:
        c = result["corpus"]
        for label, part in (("quotations with a speaker (corpus)", c), ("  not cut short", c["uncut"])):
            table.add_row(label, f"{part['share']:.3f} ({part['with_speaker']} of {part['quotations']})")
    return table
