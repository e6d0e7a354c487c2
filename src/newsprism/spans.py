"""Character spans ``(start, end)`` compared: the checks the comparisons share."""
from __future__ import annotations

from collections.abc import Iterable

from .model import Span


def overlaps(a: Span, b: Span) -> bool:
    """The two spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def overlaps_any(span: Span, spans: Iterable[Span]) -> bool:
    return any(overlaps(span, other) for other in spans)


def inside_any(span: Span, spans: Iterable[Span], slack: int = 2) -> bool:
    """The span lies within one of the spans, give or take ``slack`` characters at each end."""
    s, e = span
    return any(ps - slack <= s and e <= pe + slack for ps, pe in spans)


def covered(spans: Iterable[Span]) -> int:
    """How many characters the spans cover together (an overlap counted once)."""
    total, end = 0, None
    for s, e in sorted(spans):
        if end is None or s >= end:
            total += e - s
            end = e
        elif e > end:
            total += e - end
            end = e
    return total
