"""Boilerplate removal: what a page carries around an article that is not the report.

- a photo caption repeated in the body (the same line twice, the second often
  with a photo credit such as "(Reuters)" after it);
- a "Story highlights" block: the header and the short lines under it;
- "X reports." lines that introduce a video;
- share and follow lines ("Share this article", "Follow us on Twitter");
- a closing source line ("Source: X and agencies"), kept aside as a credit.

``clean`` works on lines and returns the kept text and what it dropped, so the
stored original loses nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_HIGHLIGHTS = re.compile(r"^\s*(story highlights|highlights|key points|what you need to know)\s*:?\s*$", re.I)
_REPORTS = re.compile(r"^[A-Z][\w'’.\- ]{2,60}\breports?\.?\s*$")
_SHARE = re.compile(
    r"^\s*(share (this|on|via)\b.*|click to share.*|follow us on .*|sign up for .*newsletter.*|"
    r"read more:?.*|advertisement|related:?|watch:?|copy link|email|print|tweet|share)\s*$",
    re.I,
)
_SOURCE = re.compile(r"^\s*source\s*:\s*(.{2,80}?)\s*$", re.I)
_CREDIT = re.compile(r"\s*\((?:photo:?\s*)?[A-Z][\w .&/-]{1,40}\)\s*$")
_TERMINAL = re.compile(r"[.!?\"”’:)]\s*$")
# A line that is only a dateline ("Tokyo CNN —", "WASHINGTON (AP) -"): the body starts here.
_DATELINE_LINE = re.compile(r"^[\w\s.,'’()]{2,60}[—–-]\s*$")


@dataclass
class Cleaned:
    text: str
    dropped: list[str] = field(default_factory=list)
    source_line: str | None = None  # "TRTWorld and agencies": a credit, not body text


def _strip_credit(line: str) -> str:
    return _CREDIT.sub("", line).strip()


def _is_highlight_block(lines: list[str], i: int) -> int:
    """Length of a highlights block starting at line i (0 when there is none)."""
    if not _HIGHLIGHTS.match(lines[i]):
        return 0
    j = i + 1
    while j < len(lines):
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        # highlight lines are short and carry no terminal punctuation
        if _DATELINE_LINE.match(line):
            break
        if len(line.split()) <= 25 and not _TERMINAL.search(line):
            j += 1
            continue
        break
    return j - i


def clean(text: str) -> Cleaned:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    stripped = [line.strip() for line in lines]
    counts: dict[str, int] = {}
    for line in stripped:
        if len(line.split()) >= 6:
            key = _strip_credit(line)
            counts[key] = counts.get(key, 0) + 1
    kept: list[str] = []
    dropped: list[str] = []
    source_line = None
    i = 0
    while i < len(lines):
        line = stripped[i]
        block = _is_highlight_block(stripped, i)
        if block:
            dropped.extend(x for x in stripped[i : i + block] if x)
            i += block
            continue
        if line and (
            counts.get(_strip_credit(line), 0) > 1
            or _REPORTS.match(line) and len(line.split()) <= 8
            or _SHARE.match(line)
        ):
            dropped.append(line)
            i += 1
            continue
        m = _SOURCE.match(line)
        if m and i >= len(lines) - 3:
            source_line = m.group(1)
            dropped.append(line)
            i += 1
            continue
        kept.append(lines[i].rstrip())
        i += 1
    body = "\n".join(kept)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return Cleaned(body, dropped, source_line)
