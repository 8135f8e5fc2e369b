"""liaison/has-impact: the message says how customers are affected."""

from __future__ import annotations

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.validators.base import Finding, LiaisonValidator


@register_validator(name="liaison/has-impact", data_type="string")
class HasImpact(LiaisonValidator):
    """Warns when a message does not say how customers are affected.

    Catches: messages without impact wording (affected, delayed, unable, errors, slow,
    「影響」「遅延」「ご利用いただけません」), including empty messages.
    Does not catch: impact statements too vague to help ("some issues").
    Non-blocking; no automatic fix. The span covers the whole message.
    """

    category = "missing_impact"

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return a finding when no impact wording is present."""
        if self.rules.impact_words.search(normalized.text):
            return []
        return [Finding(0, len(normalized.original), self.message("missing_impact"))]
