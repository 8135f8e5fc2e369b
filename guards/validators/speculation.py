"""liaison/no-speculation: unconfirmed guesses about cause, scope or outcome."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import cast

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText, normalize
from guards.rules import RulePack
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    cached_sentence_spans,
    lowered,
    original_slice,
)
from guards.validators.eta import ETA_CLAUSES_KEY, NoEta


@register_validator(name="liaison/no-speculation", data_type="string")
class NoSpeculation(LiaisonValidator):
    """Flags guesses presented to customers.

    Catches: hedges about cause, scope or outcome - "probably", "we believe this was caused by",
    "might be related to", "likely due to", "we suspect", 「おそらく」「〜と思われます」
    「〜かもしれません」「〜の可能性」.
    Does not catch: hedged impact wording ("some customers may experience delays",
    「遅れて届く場合があります」「遅れて届く可能性があります」), confirmed causes
    ("we have identified the cause"), or a hedge on an ETA's own time ("maybe 30 more mins",
    「月曜には元通りになってると思います」): the eta guard reports that sentence.
    No automatic fix: the author must replace the guess with what is confirmed.
    """

    category = "speculation"

    def learned_gate(self, sentence: str) -> bool:
        """A hedge word, and something it hedges: a sentence of nothing but the hedge ("Fingers
        crossed!", 「たぶん！」) guesses nothing, however high the model scores it."""
        if not super().learned_gate(sentence):
            return False
        gate = self.rules.learned_gates.get(self.category)
        return gate is None or len(_WORDS.findall(gate.sub(" ", sentence))) >= 2

    def accepts_learned(self, sentence: str) -> bool:
        """Not a sentence whose only hedges are allowed ones (hedged impact, a hedged ETA):
        the gate must still find a hedge once those are taken out, outside the ETA's clause."""
        if not self.learned_gate(self.rules.speculation_exempt.sub(" ", sentence)):
            return False
        gate = self.rules.learned_gates.get(self.category)
        normalized = normalize(sentence)
        clauses = _eta_clauses(normalized, self.rules)
        if not clauses or gate is None:
            return True
        return any(
            not _hedges_the_time(normalized.text, match.start(), match.end(), clauses, self.rules)
            for match in gate.finditer(normalized.text)
        )

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
        eta_clauses = _eta_clauses(normalized, self.rules)
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
                if eta_clauses and _hedges_the_time(text, low, high, eta_clauses, self.rules):
                    continue
                taken.append((low, high))
                o_start, o_end, original = original_slice(normalized, low, high)
                findings.append(
                    Finding(o_start, o_end, self.message("speculation", text=original), None)
                )
        findings.sort(key=lambda item: item.start)
        return findings


@cache
def _rules_only_eta(locale: str) -> NoEta:
    return NoEta(locale=locale, learned=False)


def _eta_clauses(normalized: NormalizedText, rules: RulePack) -> list[tuple[int, int]]:
    """The clauses holding an ETA, as the eta guard left them (or found now, rules alone)."""
    if ETA_CLAUSES_KEY not in normalized.cache:
        _rules_only_eta(rules.locale).find(normalized)
    return cast("list[tuple[int, int]]", normalized.cache[ETA_CLAUSES_KEY])


# Words, or runs of two or more Japanese characters.
_WORDS = re.compile(r"[A-Za-z]{2,}|[\u3040-\u30ff\u4e00-\u9fff]{2,}")
# Words a hedge-only clause may hold besides the hedge: "fingers crossed 🤞", 「たぶん！」.
_SHORT_CLAUSE = 12


def _hedges_the_time(
    text: str, low: int, high: int, clauses: list[tuple[int, int]], rules: RulePack
) -> bool:
    """Whether a hedge at [low, high) qualifies an ETA rather than guessing a cause: it stands in
    the ETA's own clause, or in a clause holding little more than the hedge right after it,
    and its sentence names no cause ("maybe 30 more mins", "back by 5 they reckon, fingers
    crossed"; not "vendor thinks it was a bad cert, fixed within the hour")."""
    clause_start = max(
        (
            m.end()
            for pattern in (rules.clause_break, rules.sentence_end)
            for m in pattern.finditer(text, 0, low)
        ),
        default=0,
    )
    following = rules.clause_break.search(text, high)
    clause_end = following.start() if following is not None else len(text)
    sentence_end = rules.sentence_end.search(text, high)
    clause_end = min(clause_end, sentence_end.start() if sentence_end is not None else len(text))
    clause = text[clause_start:clause_end]
    sentence_start = max((m.end() for m in rules.sentence_end.finditer(text, 0, low)), default=0)
    sentence = text[sentence_start : sentence_end.start() if sentence_end else len(text)]
    if rules.cause_words is not None and rules.cause_words.search(sentence):
        return False
    if any(a <= low and high <= b for a, b in clauses):
        return True
    rest = len(clause.strip()) - (high - low)
    # A hedge-only clause or sentence right after the ETA ("..., fingers crossed", "! たぶん！").
    return rest <= _SHORT_CLAUSE and any(0 <= clause_start - b <= 4 for _, b in clauses)
