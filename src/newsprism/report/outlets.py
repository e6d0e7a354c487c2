"""Outlets across stories: who copies whom and how much, one outlet's profile, the copy network.

Pure, over report data (report.json's stories) and an outlet registry. ``copy_flows``
sums, for every (source outlet, taking outlet) pair, the words of the passages one took
from the other (``reuse``); articles of no known outlet are one outlet, and what they share
among themselves is left out (nobody can say who took from whom). ``outlet_profile`` is one
outlet's side of it: its stories, whom it takes from, who takes from it, the share of its
text that is passages taken from other outlets, its quotations. ``network_svg`` draws the
flows as an SVG (no script): one circle an outlet, one arrow a flow, as thick as its words.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from xml.sax.saxutils import escape

from ..compare.leaning import outlet_of
from ..outlets_registry import Registry
from ..spans import covered as covered_chars

NETWORK_OUTLETS = 24  # outlets drawn at most (those with the most words flowing in or out)


def copy_flows(stories: Iterable[dict], registry: Registry | None = None) -> list[dict]:
    """[{"source", "taker", "words", "passages", "articles", "stories"}], most words first."""
    flows: dict[tuple[str, str], dict] = {}
    for story in stories:
        names = {a["id"]: outlet_of(a, registry) for a in story.get("articles", [])}
        for r in story.get("reuse", []):
            src, der = names.get(r["source"]), names.get(r["derived"])
            if not src or not der or src == der:
                continue
            f = flows.setdefault((src, der), {"source": src, "taker": der, "words": 0, "passages": 0,
                                              "articles": 0, "stories": set()})
            f["words"] += sum(p["words"] for p in r["passages"])
            f["passages"] += len(r["passages"])
            f["articles"] += 1
            f["stories"].add(story["id"])
    out = [{**f, "stories": len(f["stories"])} for f in flows.values()]
    return sorted(out, key=lambda f: (-f["words"], f["source"], f["taker"]))


def outlet_profile(name: str, stories: Iterable[dict], registry: Registry | None = None) -> dict:
    """One outlet across the stories given: what it covered, took and gave, and quoted."""
    covered, quotations = [], []
    takes, gives = Counter(), Counter()
    chars = copied = 0
    for story in stories:
        names = {a["id"]: outlet_of(a, registry) for a in story.get("articles", [])}
        own = [a for a in story.get("articles", []) if names[a["id"]] == name]
        if not own:
            continue
        covered.append({"id": story["id"], "title": story.get("title"), "articles": len(own),
                        "published": min((a.get("published") or "" for a in own), default="") or None})
        taken: dict[str, list] = {a["id"]: [] for a in own}
        for r in story.get("reuse", []):
            src, der = names.get(r["source"]), names.get(r["derived"])
            if src == der:
                continue
            words = sum(p["words"] for p in r["passages"])
            if der == name:
                takes[src] += words
                taken[r["derived"]].extend(tuple(p["derived"]) for p in r["passages"])
            elif src == name:
                gives[der] += words
        for a in own:
            chars += len(a.get("text") or "")
            copied += covered_chars(taken[a["id"]])
        ids = set(taken)
        for q in story.get("quotations", []):
            for v in q.get("variants", []):
                if any(a in ids for a in v.get("articles", [])):
                    quotations.append({"speaker": q.get("speaker"), "text": v["text"], "story": story["id"]})
                    break
    return {
        "name": name,
        "stories": covered,
        "takes_from": takes.most_common(),
        "taken_by": gives.most_common(),
        "copied_share": copied / chars if chars else 0.0,
        "quotations": quotations,
    }


def network_svg(flows: list[dict], width: int = 760) -> str:
    """The flows as an SVG picture: outlets on a circle, an arrow from source to taker."""
    weight = Counter()
    for f in flows:
        weight[f["source"]] += f["words"]
        weight[f["taker"]] += f["words"]
    nodes = [n for n, _ in weight.most_common(NETWORK_OUTLETS)]
    shown = [f for f in flows if f["source"] in nodes and f["taker"] in nodes]
    height = width
    cx, cy, radius = width / 2, height / 2, width / 2 - 150
    place = {n: (cx + radius * math.cos(2 * math.pi * i / max(1, len(nodes)) - math.pi / 2),
                 cy + radius * math.sin(2 * math.pi * i / max(1, len(nodes)) - math.pi / 2))
             for i, n in enumerate(nodes)}
    most = max((f["words"] for f in shown), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="network" '
        f'aria-label="copy network: {len(nodes)} outlets, {len(shown)} flows">',
        "<title>Who took passages from whom: an arrow from the source to the taker, as thick as the words taken"
        "</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b08d00"/></marker></defs>',
    ]
    for f in reversed(shown):
        (x1, y1), (x2, y2) = place[f["source"]], place[f["taker"]]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1
        ux, uy = dx / length, dy / length
        x1, y1, x2, y2 = x1 + 14 * ux, y1 + 14 * uy, x2 - 16 * ux, y2 - 16 * uy
        # bend to the right of the direction, so that A->B and B->A are two arrows
        mx, my = (x1 + x2) / 2 - uy * length * 0.12, (y1 + y2) / 2 + ux * length * 0.12
        stroke = 1 + 7 * f["words"] / most
        label = escape(f"{f['source']} → {f['taker']}: {f['words']} words in {f['passages']} passages, "
                       f"{f['stories']} stories")
        parts.append(f'<path class="flow" d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" '
                     f'fill="none" stroke="#b08d00" stroke-opacity=".7" stroke-width="{stroke:.1f}" '
                     f'marker-end="url(#arrow)"><title>{label}</title></path>')
    for n in nodes:
        x, y = place[n]
        anchor = "start" if x > cx + 1 else ("end" if x < cx - 1 else "middle")
        tx = x + (18 if anchor == "start" else -18 if anchor == "end" else 0)
        ty = y + (4 if anchor != "middle" else (-18 if y < cy else 26))
        parts.append(f'<g class="outlet"><circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="#0b57d0"/>'
                     f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="13" '
                     f'font-family="system-ui, sans-serif">{escape(n[:40])}</text></g>')
    if not nodes:
        parts.append(f'<text x="{cx}" y="{cy}" text-anchor="middle" font-size="15">No outlet took passages '
                     "from another in this period.</text>")
    parts.append("</svg>")
    return "\n".join(parts)
