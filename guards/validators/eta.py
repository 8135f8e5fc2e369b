"""liaison/no-eta: promises or estimates of when service is restored."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import cast

from guardrails.validator_base import register_validator

from guards.normalize import NormalizedText
from guards.rules import LowerPatterns, RulePack
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    cached_sentence_spans,
    lowered,
    original_slice,
)

# A candidate time phrase: (index of its pattern, -1 for the explicit ETA pattern; the match).
Candidate = tuple[int, re.Match[str]]


def eta_clauses_key(locale: str) -> str:
    """Where NoEta leaves the (normalised) spans of the clauses holding an ETA it reports, for
    the speculation guard: a hedge on the time itself is part of the ETA ("maybe 30 more mins")."""
    return f"eta_clauses:{locale}"


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
    The learned second opinion (guards.learned) reviews these findings and adds its own.
    The violation spans the whole sentence; its fix replaces it with a next-update promise.
    """

    category = "eta"

    def learned_gate(self, sentence: str) -> bool:
        """A time, and never a clause kind that is not an ETA (`never_eta`: refunds, replies,
        planned maintenance...), a fix told as done at a clock time (`past_clock`) or a
        statement that there is no ETA: no score overrules those."""
        if not super().learned_gate(sentence):
            return False
        words, sentence = self._word_lists_for(sentence)
        if words.never_eta is not None and words.never_eta.search(sentence):
            return False
        if _only_a_past_clock(words, sentence):
            return False
        # "We can't say how many hours it will take." - but not "no more than 2 hrs"
        return not (words.eta_negation.search(sentence) and not _DIGIT.search(sentence))

    def accepts_learned(self, sentence: str) -> bool:
        """Besides the gate's refusals, never a sentence whose time is nearer an update word
        than a restoration word (a next-update promise), a time told as past, a stated fact, or
        another deadline with no restoration word. A sentence the model scores at `strong`
        skips these (guards.learned)."""
        words, sentence = self._word_lists_for(sentence)
        if _states_a_fact(words, sentence):
            return False
        told_as_past = words.past_markers.search(sentence) or (
            words.past_restoration is not None and words.past_restoration.search(sentence)
        )
        if told_as_past and not words.future_markers.search(sentence):
            return False
        gate = words.learned_gates.get("eta")
        time = gate.search(sentence) if gate is not None else None
        if time is not None and _update_is_nearer(
            time.start(), len(time.group(0)), sentence, words.update_words, words.restore_words
        ):
            return False
        other = words.other_deadlines is not None and words.other_deadlines.search(sentence)
        return not other or words.restore_words.search(sentence) is not None

    def _word_lists_for(self, sentence: str) -> tuple[RulePack | LowerPatterns, str]:
        """The word lists and the sentence to match them on: an ASCII sentence lower-cased
        with the lower-cased lists (faster than IGNORECASE), any other as written."""
        if sentence.isascii():
            return self.rules.lower, sentence.lower()
        return self.rules, sentence

    @property
    def learned_fix(self) -> str | None:
        """A sentence the learned model flags is replaced by a next-update promise."""
        return self.rules.eta_fix

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per sentence that promises a restoration time."""
        text = normalized.text
        rules = self.rules
        spans = cached_sentence_spans(normalized, rules)
        starts = [start for start, _ in spans]
        lower = lowered(normalized)
        # Scan the lower-cased text with lower-cased patterns where that is equivalent.
        same_length = len(lower) == len(text)

        def sentence_index(match: re.Match[str]) -> int | None:
            index = bisect_right(starts, match.start()) - 1
            return index if index >= 0 and match.end() <= spans[index][1] else None

        def scan(
            pattern: re.Pattern[str], lower_pattern: re.Pattern[str] | None
        ) -> Iterator[re.Match[str]]:
            if lower_pattern is not None and same_length:
                return lower_pattern.finditer(lower)
            return pattern.finditer(text)

        # Scan the whole text once per pattern and analyse only the sentences holding a time
        # phrase, reusing the matches: per-sentence rescans cost milliseconds on a long email.
        candidates: dict[int, list[Candidate]] = {}
        gated = [(rules.eta_explicit, rules.lower.eta_explicit, rules.eta_explicit_gate)]
        gated += [(item.pattern, item.lower, item.gate) for item in rules.eta_times]
        for pattern_index, (pattern, lower_pattern, gate) in enumerate(gated, start=-1):
            if gate and not any(word in lower for word in gate):
                continue
            for match in scan(pattern, lower_pattern):
                index = sentence_index(match)
                if index is not None:
                    candidates.setdefault(index, []).append((pattern_index, match))
        findings: list[Finding] = []
        clauses: list[tuple[int, int]] = []
        source = lower if same_length else text
        for index in sorted(candidates):
            start, end = spans[index]
            found = self._eta_phrase(
                source[start:end], text[start:end], start, candidates[index], same_length
            )
            if found is None:
                continue
            phrase, clause_start, clause_end, firm = found
            clauses.append((start + clause_start, start + clause_end))
            original_start, original_end, _ = original_slice(normalized, start, end)
            message = self.message("eta", text=phrase)
            findings.append(
                Finding(original_start, original_end, message, rules.eta_fix, firm=firm)
            )
        normalized.cache[eta_clauses_key(self.locale)] = clauses
        return findings

    def reviewed(self, normalized: NormalizedText, findings: list[Finding]) -> list[Finding]:
        """The learned review (see LiaisonValidator); only the clauses of rule findings it
        keeps still excuse a hedge on their time."""
        result = super().reviewed(normalized, findings)
        if any(finding not in result for finding in findings):
            key = eta_clauses_key(self.locale)
            kept = [(f.start, f.end) for f in result]
            clauses = cast("list[tuple[int, int]]", normalized.cache.get(key, []))
            normalized.cache[key] = [
                (low, high)
                for low, high in clauses
                if any(a <= normalized.original_span(low, high)[0] < b for a, b in kept)
            ]
        return result

    def _eta_phrase(
        self,
        sentence: str,
        original: str,
        sentence_start: int,
        candidates: list[Candidate],
        lowered_text: bool,
    ) -> tuple[str, int, int, bool] | None:
        """Return the ETA phrase in the sentence, its clause's span in the sentence and whether
        the explicit pattern found it, or None; candidates are in text coordinates.

        `sentence` is lower-cased when `lowered_text` (the word lists then run without
        IGNORECASE); `original` is the same span as written, for the phrase reported.
        """
        rules: RulePack | LowerPatterns = self.rules.lower if lowered_text else self.rules
        if _states_a_fact(rules, sentence):
            return None
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
            match_start, match_end = match.start() - sentence_start, match.end() - sentence_start
            offset, clause = clause_of(match_start, match_end)
            if rules.eta_negation.search(clause) or rules.update_words.search(clause):
                continue
            return original[match_start:match_end], offset, offset + len(clause), True
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
                and not rules.restore_words.search(clause)
                and rules.restore_words.search(sentence)
            ):
                offset, clause = 0, sentence
            # A time in a clause about another kind of deadline (a refund, a reply, an incident
            # report, maintenance) is not a restoration time, whatever verb it has.
            if rules.never_eta is not None and rules.never_eta.search(clause):
                continue
            if (
                not time_pattern.alone
                and not rules.restore_words.search(clause)
                and not (
                    rules.expectation_words is not None
                    and rules.expectation_words.search(clause)
                    and rules.restore_words.search(sentence)
                    and not rules.update_words.search(sentence)
                )
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
            end = match.end() - sentence_start
            return original[match_start:end], offset, offset + len(clause), False
        return None


_DIGIT = re.compile(r"\d")
_CLOCK_TAIL = re.compile(r"^[\d:.]*\s*(?:[ap]\.?m\.?|utc|[a-z]{2,3}t\b)?", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+|[\u3040-\u30ff\u4e00-\u9fff]+")


def _only_a_past_clock(words: RulePack | LowerPatterns, sentence: str) -> bool:
    """Whether the sentence tells of a fix done at a clock time ("the fix was deployed at 14:05")
    and expects nothing, or expects something with no time of its own ("..., so anything you sent
    after that should be fine")."""
    found = words.past_clock.search(sentence) if words.past_clock is not None else None
    if found is None:
        return False
    if not words.future_markers.search(sentence):
        return True
    time = words.learned_gates.get("eta")
    if time is None:
        return False
    # the rest of the clock time ("14:05 UTC") is not a second time
    after = _CLOCK_TAIL.sub("", sentence[found.end() :], count=1)
    return not time.search(sentence[: found.start()]) and not time.search(after)


def _states_a_fact(rules: RulePack | LowerPatterns, sentence: str) -> bool:
    """Whether the sentence's ending states what happened or is happening, with no word that
    expects a time (see RulePack.stated_ending)."""
    return bool(
        rules.stated_ending is not None
        and rules.stated_ending.search(sentence)
        and not (rules.firm_future is not None and rules.firm_future.search(sentence))
        and not (rules.expectation_words is not None and rules.expectation_words.search(sentence))
    )


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
