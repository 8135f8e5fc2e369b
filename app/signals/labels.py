"""Plain labels and PII-free examples for signals."""

import re
from collections.abc import Iterable

from app.signals.grouping import is_cjk

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: 8+ digits with optional separators, optional leading +.
_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s().-]{6,}\d(?![\w])")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*|\n+")
LABEL_CHARS_LATIN = 60
LABEL_CHARS_CJK = 30


def scrub_pii(text: str, customers: Iterable[str] = ()) -> str:
    """The text with email addresses, phone numbers and the given customer names removed."""
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    # Longest names first, so "Acme Corp" goes before "Acme".
    for name in sorted({c for c in customers if c.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[customer]", text, flags=re.IGNORECASE)
    return text


def shorten(text: str) -> str:
    """The first sentence, cut at a word boundary to a label's length."""
    first = next((part.strip() for part in _SENTENCE_END.split(text) if part.strip()), text)
    limit = LABEL_CHARS_CJK if is_cjk(first) else LABEL_CHARS_LATIN
    if len(first) <= limit:
        return first
    cut = first[:limit]
    if not is_cjk(first) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-、") + "…"


def sentences(text: str) -> list[str]:
    """The sentences of a message, for coverage checks."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
