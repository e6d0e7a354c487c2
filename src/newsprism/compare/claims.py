"""Claims: what a number is said with, and which values of one quantity can disagree.

A claim is a value with what it counts (its quantity), its qualifier (``QUALIFIERS``:
expected, goal, required, at least, up to, more than, about, or none), its frame (the
month, year or period it is about) and its place. This module holds the word-level
pieces, pure and free of any tagger: ``qualifier(before, after)`` reads the cue words
around a number, ``frame_of_date`` tells a date that frames a claim (a month, a year, a
named period) from a day, ``is_place_name`` looks a name up among the world's countries
and their subdivisions (pycountry), and ``claim_groups`` splits one quantity's values into
claims: two values are one claim only with the same qualifier, a frame and a place in
common (or none stated); within a claim, values join when ``joins`` says they are about one thing.
``one_anatomy`` tells whether what two sentences predicate their values of can be one thing,
and ``consistent`` whether two values say one figure as outlets round and estimate it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Sequence
from functools import lru_cache
from typing import Optional

from ..text.canonical import fold

QUALIFIERS = ("expected", "goal", "required", "at least", "up to", "more than", "about")

# Words right before a number: its bound or estimate ("at least 9", "nearly 8 percent").
_BOUNDS = {
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "a minimum of": "at least",
    "more than": "more than", "over": "more than", "above": "more than", "upwards of": "more than",
    "in excess of": "more than", "greater than": "more than", "higher than": "more than",
    "exceeding": "more than", "topping": "more than",
    "up to": "up to", "as many as": "up to", "as much as": "up to", "at most": "up to",
    "no more than": "up to", "less than": "up to", "fewer than": "up to", "under": "up to",
    "below": "up to", "a maximum of": "up to",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "nearly": "about", "almost": "about", "estimated": "about",
    "close to": "about", "approx": "about", "an estimated": "about",
}
# Words in the number's clause that make it something other than a reported count.
_MODAL: dict[str, str] = {}
for _q, _words in {
    "required": "required requires require requirement requirements needed necessary minimum threshold",
    "expected": "expected expecting expect expects expectation expectations forecast forecasts forecasted "
                "forecasting projected projecting projection projections predicted predicting prediction "
                "predictions anticipated anticipating consensus",
    "goal": "goal goals target targets targeted targeting aim aims aimed aiming pledge pledged pledges "
            "pledging promise promised promises vow vowed vows",
}.items():
    for _w in _words.split():
        _MODAL[_w] = _q
_MODAL_AFTER = {"required", "needed", "expected", "forecast", "projected", "targeted", "predicted"}
_MODAL_ORDER = {"required": 0, "expected": 1, "goal": 2}


def qualifier(before: Sequence[str], after: Sequence[str]) -> Optional[str]:
    """The qualifier of a number, from the lower-case words of its clause before it (nearest
    last) and the few words right after it: a modal cue ("expected", "goal", "required")
    anywhere in them wins over a bound or estimate right before the number."""
    modal = [_MODAL[w] for w in before if w in _MODAL]
    modal += [_MODAL[w] for w in after if w in _MODAL_AFTER]
    if " ".join(before[-2:]) == "looking for":
        modal.append("expected")
    if modal:
        return min(modal, key=_MODAL_ORDER.__getitem__)
    for n in (3, 2, 1):
        if len(before) >= n and " ".join(before[-n:]) in _BOUNDS:
            return _BOUNDS[" ".join(before[-n:])]
    return None


_FRAME_DATE = re.compile(r"\d{4}(?:-\d\d)?|--\d\d|\d{4}/\d{4}|\d{3}0s|(?:last|next|this) (?:week|weekend)")
DURATION_UNITS = {"day", "week", "month", "year", "decade"}
DURATION_CUES = {"over", "for", "during", "within", "across", "in", "past", "next", "last", "first"}


def frame_of_date(value: str) -> Optional[str]:
    """A date value that frames a claim: a month, a year, years, a named week; a single day
    (often when something was said or reported) frames nothing."""
    return value if _FRAME_DATE.fullmatch(value) else None


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    import pycountry

    names = set()
    for c in pycountry.countries:
        names.update(getattr(c, k, "") or "" for k in ("name", "common_name", "official_name"))
    names.update(s.name for s in pycountry.subdivisions)
    return frozenset(fold(n) for n in names if len(n) >= 4)


def is_place_name(name: str) -> bool:
    """Is this name a country or a country's subdivision (a state, a province, a region)?"""
    return fold(name) in _places()


def _meet(a: Optional[frozenset], b: Optional[frozenset]) -> tuple[bool, Optional[frozenset]]:
    """Can two claims' candidates (frames or places; None: the sentences say none) be one,
    and what is left of them once joined?"""
    if a is None or b is None:
        return True, a if b is None else b
    both = a & b
    return bool(both), both


def claim_groups(values: Sequence[Hashable], qualifier_of: Callable[[Hashable], Optional[str]],
                 frames_of: Callable[[Hashable], set], places_of: Callable[[Hashable], set],
                 same: Callable[[Hashable, Hashable], bool],
                 joins: Callable[[Hashable, Hashable], bool]) -> list[list[Hashable]]:
    """Values of one quantity put into claims, in the order given.

    Two values join when they have one qualifier, share a frame and a place among those
    their sentences state (or one states none), and ``same`` (one value, so agreeing) or
    ``joins`` (two values about one thing, so differing) holds. Agreeing values join first.
    """
    groups = [[v] for v in values]
    frames = [frozenset(frames_of(v)) or None for v in values]
    places = [frozenset(places_of(v)) or None for v in values]
    quals = [qualifier_of(v) for v in values]

    def fits(k: int, m: int) -> bool:
        return quals[k] == quals[m] and _meet(frames[k], frames[m])[0] and _meet(places[k], places[m])[0]

    for test in (same, joins):
        changed = True
        while changed:
            changed = False
            for k in range(len(groups)):
                m = next((m for m in range(k + 1, len(groups)) if fits(k, m)
                          and any(test(a, b) for a in groups[k] for b in groups[m])), None)
                if m is not None:
                    groups[k] += groups.pop(m)
                    frames[k] = _meet(frames[k], frames.pop(m))[1]
                    places[k] = _meet(places[k], places.pop(m))[1]
                    quals.pop(m)
                    changed = True
                    break
    return groups


# Verbs reports use for one act, each list one act (lemmas): "five villages were hit",
# "seven villages were affected"; "killed three", "three died".
_ONE_ACT = (
    "hit strike affect impact batter rock jolt shake",
    "kill die perish",
    "injure wound hurt",
    "seize confiscate capture impound",
    "arrest detain apprehend",
    "damage cut sever",
    "evacuate flee displace",
    "score tally net",
)
_ACT_OF = {verb: k for k, verbs in enumerate(_ONE_ACT) for verb in verbs.split()}


def _predicate_words(predicate: str) -> set[str]:
    return {f"act {_ACT_OF[w]}" if w in _ACT_OF else w for w in predicate.split()}


def one_anatomy(predicates: tuple[Optional[str], Optional[str]], holders: tuple[Optional[str], Optional[str]],
                scopes: tuple[Sequence[str], Sequence[str]]) -> bool:
    """Can two values be one claim, by what their sentences predicate them of
    (``facts.anatomy``)? Not with two predicates ("missed" and "played"; a noun phrase
    meets another sharing a word: "apartment", "apartment complex"; verbs of one act
    meet: "hit", "affected"), two holders that share no name ("Phillips missed", "Bush
    missed"), or another scope ("the last two games", "four games"; a whole against a
    part). An unknown side stays open."""
    if set(scopes[0]) != set(scopes[1]):
        return False
    if None not in predicates and not _predicate_words(predicates[0]) & _predicate_words(predicates[1]):
        return False
    if None not in holders and not set(holders[0].split()) & set(holders[1].split()):
        return False
    return True


def _significant(x: float) -> int:
    """Significant digits of a value as written: 1200000000000 -> 2, 4051 -> 4."""
    digits = f"{x:.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return max(1, len(digits.rstrip("0")))


def _round_to(x: float, digits: int) -> float:
    from math import floor, log10

    if x == 0:
        return 0.0
    scale = 10 ** (floor(log10(abs(x))) - digits + 1)
    return floor(x / scale + 0.5) * scale


def consistent(a: str, b: str, qualifier: Optional[str] = None, round_values: Collection[str] = ()) -> bool:
    """Do two values of one claim say one thing, as outlets round and estimate? Equal; or a
    round amount (one of ``round_values``, written with a scale word: "$1 trillion"; two
    significant digits at most) that is the other rounded ("$1.2 trillion"); or, when both
    are estimates ("about"), within a tenth of each other."""
    if a == b:
        return True
    (x, *unit_x), (y, *unit_y) = a.split(), b.split()
    if unit_x != unit_y:
        return False
    try:
        x_, y_ = abs(float(x)), abs(float(y))
    except ValueError:
        return False
    (coarse, fine), written = ((x_, y_), a) if _significant(x_) <= _significant(y_) else ((y_, x_), b)
    if written in round_values and _significant(coarse) <= 2 and _round_to(fine, _significant(coarse)) == coarse:
        return True
    return qualifier == "about" and min(x_, y_) > 0 and max(x_, y_) / min(x_, y_) <= 1.1
