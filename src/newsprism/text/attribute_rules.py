"""The pipeline's attribute rules (tag -> part of speech and exceptions) matched by lookup.

spaCy's ``attribute_ruler`` runs its ``Matcher`` over every token with every rule, most of
them a single token of a given tag or word. ``index_attribute_rules(nlp)`` gives the ruler
a ``match`` that reads each token's tag, word, dependency and space flag once and looks the
rules up by the values they require; a rule it cannot read (an operator, another attribute)
stays in a ``Matcher`` of its own. The matches are the same set, sorted as the ruler sorts
them, so the ruler sets the same attributes in the same order.
"""
from __future__ import annotations

import re

# Attributes read the same way by the Matcher and by ``Doc.to_array``; flags are 0/1.
_STRINGS = ("ORTH", "LOWER", "TAG", "DEP")
_FLAGS = ("IS_SPACE",)
_SETS = ("IN", "NOT_IN")


class _Spec:
    """One token of a rule: values required equal, sets to be in or out of, patterns to match."""

    def __init__(self, equal: dict[str, int], checks: list[tuple[str, str, object]]):
        self.equal = equal
        self.checks = checks


def _spec(token: dict, strings) -> _Spec | None:
    """A rule's token read for lookup, or None when only the Matcher reads it."""
    from spacy.strings import get_string_id

    equal: dict[str, int] = {}
    checks: list[tuple[str, str, object]] = []
    for attr, value in token.items():
        if attr in _FLAGS and isinstance(value, bool):
            equal[attr] = int(value)
        elif attr not in _STRINGS:
            return None
        elif isinstance(value, str):
            equal[attr] = strings.add(value)
        elif (isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _SETS
              and all(isinstance(v, str) for v in next(iter(value.values())))):
            op, members = next(iter(value.items()))
            checks.append((attr, op, frozenset(get_string_id(v) for v in members)))
        elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
            checks.append((attr, "REGEX", re.compile(value["REGEX"])))
        else:
            return None
    return _Spec(equal, checks)


class IndexedRules:
    """An ``AttributeRuler``'s rules, looked up by the values of each token (see the module)."""

    def __init__(self, ruler):
        from spacy.matcher import Matcher

        self.strings = ruler.vocab.strings
        self.rest = Matcher(ruler.vocab)
        rules: list[tuple[int, list[_Spec]]] = []
        for i, group in enumerate(ruler.patterns):
            match_id = self.strings.add(str(i))  # the ruler's key: its rule's position
            for pattern in group["patterns"]:
                specs = [_spec(token, self.strings) for token in pattern]
                if specs and all(s is not None for s in specs):
                    rules.append((match_id, specs))
                else:
                    self.rest.add(str(i), [pattern])
        self.columns = sorted({a for _, specs in rules for s in specs
                               for a in [*s.equal, *(c[0] for c in s.checks)]})
        # rules by the attributes their first token requires equal, then by those values
        self.tables: dict[tuple[str, ...], dict[tuple[int, ...], list]] = {}
        self.scanned: list[tuple[int, list[_Spec]]] = []  # no value to look up: tried at every token
        for match_id, specs in rules:
            names = tuple(sorted(specs[0].equal))
            if names:
                values = tuple(specs[0].equal[a] for a in names)
                self.tables.setdefault(names, {}).setdefault(values, []).append((match_id, specs))
            else:
                self.scanned.append((match_id, specs))
        self._regex_seen: dict[tuple[str, int], bool] = {}  # (pattern, value): found

    def _holds(self, spec: _Spec, cols: dict[str, list[int]], t: int) -> bool:
        for attr, value in spec.equal.items():
            if cols[attr][t] != value:
                return False
        for attr, op, arg in spec.checks:
            value = cols[attr][t]
            if op == "IN":
                if value not in arg:
                    return False
            elif op == "NOT_IN":
                if value in arg:
                    return False
            elif not self._search(arg, value):
                return False
        return True

    def _search(self, pattern: re.Pattern, value: int) -> bool:
        key = (pattern.pattern, value)
        seen = self._regex_seen.get(key)
        if seen is None:
            seen = self._regex_seen[key] = bool(pattern.search(self.strings[value]))
        return seen

    def _starts(self, spec: _Spec, arrays: dict, cols: dict[str, list[int]]) -> list[int]:
        """The tokens a rule's first token may be, read column by column."""
        import numpy as np

        mask = np.ones(len(cols[self.columns[0]]), dtype=bool)
        for attr, value in spec.equal.items():
            mask &= arrays[attr] == value
        for attr, op, arg in spec.checks:
            if op == "REGEX":
                arg = [v for v in set(cols[attr]) if self._search(arg, v)]
            found = np.isin(arrays[attr], np.array(list(arg), dtype=np.uint64))
            mask &= ~found if op == "NOT_IN" else found
        return np.flatnonzero(mask).tolist()

    def _matches_at(self, cols: dict[str, list[int]], t: int, specs: list[_Spec]) -> bool:
        n = len(cols[self.columns[0]])
        return t + len(specs) <= n and all(self._holds(s, cols, t + j) for j, s in enumerate(specs))

    def match(self, doc) -> list[tuple[int, int, int, int]]:
        """What ``AttributeRuler.match`` gives: (rule, key, start, end), sorted."""
        from spacy.attrs import IDS

        found = set(self.rest(doc, allow_missing=True)) if len(self.rest) else set()
        if self.columns and len(doc):
            array = doc.to_array([IDS[a] for a in self.columns]).reshape(len(doc), len(self.columns))
            arrays = {a: array[:, i] for i, a in enumerate(self.columns)}
            cols = {a: arrays[a].tolist() for a in self.columns}
            for names, table in self.tables.items():
                keys = zip(*(cols[a] for a in names))
                for t, rules in [(t, r) for t, r in enumerate(map(table.get, keys)) if r]:
                    for match_id, specs in rules:
                        if self._matches_at(cols, t, specs):
                            found.add((match_id, t, t + len(specs)))
            for match_id, specs in self.scanned:
                for t in self._starts(specs[0], arrays, cols):
                    if self._matches_at(cols, t, specs):
                        found.add((match_id, t, t + len(specs)))
        matches = [(int(self.strings[m]), m, s, e) for m, s, e in found]
        matches.sort()
        return matches


def index_attribute_rules(nlp) -> None:
    """Have the pipeline's attribute ruler, if any, match its rules by lookup."""
    if "attribute_ruler" in nlp.component_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = IndexedRules(ruler).match
