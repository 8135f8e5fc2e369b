"""liaison/no-placeholder: unfilled template slots."""

from __future__ import annotations

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.rules import common
from guards.validators.base import Finding, LiaisonValidator, lowered, original_slice


@register_validator(name="liaison/no-placeholder", data_type="string")
class NoPlaceholder(LiaisonValidator):
    """Flags template slots nobody filled in.

    Catches: {{component}}, ${name}, {region}, <SOME/ALL>, <insert time>, [TBD], [CUSTOMER NAME],
    XXX, TODO, FIXME, "XX minutes", lorem ipsum, and in Japanese 〇〇, 【要確認】, XX時.
    Does not catch: status tags such as [RESOLVED] or [UPDATE], or a slot filled with a wrong value.
    No automatic fix: only a person knows the value.
    """

    category = "placeholder"

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per placeholder."""
        text = normalized.text
        spans: list[tuple[int, int]] = []
        lower = lowered(normalized)
        gates = common.PLACEHOLDER_GATES + ((),) * len(self.rules.placeholders)
        for pattern, gate in zip(common.PLACEHOLDERS + self.rules.placeholders, gates, strict=True):
            if gate and not any(part in lower for part in gate):
                continue
            for match in pattern.finditer(text):
                if not any(a < match.end() and match.start() < b for a, b in spans):
                    spans.append(match.span())
        findings = []
        for low, high in sorted(spans):
            o_start, o_end, original = original_slice(normalized, low, high)
            findings.append(Finding(o_start, o_end, self.message("placeholder", text=original)))
        return findings
