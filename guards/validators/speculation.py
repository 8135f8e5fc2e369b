"""liaison/no-speculation: unconfirmed guesses about cause, scope or outcome."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
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
from guards.validators.eta import NoEta, eta_clauses_key


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
        return gate is None or len(_LETTER.findall(gate.sub(" ", sentence))) >= 3

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
        text = normalized.text
        bounds = _Clauses(text, self.rules, cached_sentence_spans(normalized, self.rules))
        return any(
            not _hedges_the_time(text, match.start(), match.end(), clauses, self.rules, bounds)
            for match in gate.finditer(text)
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
            exempt = _Spans(match.span() for match in exempt_lower.finditer(lower))
        else:
            exempt = _Spans(match.span() for match in self.rules.speculation_exempt.finditer(text))
        taken = _Spans(())
        findings: list[Finding] = []
        eta_clauses = _eta_clauses(normalized, self.rules)
        bounds = _Clauses(text, self.rules, spans) if eta_clauses else None
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
                if exempt.touches(low, high) or taken.touches(low, high):
                    continue
                if bounds is not None and _hedges_the_time(
                    text, low, high, eta_clauses, self.rules, bounds
                ):
                    continue
                taken.add(low, high)
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
    key = eta_clauses_key(rules.locale)
    if key not in normalized.cache:
        _rules_only_eta(rules.locale).find(normalized)
    return cast("list[tuple[int, int]]", normalized.cache[key])


# Letters of any script: a hedge needs something to hedge.
_LETTER = re.compile(r"[^\W\d_]")
# How many letters a hedge-only clause may hold besides the hedge: "fingers crossed", 「たぶん」.
_SHORT_CLAUSE = 12


class _Spans:
    """Non-overlapping spans, sorted, for asking in log time whether a match starts or ends
    inside one of them (a linear scan per match made long texts quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def touches(self, low: int, high: int) -> bool:
        """Whether low or the end high falls inside a span: a <= low < b or a < high <= b."""
        index = bisect_right(self.starts, low) - 1
        if index >= 0 and low < self.spans[index][1]:
            return True
        index = bisect_left(self.starts, high) - 1
        return index >= 0 and high <= self.spans[index][1]

    def add(self, low: int, high: int) -> None:
        """Add a span that touches none of the others."""
        index = bisect_left(self.starts, low)
        self.starts.insert(index, low)
        self.spans.insert(index, (low, high))


class _Clauses:
    """Sentence and clause boundaries of one text, found once and looked up by position."""

    def __init__(self, text: str, rules: RulePack, sentences: list[tuple[int, int]]) -> None:
        self.sentences = sentences
        self.sentence_starts = [start for start, _ in sentences]
        breaks = [match.span() for match in rules.clause_break.finditer(text)]
        self.break_starts = [low for low, _ in breaks]
        self.break_ends = [high for _, high in breaks]

    def around(self, low: int, high: int) -> tuple[int, int, int, int]:
        """(sentence start, sentence end, clause start, clause end) around [low, high)."""
        index = max(bisect_right(self.sentence_starts, low) - 1, 0)
        sentence_start, sentence_end = self.sentences[index] if self.sentences else (0, high)
        before = bisect_right(self.break_ends, low) - 1
        clause_start = max(sentence_start, self.break_ends[before] if before >= 0 else 0)
        after = bisect_left(self.break_starts, high)
        clause_end = self.break_starts[after] if after < len(self.break_starts) else sentence_end
        return sentence_start, sentence_end, clause_start, min(clause_end, sentence_end)


def _hedges_the_time(
    text: str,
    low: int,
    high: int,
    clauses: list[tuple[int, int]],
    rules: RulePack,
    bounds: _Clauses,
) -> bool:
    """Whether a hedge at [low, high) qualifies an ETA rather than guessing a cause: it stands in
    the ETA's own clause, or in a clause holding little more than the hedge right after it;
    its sentence guesses no cause and no cause word stands right before it ("maybe 30 more
    mins", "back by 5 they reckon, fingers crossed"; not "vendor thinks it was a bad cert,
    fixed within the hour", 「負荷のせいかも…夜には戻ります」)."""
    sentence_start, sentence_end, clause_start, clause_end = bounds.around(low, high)
    if rules.cause_words is not None and rules.cause_words.search(
        text, sentence_start, sentence_end
    ):
        return False
    if rules.cause_before_hedge is not None and rules.cause_before_hedge.search(
        text, max(clause_start, low - 16), low
    ):
        return False
    if any(a <= low and high <= b for a, b in clauses):
        return True
    rest = len(_LETTER.findall(text, clause_start, clause_end)) - len(
        _LETTER.findall(text, low, high)
    )
    # A hedge-only clause or sentence right after the ETA ("..., fingers crossed", "! たぶん！").
    return rest <= _SHORT_CLAUSE and any(0 <= clause_start - b <= 4 for _, b in clauses)
