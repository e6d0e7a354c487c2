"""Text: cleaning, normalized-form detection, canonical tokens with offsets, sentences."""

from .canonical import Tokens, canonical_tokens, fold, stem
from .form import detect_form

__all__ = ["Tokens", "canonical_tokens", "detect_form", "fold", "stem"]
