"""liaison/no-eta: promises or estimates of when service is restored."""

from __future__ import annotations

import re
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
        lower = lowered(normalized)
        gated = [(self.rules.eta_explicit, self.rules.eta_explicit_gate)]
        gated += [(item.pattern, item.gate) for item in self.rules.eta_times]
        for pattern_index, (pattern, gate) in enumerate(gated, start=-1):
            if gate and not any(word in lower for word in gate):
                continue
            for match in pattern.finditer(text):
                index = bisect_right(starts, match.start()) - 1
                if index >= 0 and match.end() <= spans[index][1]:
                    candidates.setdefault(index, []).append((pattern_index, match))
        findings: list[Finding] = []
        for index in sorted(candidates):
            start, end = spans[index]
            phrase = self._eta_phrase(text[start:end], start, candidates[index])
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

    def _eta_phrase(
        self, sentence: str, sentence_start: int, candidates: list[Candidate]
    ) -> str | None:
        """Return the ETA phrase in the sentence, or None; candidates are in text coordinates."""
        rules = self.rules
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
            return match.group(0)
        sentence_future = rules.future_markers.search(sentence) is not None
        for pattern_index, match in ordered:
            if pattern_index < 0:
                continue
            time_pattern = rules.eta_times[pattern_index]
            match_start = match.start() - sentence_start
            offset, clause = clause_of(match_start, match.end() - sentence_start)
            if not rules.restore_words.search(clause):
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
            return match.group(0)
        return None


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
    nearest_restore = min(distance(found) for found in restore_words.finditer(clause))
    return nearest_update <= nearest_restore
