"""liaison/no-pii: personal data of customers or staff."""

from __future__ import annotations

import re

from guardrails.validator_base import register_validator

from guards.models import GuardContext
from guards.normalize import NormalizedText
from guards.rules import common
from guards.validators.base import Finding, LiaisonValidator, original_slice, term_pattern


@register_validator(name="liaison/no-pii", data_type="string")
class NoPii(LiaisonValidator):
    """Flags personal data.

    Catches: personal e-mail addresses, phone numbers (international, North American and
    Japanese formats) and the customer names in `context.customers`.
    Does not catch: shared role mailboxes such as support@ or status@ (published on purpose),
    names of customers the context does not list, postal addresses.
    The fix deletes the span.
    """

    category = "pii"

    def __init__(
        self,
        locale: str = "en",
        channel: str = "statuspage",
        context: GuardContext | None = None,
        on_fail: str = "noop",
        learned: bool = True,
    ) -> None:
        super().__init__(
            locale=locale, channel=channel, context=context, on_fail=on_fail, learned=learned
        )
        self._customers = term_pattern(self.context.customers)

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per e-mail address, phone number or customer name."""
        text = normalized.text
        spans: list[tuple[int, int]] = []
        for match in common.EMAIL.finditer(text):
            if not common.ROLE_MAILBOX.match(match.group(0)):
                spans.append(match.span())
        for match in _phone_numbers(text):
            token = match.group(0)
            digits = sum(char.isdigit() for char in token)
            if digits < 9 or common.DATE_LIKE.match(token):
                continue
            if any(a < match.end() and match.start() < b for a, b in spans):
                continue
            spans.append(match.span())
        if self._customers is not None:
            for match in self._customers.finditer(text):
                if not any(a < match.end() and match.start() < b for a, b in spans):
                    spans.append(match.span())
        findings = []
        for low, high in sorted(spans):
            o_start, o_end, original = original_slice(normalized, low, high)
            findings.append(Finding(o_start, o_end, self.message("pii", text=original), ""))
        return findings


def _phone_numbers(text: str) -> list[re.Match[str]]:
    """PHONE matches, searched only around digit runs long enough to be a phone number."""
    found: dict[tuple[int, int], re.Match[str]] = {}
    for hint in common.PHONE_HINT.finditer(text):
        window_start = max(0, hint.start() - 6)
        for match in common.PHONE.finditer(text, window_start, min(len(text), hint.end() + 6)):
            found.setdefault(match.span(), match)
    return [found[span] for span in sorted(found)]
