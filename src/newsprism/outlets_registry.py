"""The outlet registry: who an outlet is, as the user says (name, aliases, web domains,
leaning, owner, country, wire service).

newsprism ships no ratings: the registry starts with the wire services the gazetteer
(``ingest.outlets``) knows, and the user adds rows from a CSV file
(``newsprism outlets import FILE.csv``; ``docs/examples/outlets.csv`` shows the
columns). ``read_csv`` reads such a file row by row: a bad row is one problem naming
the file, the line and the reason, and the other rows are read. ``Registry`` links an
article to its outlet by the outlet's name or an alias, else by the domain of its url;
an article it cannot link keeps its own outlet (or none: unknown).

Leanings are ``LEANINGS`` (``"center"`` is read as ``"centre"``); ``"none"`` or an
empty cell: not rated.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .ingest.outlets import OUTLETS
from .ingest.outlets import _key as _name_key
from .model import IngestProblem

LEANINGS = ("left", "lean left", "centre", "lean right", "right")
COLUMNS = ("name", "aliases", "domains", "leaning", "owner", "country", "wire")
LIST_SEPARATOR = ";"  # between aliases, and between domains, in one cell
_YES = {"yes", "y", "true", "1", "wire", "wire service", "syndicator"}
_NO = {"", "no", "n", "false", "0"}
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class OutletEntry:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    leaning: str | None = None  # one of LEANINGS, or None: not rated
    owner: str | None = None
    country: str | None = None
    wire: bool = False  # a wire service or syndicator: others reprint its copy

    def to_row(self) -> dict:
        return {"name": self.name, "aliases": LIST_SEPARATOR.join(self.aliases),
                "domains": LIST_SEPARATOR.join(self.domains), "leaning": self.leaning or "none",
                "owner": self.owner or "", "country": self.country or "", "wire": "yes" if self.wire else "no"}


def shipped() -> list[OutletEntry]:
    """What newsprism ships: the wire services, with no leaning."""
    return [OutletEntry(o.name, o.aliases, o.domains, wire=True) for o in OUTLETS if o.wire]


def leaning_of_text(value: str) -> str | None:
    """A leaning as written ("Lean Left", "center", "none") -> one of LEANINGS or None; ValueError else."""
    text = re.sub(r"[\s_-]+", " ", (value or "").strip().lower()).replace("center", "centre")
    if text in ("", "none", "not rated", "unrated"):
        return None
    if text in LEANINGS:
        return text
    raise ValueError(f"leaning {value.strip()!r} is not one of: {', '.join(LEANINGS)}, none")


def domain_of(url: str | None) -> str | None:
    """The host of a url, lower case, without 'www.'."""
    m = re.match(r"^[a-z][a-z0-9+.-]*://(?:[^/@]*@)?([^/:?#]+)", (url or "").strip().lower())
    if not m:
        return None
    host = m.group(1).rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _cells(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in re.split(r"[;|]", value or "") if v.strip())


def _entry(row: dict) -> OutletEntry:
    """One CSV row as an entry; ValueError with the reason when it is not one."""
    name = (row.get("name") or "").strip()
    if not name:
        raise ValueError("no name")
    if not _name_key(name):
        raise ValueError(f"name {name!r} has no letters")
    domains = []
    for d in _cells(row.get("domains")):
        domain = domain_of(d) if "://" in d else d.lower().removeprefix("www.").rstrip("/")
        if not domain or not _DOMAIN.match(domain):
            raise ValueError(f"domain {d!r} is not a web domain (like example.com)")
        domains.append(domain)
    wire = (row.get("wire") or "").strip().lower()
    if wire not in _YES | _NO:
        raise ValueError(f"wire {row.get('wire')!r} is not yes or no")
    return OutletEntry(name, _cells(row.get("aliases")), tuple(domains), leaning_of_text(row.get("leaning") or ""),
                       (row.get("owner") or "").strip() or None, (row.get("country") or "").strip() or None,
                       wire in _YES)


def read_csv(path: str | Path) -> tuple[list[OutletEntry], list[IngestProblem]]:
    """The rows of an outlets file, and a problem for each row that is not one (the rest are read)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        return [], [IngestProblem(source, f"cannot read it: {err}")]
    return parse_csv(text, source)


def parse_csv(text: str, source: str = "<outlets>") -> tuple[list[OutletEntry], list[IngestProblem]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        return [], [IngestProblem(source, f"no 'name' column in its first line (columns: {', '.join(COLUMNS)})", line=1)]
    unknown = [h for h in header if h and h not in COLUMNS]
    problems = [IngestProblem(source, f"columns left out, not known: {', '.join(unknown)}", line=1, level="warning")] \
        if unknown else []
    reader.fieldnames = header
    entries: list[OutletEntry] = []
    first: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for k, v in row.items() if k):
            continue
        try:
            entry = _entry(row)
        except ValueError as err:
            problems.append(IngestProblem(source, f"{err}; row left out", line=line))
            continue
        key = _name_key(entry.name)
        if key in first:
            problems.append(IngestProblem(source, f"{entry.name!r} is already on line {first[key]}; row left out",
                                          line=line))
            continue
        first[key] = line
        entries.append(entry)
    return entries, problems


def write_csv(entries: Iterable[OutletEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(e.to_row() for e in entries)
    return out.getvalue()


class Registry:
    """The shipped wire services overlaid by the user's rows (a user row of the same name wins)."""

    def __init__(self, entries: Iterable[OutletEntry] = ()):
        by_key: dict[str, OutletEntry] = {_name_key(e.name): e for e in shipped()}
        for e in entries:
            old = by_key.get(_name_key(e.name))
            if old is not None and old.wire and not e.wire and not (e.aliases or e.domains):
                e = replace(e, aliases=old.aliases, domains=old.domains, wire=True)
            by_key[_name_key(e.name)] = e
        self.entries = sorted(by_key.values(), key=lambda e: e.name.lower())
        self._names: dict[str, OutletEntry] = {}
        self._domains: dict[str, OutletEntry] = {}
        for e in self.entries:
            for n in (e.name, *e.aliases):
                key = _name_key(n)
                for k in (key, key.replace(" ", ""), key.removeprefix("the ")):
                    self._names.setdefault(k, e)
            for d in e.domains:
                self._domains.setdefault(d, e)

    def by_name(self, name: str | None) -> OutletEntry | None:
        if not name or not name.strip():
            return None
        key = _name_key(name)
        return (self._names.get(key) or self._names.get(key.replace(" ", ""))
                or self._names.get(key.removeprefix("the ")))

    def by_url(self, url: str | None) -> OutletEntry | None:
        host = domain_of(url)
        while host and "." in host:
            if host in self._domains:
                return self._domains[host]
            host = host.split(".", 1)[1]
        return None

    def link(self, outlet: str | None, url: str | None = None) -> OutletEntry | None:
        """The entry an article belongs to: by its outlet's name or alias, else its url's domain."""
        return self.by_name(outlet) or self.by_url(url)

    def outlet_name(self, outlet: str | None, url: str | None = None) -> str | None:
        """The article's outlet as the registry names it (its own name when not in the registry)."""
        entry = self.link(outlet, url)
        return entry.name if entry else (outlet.strip() if outlet and outlet.strip() else None)


def from_store(store) -> Registry:
    """The registry as a store keeps it (the shipped wire services beneath)."""
    return Registry(
        OutletEntry(r["name"], tuple(r["aliases"]), tuple(r["domains"]), r["leaning"], r["owner"], r["country"],
                    r["wire"])
        for r in store.outlet_rows()
    )


def save(store, entries: Iterable[OutletEntry], replace_all: bool = False) -> int:
    """Keep these entries in the store (replacing those of the same name, or all)."""
    return store.save_outlets(
        ({"name": e.name, "aliases": e.aliases, "domains": e.domains, "leaning": e.leaning, "owner": e.owner,
          "country": e.country, "wire": e.wire} for e in entries), replace_all)
