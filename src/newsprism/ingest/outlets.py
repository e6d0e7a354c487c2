"""Who published an article: a gazetteer of outlets and the text's own clues.

The gazetteer maps the names, short names and web domains an outlet goes by to
one display name, and marks wire services (agencies whose copy other outlets
reprint). An outlet that cannot be told is ``None``: shown as unknown, never
guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text.canonical import fold


@dataclass(frozen=True)
class Outlet:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    wire: bool = False


OUTLETS: tuple[Outlet, ...] = (
    Outlet("Reuters", ("Thomson Reuters",), ("reuters.com",), wire=True),
    Outlet("Associated Press", ("AP", "The Associated Press"), ("apnews.com", "ap.org"), wire=True),
    Outlet("AFP", ("Agence France-Presse", "Agence France Presse"), ("afp.com",), wire=True),
    Outlet("Bloomberg", ("Bloomberg News",), ("bloomberg.com",), wire=True),
    Outlet("dpa", ("Deutsche Presse-Agentur",), ("dpa.com",), wire=True),
    Outlet("UPI", ("United Press International",), ("upi.com",), wire=True),
    Outlet("Xinhua", ("Xinhua News Agency",), ("xinhuanet.com",), wire=True),
    Outlet("Kyodo", ("Kyodo News",), ("kyodonews.net",), wire=True),
    Outlet("Yonhap", ("Yonhap News Agency",), ("yna.co.kr",), wire=True),
    Outlet("ANI", ("Asian News International",), ("aninews.in",), wire=True),
    Outlet("PA Media", ("Press Association",), ("pamediagroup.com",), wire=True),
    Outlet("CNN", ("CNN Wire",), ("cnn.com",)),
    Outlet("TRT World", ("TRTWorld", "TRT"), ("trtworld.com",)),
    Outlet("BBC", ("BBC News",), ("bbc.com", "bbc.co.uk")),
    Outlet("Al Jazeera", ("Al Jazeera English",), ("aljazeera.com",)),
    Outlet("The New York Times", ("New York Times", "NYT"), ("nytimes.com",)),
    Outlet("The Washington Post", ("Washington Post",), ("washingtonpost.com",)),
    Outlet("The Wall Street Journal", ("Wall Street Journal", "WSJ"), ("wsj.com",)),
    Outlet("The Guardian", ("Guardian",), ("theguardian.com",)),
    Outlet("USA Today", (), ("usatoday.com",)),
    Outlet("Fox News", ("Fox",), ("foxnews.com",)),
    Outlet("NBC News", ("NBC",), ("nbcnews.com",)),
    Outlet("CBS News", ("CBS",), ("cbsnews.com",)),
    Outlet("ABC News", ("ABC",), ("abcnews.go.com",)),
    Outlet("NPR", (), ("npr.org",)),
    Outlet("Politico", (), ("politico.com",)),
    Outlet("The Hill", (), ("thehill.com",)),
    Outlet("Axios", (), ("axios.com",)),
    Outlet("HuffPost", ("Huffington Post",), ("huffpost.com", "huffingtonpost.com")),
    Outlet("Breitbart", ("Breitbart News",), ("breitbart.com",)),
    Outlet("Vox", (), ("vox.com",)),
    Outlet("CNBC", (), ("cnbc.com",)),
    Outlet("MSNBC", (), ("msnbc.com",)),
    Outlet("Deutsche Welle", ("DW",), ("dw.com",)),
    Outlet("France 24", (), ("france24.com",)),
    Outlet("Sky News", (), ("news.sky.com",)),
    Outlet("The Independent", ("Independent",), ("independent.co.uk",)),
    Outlet("The Telegraph", ("Telegraph",), ("telegraph.co.uk",)),
    Outlet("Financial Times", ("FT",), ("ft.com",)),
    Outlet("The Japan Times", ("Japan Times",), ("japantimes.co.jp",)),
    Outlet("South China Morning Post", ("SCMP",), ("scmp.com",)),
    Outlet("Wikinews", (), ("wikinews.org",)),
)


def _key(name: str) -> str:
    return " ".join(fold(w) for w in re.findall(r"[^\W\d_]+", name))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Outlet]:
    table: dict[str, Outlet] = {}
    for outlet in OUTLETS:
        for name in (outlet.name, *outlet.aliases):
            table[_key(name)] = outlet
            table[_key(name).replace(" ", "")] = outlet
    return table


def lookup(name: str | None) -> Outlet | None:
    """The gazetteer entry for a name as written ("TRTWorld", "the associated press")."""
    if not name:
        return None
    key = _key(name)
    table = _by_key()
    return table.get(key) or table.get(key.replace(" ", "")) or (
        table.get(key[4:]) if key.startswith("the ") else None
    )


def canonical_outlet(name: str | None) -> str | None:
    """The display name for a known outlet; an unknown but given name is kept as given."""
    if not name or not name.strip():
        return None
    outlet = lookup(name)
    return outlet.name if outlet else name.strip()


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    m = re.match(r"^[a-z]+://([^/:]+)", url.strip().lower())
    if not m:
        return None
    host = m.group(1)
    for outlet in OUTLETS:
        for domain in outlet.domains:
            if host == domain or host.endswith("." + domain):
                return outlet.name
    return None


def is_wire_service(outlet: str | None) -> bool:
    entry = lookup(outlet)
    return bool(entry and entry.wire)


def known_names() -> list[tuple[str, Outlet]]:
    """Every (name as written, outlet) pair, longest first: for scanning text."""
    pairs = [(n, o) for o in OUTLETS for n in (o.name, *o.aliases)]
    return sorted(pairs, key=lambda p: -len(p[0]))
