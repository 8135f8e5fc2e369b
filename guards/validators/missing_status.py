"""liaison/has-status: the message says where the incident stands."""

from __future__ import annotations

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.validators.base import Finding, LiaisonValidator


@register_validator(name="liaison/has-status", data_type="string")
class HasStatus(LiaisonValidator):
    """Warns when a message does not say where the incident stands.

    Catches: messages with no investigating / identified / monitoring / resolved wording
    (「調査中」「原因を特定」「監視」「復旧」 in Japanese), including empty messages.
    Does not catch: a stated status that contradicts the incident's real status.
    Non-blocking; no automatic fix. The span covers the whole message.
    """

    category = "missing_status"

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return a finding when no status wording is present."""
        if self.rules.status_words.search(normalized.text):
            return []
        return [Finding(0, len(normalized.original), self.message("missing_status"))]
