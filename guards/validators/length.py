"""liaison/length: per-channel length limits."""

from __future__ import annotations

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.rules import common
from guards.validators.base import Finding, LiaisonValidator, sentence_spans

# Limits per channel. Social uses X/Twitter's weighted count: every URL counts 23, characters
# outside the Latin/punctuation ranges below (CJK, emoji) count 2; the other channels count
# plain characters.
CHANNEL_LIMITS: dict[str, int] = {"statuspage": 2_000, "social": 280, "email": 5_000, "chat": 1_500}
WEIGHTED_CHANNELS = frozenset({"social"})
URL_WEIGHT = 23
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def char_weight(char: str) -> int:
    """X/Twitter weight of one character: 1 for Latin and common punctuation, else 2."""
    code = ord(char)
    if code <= 4351:
        return 1
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


def weights(text: str, weighted: bool) -> list[int]:
    """Per-character weights; the first character of a URL carries the whole URL's weight."""
    if not weighted:
        return [1] * len(text)
    # ASCII (most posts) weighs 1 per character: skip the per-character range test.
    result = [1] * len(text) if text.isascii() else [char_weight(char) for char in text]
    for match in common.URL.finditer(text):
        result[match.start()] = URL_WEIGHT
        for index in range(match.start() + 1, match.end()):
            result[index] = 0
    return result


def message_length(text: str, channel: str) -> int:
    """Length of a message as the channel counts it."""
    return sum(weights(text, channel in WEIGHTED_CHANNELS))


@register_validator(name="liaison/length", data_type="string")
class ChannelLength(LiaisonValidator):
    """Flags messages longer than their channel allows (see CHANNEL_LIMITS).

    Catches: text over the limit, counted as the channel counts it (weighted for social).
    Does not catch: messages that are merely verbose, or line limits of chat clients.
    The violation spans the trailing sentences that do not fit; its fix deletes them.
    """

    category = "length"

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding covering the overflow, if any."""
        text = normalized.original
        limit = CHANNEL_LIMITS[self.channel]
        weighted = self.channel in WEIGHTED_CHANNELS
        # Plain counts, and weighted ASCII without links, weigh one per character: no need to
        # weigh each one when the text is within the limit.
        plain = not weighted or (text.isascii() and "http" not in text and "www." not in text)
        if plain and len(text) <= limit:
            return []
        per_char = weights(text, weighted)
        total = sum(per_char)
        if total <= limit:
            return []
        running = 0
        overflow = len(text)
        for index, weight in enumerate(per_char):
            running += weight
            if running > limit:
                overflow = index
                break
        # Prefer cutting at a sentence start so deleting the span leaves whole sentences.
        cut = overflow
        for start, _ in sentence_spans(text, self.rules):
            if 0 < start <= overflow:
                cut = start
        while cut > 0 and text[cut - 1].isspace():
            cut -= 1
        unit = "weighted characters" if weighted else "characters"
        message = self.message("length", channel=self.channel, size=total, limit=limit, unit=unit)
        return [Finding(cut, len(text), message, "")]
