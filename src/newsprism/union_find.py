"""Groups that grow by joining pairs: the union-find of the comparisons and the story desk."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, MutableMapping, MutableSequence


def root(parent: MutableMapping | MutableSequence, item):
    """The item its group is named by, halving the path on the way (``parent[x]`` is x's
    parent; a root is its own). Works on a dict, a list or an ``array`` of ints."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


class UnionFind:
    """Each item starts alone; ``union(a, b)`` puts their groups together.

    A group is named by its earliest item (in the order the items were given),
    so grouping in a stable order gives stable names.

    >>> groups = UnionFind("abcd")
    >>> groups.union("c", "a"); groups.union("d", "c")
    >>> groups.find("d"), groups.groups()
    ('a', [['a', 'c', 'd'], ['b']])
    """

    def __init__(self, items: Iterable[Hashable]):
        self._parent = {item: item for item in items}
        self._order = {item: k for k, item in enumerate(self._parent)}

    def find(self, item: Hashable) -> Hashable:
        return root(self._parent, item)

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, last = sorted((ra, rb), key=self._order.__getitem__)
            self._parent[last] = first

    def groups(self) -> list[list]:
        """Every group, its items in the order given; groups in the order of their first items."""
        out: dict = {}
        for item in self._parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())
