"""The story level of the desk: developments that report one seminal event make a story.

``StoryLevel`` is mixed into ``StoryDesk`` and works on its state: the developments
(``book``, ``parent``), the stories as a union-find over them (``above``; a root names
a story), ``story_names``, ``story_days``, ``story_developments`` and ``merges``, and
on its weights and time (``_sum``, ``_gap``, ``_days_between``). A new development
joins the story of a development it is close to, counting its names and the time from
that story in lengths of the story's run, or starts a story. A story is read through its
latest ``story_recent`` developments only, so an arrival's work does not grow with the
story. An undated arrival's development is its story's only link: with no time there is
no telling a later development from another event of the kind. When two stories turn
out to be one, the one begun first keeps its id and the merge is recorded in ``merges``.
"""
from __future__ import annotations

import math
from itertools import repeat
from operator import itemgetter, mul

from ..union_find import root


class StoryLevel:
    """The stories of a ``StoryDesk``: scoring a development's story, uniting stories,
    and reading them out."""

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids, in arrival order."""
        members: dict[int, list[int]] = {}
        for i, b in enumerate(self.book):
            if b is not None:
                members.setdefault(self._story(i), []).extend(b.members)
        return {self.story_names[r]: [self.ids[i] for i in sorted(m)] for r, m in members.items()}

    def timeline(self) -> dict[str, list[str]]:
        """Story id -> its development ids, in the order they began."""
        out: dict[str, list[str]] = {}
        for i, b in enumerate(self.book):
            if b is not None:
                out.setdefault(self.story_names[self._story(i)], []).append(b.id)
        return out

    def _score_story_level(self, vec: dict[int, float], scored: list[tuple], day: int | None,
                           cold: float) -> list[tuple]:
        """The stories an arrival belongs to beyond its development, best first: (score,
        development, best article, days apart). A candidate development's story is scored
        as a whole: the arrival's mean cosine with the reports of the story's latest
        ``story_recent`` developments, less ``story_gap`` per doubling of the days from the
        story counted in lengths of its run (a story that ran for weeks takes a report days
        later; one of a day, hardly). Average link over the story, not its one nearest
        development, so that one story does not chain a subject's news into itself."""
        o = self.settings
        if day is None:  # no time, no telling a later development from another event of the kind
            return []
        best: dict[int, tuple] = {}
        zeros = repeat(0.0)
        for _, dev, cand, *_ in scored:
            top = self._story(dev)
            days = self.story_days.get(top)
            if days is None or top in best:
                continue
            recent = self._latest_developments(top)
            sums = [self._sum(d) for d in recent]
            reports = sum(len(self.book[d].members) for d in recent)
            sim = sum(sum(map(mul, vec.values(), map(total.get, vec.keys(), zeros))) for total in sums) / reports
            gap = self._gap(days[0], days[1], day)
            run = self._days_between(days[0], days[1]) if days[1] > days[0] else 0
            best[top] = (sim - o.story_gap * math.log2(1 + gap / (1 + run)), dev, cand, gap)
        return sorted((b for b in best.values() if b[0] >= o.story_join + cold), key=itemgetter(0), reverse=True)

    def _latest_developments(self, top: int) -> list[int]:
        """Story ``top``'s latest ``story_recent`` developments, in the order begun: read
        from the end of its list, so the work does not grow with the story."""
        book, want = self.book, self.settings.story_recent
        latest = []
        for dev in reversed(self.story_developments[top]):
            if book[dev] is not None:  # one merged away (a desk saved before they were dropped)
                latest.append(dev)
                if len(latest) == want:
                    break
        latest.reverse()
        return latest

    def _story(self, dev: int) -> int:
        """The story (its root index) a development is in."""
        return root(self.above, root(self.parent, dev))

    def _unite(self, a: int, b: int, article_id: str, keep_first: bool = True) -> str | None:
        """Put the stories of developments ``a`` and ``b`` together; the id of the story
        that went, or None when they were one. The story begun first keeps its id
        (``keep_first``), else ``a``'s."""
        ra, rb = self._story(a), self._story(b)
        if ra == rb:
            return None
        keep, gone = (min(ra, rb), max(ra, rb)) if keep_first else (ra, rb)
        self.above[gone] = keep
        days = [d for r in (keep, gone) if r in self.story_days for d in self.story_days.pop(r)]
        if days:
            self.story_days[keep] = (min(days), max(days))
        name = self.story_names.pop(gone)
        self.story_developments[keep] = sorted(self.story_developments[keep] + self.story_developments.pop(gone))
        self.merges.append({"story": self.story_names[keep], "merged": name, "article": article_id})
        return name
