"""liaison/no-speculation: unconfirmed guesses about cause, scope or outcome."""

from __future__ import annotations

from bisect import bisect_right

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    cached_sentence_spans,
    lowered,
    original_slice,
)


@register_validator(name="liaison/no-speculation", data_type="string")
class NoSpeculation(LiaisonValidator):
    """Flags guesses presented to customers.

    Catches: hedges about cause, scope or outcome - "probably", "we believe this was caused by",
    "might be related to", "likely due to", "we suspect", 「おそらく」「〜と思われます」
    「〜かもしれません」「〜の可能性」.
    Does not catch: hedged impact wording ("some customers may experience delays",
    「遅れて届く場合があります」「遅れて届く可能性があります」) or confirmed causes
    ("we have identified the cause").
    No automatic fix: the author must replace the guess with what is confirmed.
    """

    category = "speculation"

    def accepts_learned(self, sentence: str) -> bool:
        """Not a sentence whose only hedges are allowed ones (hedged impact, a hedged ETA):
        the gate must still find a hedge once those are taken out."""
        return self.learned_gate(self.rules.speculation_exempt.sub(" ", sentence))

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per speculative phrase."""
        text = normalized.text
        spans = cached_sentence_spans(normalized, self.rules)
        starts = [start for start, _ in spans]
        lower = lowered(normalized)
        same_length = len(lower) == len(text)
        exempt_lower = self.rules.lower.speculation_exempt
        if exempt_lower is not None and same_length:
            exempt = [match.span() for match in exempt_lower.finditer(lower)]
        else:
            exempt = [match.span() for match in self.rules.speculation_exempt.finditer(text)]
        taken: list[tuple[int, int]] = []
        findings: list[Finding] = []
        # Whole-text scans: per-sentence loops cost milliseconds on long emails.
        gates = self.rules.speculation_gates
        for index_of_pattern, pattern in enumerate(self.rules.speculation):
            if index_of_pattern < len(gates) and not any(
                word in lower for word in gates[index_of_pattern]
            ):
                continue
            lower_pattern = self.rules.lower.speculation[index_of_pattern]
            if lower_pattern is not None and same_length:
                matches = lower_pattern.finditer(lower)
            else:
                matches = pattern.finditer(text)
            for match in matches:
                low, high = match.span()
                index = bisect_right(starts, low) - 1
                if index < 0 or high > spans[index][1]:
                    continue
                if any(a <= low < b or a < high <= b for a, b in exempt + taken):
                    continue
                taken.append((low, high))
                o_start, o_end, original = original_slice(normalized, low, high)
                findings.append(
                    Finding(o_start, o_end, self.message("speculation", text=original), None)
                )
        findings.sort(key=lambda item: item.start)
        return findings
