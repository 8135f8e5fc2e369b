"""Text normalisation with an index map back into the original text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

# Lookalikes that NFKC leaves alone; attackers and copy-paste both produce them.
HOMOGLYPHS: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "һ": "h", "ӏ": "l",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "υ": "u", "ε": "e",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Dashes and quotes that would split identifiers or contractions.
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
}  # fmt: skip


@lru_cache(maxsize=4096)
def _normalise_char(char: str) -> str:
    if char in ZERO_WIDTH:
        return ""
    folded = unicodedata.normalize("NFKC", char)
    return "".join(HOMOGLYPHS.get(part, part) for part in folded if part not in ZERO_WIDTH)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalised text plus, for every normalised character, its offset in the original."""

    original: str
    text: str
    offsets: tuple[int, ...]
    # Derived views (sentence spans, lower-cased text) shared by every validator of one check.
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text onto the original text."""
        if start >= end:
            position = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return position, position
        last = self.offsets[end - 1]
        # A normalised character may come from a multi-character original (never here) or an
        # original character may expand; either way the span ends after the last source char.
        return self.offsets[start], last + 1


def normalize(original: str) -> NormalizedText:
    """NFKC, strip zero-width characters and fold homoglyphs, keeping an index map."""
    if original.isascii():
        # ASCII is already NFKC and holds no zero-width characters or lookalikes.
        return NormalizedText(original, original, tuple(range(len(original))))
    parts: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(original):
        if char.isascii():
            parts.append(char)
            offsets.append(index)
            continue
        replacement = _normalise_char(char)
        parts.append(replacement)
        offsets.extend([index] * len(replacement))
    return NormalizedText(original, "".join(parts), tuple(offsets))
