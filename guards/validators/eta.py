"""liaison/no-eta: promises or estimates of when service is restored."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from guardrails.validator_base import register_validator

from guards.learned import load_model
from guards.normalize import NormalizedText
from guards.rules import RulePack, lower_variant
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    cached_sentence_spans,
    lowered,
    original_slice,
)

# A candidate time phrase: (index of its pattern, -1 for the explicit ETA pattern; the match).
Candidate = tuple[int, re.Match[str]]


@register_validator(name="liaison/no-eta", data_type="string")
class NoEta(LiaisonValidator):
    """Flags estimated times of resolution or recovery.

    Catches: "within 10 minutes" / "in the next hour" / "by 3pm" / "shortly" / "soon" when they
    say when something is restored, fixed, resolved or rolled out, and explicit ETA statements
    ("ETA 15:00", 「15時までに復旧する見込みです」, 「まもなく復旧します」).
    Does not catch: next-update promises ("next update in 30 minutes", 「次回の更新は30分後」),
    past times and impact durations ("since 14:05 UTC", "delayed by up to 12 minutes"),
    statements that no ETA exists ("we do not have an ETA"), or past-tense recovery
    ("recovered within 10 minutes").
    A sentence with a time expression the rules pass goes to the learned second opinion
    (guards.learned), which flags it above its cross-validated cut-off.
    The violation spans the whole sentence; its fix replaces it with a next-update promise.
    """

    category = "eta"

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per sentence that promises a restoration time."""
        text = normalized.text
        spans = cached_sentence_spans(normalized, self.rules)
        starts = [start for start, _ in spans]
        # Scan the whole text once per pattern and analyse only the sentences holding a time
        # phrase, reusing the matches: per-sentence rescans cost milliseconds on a long email.
        candidates: dict[int, list[Candidate]] = {}
        hinted: dict[int, re.Match[str]] = {}
        lower = lowered(normalized)
        # Scan the lower-cased text with lower-cased patterns where that is equivalent.
        same_length = len(lower) == len(text)
        gated = [
            (self.rules.eta_explicit, _explicit_lower(self.rules), self.rules.eta_explicit_gate)
        ]
        gated += [(item.pattern, item.lower, item.gate) for item in self.rules.eta_times]
        for pattern_index, (pattern, lower_pattern, gate) in enumerate(gated, start=-1):
            if gate and not any(word in lower for word in gate):
                continue
            if lower_pattern is not None and same_length:
                matches = lower_pattern.finditer(lower)
            else:
                matches = pattern.finditer(text)
            for match in matches:
                index = bisect_right(starts, match.start()) - 1
                if index >= 0 and match.end() <= spans[index][1]:
                    candidates.setdefault(index, []).append((pattern_index, match))
        # Sentences with a time expression no pattern above knows: for the learned model only.
        hints = self.rules.eta_hints
        if hints is not None and load_model("eta") is not None:
            hints_lower = _hints_lower(self.rules)
            found = hints_lower.finditer(lower) if hints_lower and same_length else None
            for match in found or hints.finditer(text):
                index = bisect_right(starts, match.start()) - 1
                if index >= 0 and index not in candidates and match.end() <= spans[index][1]:
                    hinted.setdefault(index, match)
        findings: list[Finding] = []
        for index in sorted(set(candidates) | set(hinted)):
            if index not in candidates:
                start, end = spans[index]
                match = hinted[index]
                phrase = self._learned_phrase(text, start, end, [(-2, match)])
                if phrase is not None:
                    original_start, original_end, _ = original_slice(normalized, start, end)
                    message = self.message("eta", text=phrase)
                    findings.append(
                        Finding(original_start, original_end, message, self.rules.eta_fix)
                    )
                continue
            start, end = spans[index]
            source = lower if same_length else text
            phrase = self._eta_phrase(
                source[start:end], text[start:end], start, candidates[index], same_length
            )
            if phrase is None:
                phrase = self._learned_phrase(text, start, end, candidates[index])
            if phrase is None:
                continue
            original_start, original_end, _ = original_slice(normalized, start, end)
            findings.append(
                Finding(
                    original_start,
                    original_end,
                    self.message("eta", text=phrase),
                    self.rules.eta_fix,
                )
            )
        return findings

    def _learned_phrase(
        self, text: str, start: int, end: int, candidates: list[Candidate]
    ) -> str | None:
        """The time phrase of a sentence the rules passed but the learned model flags.

        Only sentences holding a time phrase and a future marker get here, and never a
        next-update promise, a statement that there is no ETA or another kind of deadline: the
        model is a second opinion on wording, not on those.
        """
        model = load_model("eta")
        if model is None:
            return None
        sentence = text[start:end]
        # The word lists run lower-cased without IGNORECASE where that is equivalent (faster).
        lowered_sentence = sentence.lower()
        words: RulePack | _LowerWords = self.rules
        if len(lowered_sentence) == len(sentence):
            words, sentence_for_words = _lower_words(self.rules), lowered_sentence
        else:
            sentence_for_words = sentence
        if (
            not words.future_markers.search(sentence_for_words)
            or words.update_words.search(sentence_for_words)
            or words.eta_negation.search(sentence_for_words)
            or (
                words.other_deadlines is not None
                and words.other_deadlines.search(sentence_for_words)
            )
        ):
            return None
        if model.probability(sentence) < model.cut:
            return None
        first = min(candidates, key=lambda item: item[1].start())[1]
        return text[first.start() : first.end()]

    def _eta_phrase(
        self,
        sentence: str,
        original: str,
        sentence_start: int,
        candidates: list[Candidate],
        lowered_text: bool,
    ) -> str | None:
        """Return the ETA phrase in the sentence, or None; candidates are in text coordinates.

        `sentence` is lower-cased when `lowered_text` (the word lists then run without
        IGNORECASE); `original` is the same span as written, for the phrase reported.
        """
        rules: RulePack | _LowerWords = _lower_words(self.rules) if lowered_text else self.rules
        breaks = [0]
        breaks.extend(match.end() for match in rules.clause_break.finditer(sentence))
        breaks.append(len(sentence))

        def clause_of(low_end: int, high_end: int) -> tuple[int, str]:
            low = max(b for b in breaks if b <= low_end)
            high = min((b for b in breaks if b >= high_end), default=len(sentence))
            return low, sentence[low:high]

        ordered = sorted(candidates, key=lambda item: item[0])
        for pattern_index, match in ordered:
            if pattern_index >= 0:
                break
            _, clause = clause_of(match.start() - sentence_start, match.end() - sentence_start)
            if rules.eta_negation.search(clause) or rules.update_words.search(clause):
                continue
            return original[match.start() - sentence_start : match.end() - sentence_start]
        sentence_future = rules.future_markers.search(sentence) is not None
        for pattern_index, match in ordered:
            if pattern_index < 0:
                continue
            time_pattern = self.rules.eta_times[pattern_index]
            match_start = match.start() - sentence_start
            offset, clause = clause_of(match_start, match.end() - sentence_start)
            # A time fronted as its own clause ("In roughly an hour, calling should work again";
            # 「遅くとも今週中には、…復旧が完了する予定です」) belongs to the rest of the sentence.
            rest = _WORD.findall(clause.replace(match.group(0), " ", 1))
            if (
                offset == 0
                and len(clause) < len(sentence)
                and len("".join(rest)) <= 8
                and rules.restore_words.search(sentence)
            ):
                offset, clause = 0, sentence
            if not rules.restore_words.search(clause) and not (
                rules.expectation_words is not None
                and rules.expectation_words.search(clause)
                and rules.restore_words.search(sentence)
                and not rules.update_words.search(sentence)
            ):
                # No restoration word we know: a time the clause firmly expects still promises
                # something, and that is a fix unless it is another kind of deadline (a refund,
                # an incident report) - restoration verbs are open-ended, other deadlines few.
                if not (
                    rules.firm_future is not None
                    and rules.firm_future.search(clause)
                    and not (rules.other_deadlines and rules.other_deadlines.search(sentence))
                ):
                    continue
            position = match_start - offset
            if _update_is_nearer(
                position, len(match.group(0)), clause, rules.update_words, rules.restore_words
            ):
                continue
            clause_future = rules.future_markers.search(clause) is not None
            if rules.past_markers.search(clause) and not clause_future:
                continue
            if not (time_pattern.future or sentence_future):
                continue
            return original[match_start : match.end() - sentence_start]
        return None


_WORD = re.compile(r"[A-Za-z]+|[\u3040-\u30ff\u4e00-\u9fff]+")


@dataclass(frozen=True)
class _LowerWords:
    """The word lists _eta_phrase uses, for lower-cased sentences (see lower_variant)."""

    clause_break: re.Pattern[str]
    eta_negation: re.Pattern[str]
    update_words: re.Pattern[str]
    restore_words: re.Pattern[str]
    future_markers: re.Pattern[str]
    past_markers: re.Pattern[str]
    expectation_words: re.Pattern[str] | None
    firm_future: re.Pattern[str] | None
    other_deadlines: re.Pattern[str] | None


_LOWER_WORDS: dict[str, _LowerWords] = {}


def _lower_words(rules: RulePack) -> _LowerWords:
    """Lower-text variants of the rule pack's word lists, compiled once per locale; a pattern
    without one is case-sensitive or has no letters to fold and runs as it is."""
    words = _LOWER_WORDS.get(rules.locale)
    if words is None:

        def variant(pattern: re.Pattern[str]) -> re.Pattern[str]:
            return lower_variant(pattern) or pattern

        words = _LowerWords(
            clause_break=variant(rules.clause_break),
            eta_negation=variant(rules.eta_negation),
            update_words=variant(rules.update_words),
            restore_words=variant(rules.restore_words),
            future_markers=variant(rules.future_markers),
            past_markers=variant(rules.past_markers),
            firm_future=variant(rules.firm_future) if rules.firm_future is not None else None,
            other_deadlines=(
                variant(rules.other_deadlines) if rules.other_deadlines is not None else None
            ),
            expectation_words=(
                variant(rules.expectation_words) if rules.expectation_words is not None else None
            ),
        )
        _LOWER_WORDS[rules.locale] = words
    return words


_HINTS_LOWER: dict[str, re.Pattern[str] | None] = {}


def _hints_lower(rules: RulePack) -> re.Pattern[str] | None:
    """The rule pack's time hints for lower-cased text, compiled once per locale."""
    if rules.locale not in _HINTS_LOWER:
        hints = rules.eta_hints
        _HINTS_LOWER[rules.locale] = lower_variant(hints) if hints is not None else None
    return _HINTS_LOWER[rules.locale]


_EXPLICIT_LOWER: dict[str, re.Pattern[str] | None] = {}


def _explicit_lower(rules: RulePack) -> re.Pattern[str] | None:
    """The rule pack's explicit-ETA pattern for lower-cased text, compiled once per locale."""
    if rules.locale not in _EXPLICIT_LOWER:
        _EXPLICIT_LOWER[rules.locale] = lower_variant(rules.eta_explicit)
    return _EXPLICIT_LOWER[rules.locale]


def _update_is_nearer(
    position: int,
    length: int,
    clause: str,
    update_words: re.Pattern[str],
    restore_words: re.Pattern[str],
) -> bool:
    """Whether the time expression belongs to a next-update promise rather than a restoration."""
    updates = list(update_words.finditer(clause))
    if not updates:
        return False

    def distance(found: re.Match[str]) -> int:
        if found.end() <= position:
            return position - found.end()
        return max(0, found.start() - (position + length))

    nearest_update = min(distance(found) for found in updates)
    nearest_restore = min(
        (distance(found) for found in restore_words.finditer(clause)), default=10**6
    )
    return nearest_update <= nearest_restore
