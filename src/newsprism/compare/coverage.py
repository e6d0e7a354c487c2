"""What each outlet adds: the sentences of an article that no other article of the story carries.

A sentence is carried by another article when most of its word trigrams
(canonical tokens, so a normalized and a raw text compare) appear there too.
The result is per article: the sentences only it reports (spans), and the
share of its words that are its own.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Article
from ..text.canonical import Tokens, canonical_tokens
from ..text.sentences import sentences


@dataclass(frozen=True)
class Settings:
    """What counts as a sentence another article carries."""

    shared: float = 0.5  # share of a sentence's trigrams found elsewhere for it to count as carried there
    min_words: int = 6  # shorter sentences (headers, credits) are left out


DEFAULT = Settings()


def _trigrams(words: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(words, words[1:], words[2:]))


def _sentence_words(tokens: Tokens, span: tuple[int, int]) -> list[str]:
    first = tokens.index_at(span[0])
    last = tokens.index_at(span[1] - 1) if span[1] > span[0] else first
    return tokens.words[first : last + 1] if last < len(tokens.words) else tokens.words[first:]


def story_coverage(articles: list[Article], settings: Settings = DEFAULT) -> list[dict]:
    """Per article: ``only_here``, the spans of its sentences no other article carries, and
    ``only_here_share``, the share of its words they hold."""
    tokens = {a.id: canonical_tokens(a.text) for a in articles}
    grams = {a.id: _trigrams(tokens[a.id].words) for a in articles}
    result = []
    for a in articles:
        only_here: list[list[int]] = []
        own_words = total_words = 0
        for span in sentences(a.text, a.form):
            words = _sentence_words(tokens[a.id], span)
            if len(words) < settings.min_words:
                continue
            mine = _trigrams(words)
            carried = [
                b.id for b in articles if b.id != a.id and len(mine & grams[b.id]) >= settings.shared * len(mine)
            ]
            total_words += len(words)
            if not carried:
                only_here.append(list(span))
                own_words += len(words)
        result.append(
            {
                "article": a.id,
                "only_here": only_here,
                "only_here_share": round(own_words / total_words, 4) if total_words else 0.0,
            }
        )
    return result
