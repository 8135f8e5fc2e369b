"""Term matching for eval expectations (`must_mention`, `must_not_mention`, `forbidden`).

Rules (DESIGN.md, "Recorded incident format"):
- case-insensitive;
- a term in Latin script matches whole words only, with an optional plural `-s`/`-es`
  (`webhook` matches "webhooks", `sam` does not match "same", `4%` does not match "14%");
- a term containing Japanese or other CJK characters matches as a plain substring.

Decisions where DESIGN.md is silent:
- text and term are NFKC-normalised before case folding, so full-width "ＡＰＩ" or "３０分"
  in Japanese text match "API" and "30分";
- a "word character" for the whole-word check is a letter, digit or underscore that is not CJK,
  so a Latin term embedded in Japanese text ("auth-gw-03で") still matches;
- whitespace inside a Latin term matches any run of whitespace in the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3200, 0x32FF),  # enclosed CJK letters
    (0x3300, 0x33FF),  # CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF65, 0xFF9F),  # half-width Katakana
    (0x20000, 0x2FA1F),  # CJK extensions B-F and supplement
)


def is_cjk(char: str) -> bool:
    """Whether one character belongs to a CJK script (Han, Kana, Hangul, CJK punctuation)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _cjk_class() -> str:
    return "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _CJK_RANGES)


# A word character for the whole-word check: \w minus CJK (fixed width, usable in lookbehind).
_WORD_CHAR = rf"(?![{_cjk_class()}])\w"


@lru_cache(maxsize=4096)
def _latin_pattern(term: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in term.split())
    # The plural suffix only makes sense after a letter or digit ("webhooks"), not after "4%".
    suffix = "(?:e?s)?" if re.match(r"\w", term[-1]) else ""
    return re.compile(rf"(?<!{_WORD_CHAR}){body}{suffix}(?!{_WORD_CHAR})")


def mentions(text: str, term: str) -> bool:
    """Whether `text` mentions `term` under the DESIGN.md matching rules."""
    needle = _normalise(term).strip()
    if not needle:
        raise ValueError("an expectation term must not be empty")
    haystack = _normalise(text)
    if any(is_cjk(char) for char in needle):
        return needle in haystack
    return _latin_pattern(needle).search(haystack) is not None


def first_match(text: str, terms: Iterable[str]) -> str | None:
    """The first of `terms` (in the given order) that `text` mentions, or None."""
    for term in terms:
        if mentions(text, term):
            return term
    return None
