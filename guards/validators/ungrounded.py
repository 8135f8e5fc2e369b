"""liaison/grounded: specific claims must be supported by the incident record."""

from __future__ import annotations

import re

from guardrails.validator_base import register_validator

from guards.models import GuardContext
from guards.normalize import NormalizedText, normalize
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    cached_sentence_spans,
    original_slice,
    term_pattern,
)

_NUMBER = re.compile(r"(?<![\w.:])\d+(?:[.:]\d+)?(?![\w.:]*\d)")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")


def _stem(word: str) -> str:
    """Crude English stem so "delays" is supported by "delayed"."""
    lowered = word.casefold()
    if not lowered.isascii() or len(lowered) <= 4:
        return lowered
    return _SUFFIX.sub("", lowered)


@register_validator(name="liaison/grounded", data_type="string")
class Grounded(LiaisonValidator):
    """Warns about specific claims nothing in `context.grounding` supports.

    Catches: numbers and percentages, catalog component names, regions and symptom words
    ("delayed", "login", 「遅延」) that do not occur in the grounding texts (transcript, reports,
    fact sheet). Only runs when `context.grounding` is non-empty.
    Does not catch: claims supported by a synonym or paraphrase, or wrong relations between
    supported words ("EU is fine" when the record says "EU is down"). Sentences that promise the
    next update are skipped: their times come from the liaison, not the record.
    Non-blocking; no automatic fix.
    """

    category = "ungrounded"

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
        corpus = normalize("\n".join(self.context.grounding)).text.casefold()
        self._corpus = corpus
        self._numbers = {match.group(0) for match in _NUMBER.finditer(corpus)}
        self._components = term_pattern(tuple(entry.component for entry in self.context.catalog))

    def _supported(self, claim: str) -> bool:
        if claim[0].isdigit():
            return claim in self._numbers
        return _stem(claim) in self._corpus

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per unsupported claim."""
        if not self.context.grounding:
            return []
        text = normalized.text
        rules = self.rules
        findings: list[Finding] = []
        for start, end in cached_sentence_spans(normalized, rules):
            sentence = text[start:end]
            if rules.update_words.search(sentence) and not rules.impact_words.search(sentence):
                continue
            claims: list[re.Match[str]] = list(_NUMBER.finditer(sentence))
            claims.extend(rules.region_words.finditer(sentence))
            claims.extend(rules.symptom_words.finditer(sentence))
            if self._components is not None:
                claims.extend(self._components.finditer(sentence))
            seen: set[tuple[int, int]] = set()
            for claim in sorted(claims, key=lambda match: match.start()):
                if claim.span() in seen or self._supported(claim.group(0)):
                    continue
                seen.add(claim.span())
                o_start, o_end, original = original_slice(
                    normalized, start + claim.start(), start + claim.end()
                )
                findings.append(Finding(o_start, o_end, self.message("ungrounded", text=original)))
        return findings
