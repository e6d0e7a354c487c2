"""Text basics every stage shares, each written once: cleaning, normalized-form detection,
canonical tokens with offsets, sentences and where they end, quotation marks, dates, function
words, the spaCy pipeline."""

from .canonical import Tokens, canonical_tokens, fold, stem
from .form import detect_form

__all__ = ["Tokens", "canonical_tokens", "detect_form", "fold", "stem"]
