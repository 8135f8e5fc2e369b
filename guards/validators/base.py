"""Shared machinery for Liaison's guardrails validators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from guardrails.validator_base import (
    ErrorSpan,
    FailResult,
    PassResult,
    ValidationResult,
    Validator,
)

from guards.learned import (
    LEARNED_CATEGORIES,
    NgramModel,
    chunks_of,
    load_model,
    review,
    shipped_vocabulary,
)
from guards.models import GuardContext
from guards.normalize import NormalizedText, normalize
from guards.rules import RulePack, load_rule_pack

NORMALIZED_KEY = "liaison_normalized"
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, with its span already mapped onto the original text."""

    start: int
    end: int
    message: str
    fix: str | None = None
    # Found by a pattern that names an ETA outright ("ETA 15:00", "now running until 6am"):
    # the learned model's veto does not apply to it.
    firm: bool = False


class LiaisonValidator(Validator):  # type: ignore[misc]
    """Base class: subclasses set `category` and implement `find` on normalised text."""

    category: ClassVar[str] = ""

    def __init__(
        self,
        locale: str = "en",
        channel: str = "statuspage",
        context: GuardContext | None = None,
        on_fail: str = "noop",
        learned: bool = True,
    ) -> None:
        super().__init__(on_fail=on_fail, locale=locale, channel=channel)
        self.locale = locale
        self.channel = channel
        self.context = context or GuardContext()
        self.rules: RulePack = load_rule_pack(locale)
        # The learned second opinion, loaded when the guard set is built (guards.learned).
        self.model: NgramModel | None = (
            load_model(self.category) if learned and self.category in LEARNED_CATEGORIES else None
        )

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return the problems the rules find in the text; subclasses override."""
        raise NotImplementedError

    def reviewed(self, normalized: NormalizedText, findings: list[Finding]) -> list[Finding]:
        """The rule findings the learned model keeps, plus those it adds (guards.learned)."""
        model = self.model
        thresholds = model.thresholds.get(self.locale) if model is not None else None
        if model is None or thresholds is None:
            return findings
        spans = cached_sentence_spans(normalized, self.rules)
        chunks = chunks_of(normalized, spans, self.locale, shipped_vocabulary())
        scores: dict[int, float] = {}

        def score(index: int) -> float:
            if index not in scores:
                vectors = chunks[index].vectors
                scores[index] = (
                    model.probability_of_vectors(vectors)
                    if vectors is not None
                    else model.probability_of(chunks[index].grams)
                )
            return scores[index]

        def sentence_score(index: int, sentence: int) -> float:
            chunk = chunks[index]
            if len(chunk.sentences) == 1:
                return score(index)  # the chunk is that sentence
            vectors = chunk.sentence_vectors(sentence)
            if vectors is None:
                return model.probability(chunk.sentence_texts[sentence])
            return model.probability_of_vectors(vectors)

        opinion = review(
            model,
            normalized.text,
            findings,
            chunks,
            score,
            thresholds,
            self.learned_gate,
            self.accepts_learned,
            sentence_score,
        )
        result = list(opinion.kept)
        for chunk, index in opinion.added:
            start, end = chunk.original_sentences[index]
            sentence = normalized.original[start:end]
            quoted = sentence if len(sentence) <= 120 else sentence[:117] + "..."
            result.append(
                Finding(start, end, self.message(self.category, text=quoted), self.learned_fix)
            )
        result.sort(key=lambda finding: finding.start)
        return result

    def learned_gate(self, sentence: str) -> bool:
        """Whether the sentence holds what the learned model needs to flag it (cheap)."""
        if not _LETTER.search(sentence):
            return False  # "2." of a numbered list
        lower = self.rules.lower.learned_gates.get(self.category)
        if lower is not None and sentence.isascii():
            return lower.search(sentence.lower()) is not None
        gate = self.rules.learned_gates.get(self.category)
        return gate is None or gate.search(sentence) is not None

    def accepts_learned(self, sentence: str) -> bool:
        """Whether the learned model may flag this gated (normalised) sentence; see guards.eta."""
        return True

    @property
    def learned_fix(self) -> str | None:
        """The fix for a sentence only the learned model flags; None: the author rewrites it."""
        return None

    def message(self, key: str, **values: object) -> str:
        """Render a customer-safe message from the locale pack."""
        return self.rules.messages[key].format(**values)

    def _validate(self, value: Any, metadata: dict[str, Any]) -> ValidationResult:
        text = str(value)
        normalized = metadata.get(NORMALIZED_KEY)
        if not isinstance(normalized, NormalizedText) or normalized.original != text:
            normalized = normalize(text)
        findings = self.reviewed(normalized, self.find(normalized))
        if not findings:
            return PassResult()
        return FailResult(
            error_message=" ".join(dict.fromkeys(finding.message for finding in findings)),
            fix_value=apply_fixes(text, findings),
            error_spans=[
                ErrorSpan(start=finding.start, end=finding.end, reason=finding.message)
                for finding in findings
            ],
            metadata={"category": self.category, "fixes": [finding.fix for finding in findings]},
        )


def apply_fixes(text: str, findings: list[Finding]) -> str:
    """Apply every non-overlapping fix, last first so earlier offsets stay valid."""
    result = text
    last_start = len(text) + 1
    for finding in sorted(findings, key=lambda item: item.start, reverse=True):
        if finding.fix is None or finding.end > last_start:
            continue
        result = result[: finding.start] + finding.fix + result[finding.end :]
        last_start = finding.start
    return result


def sentence_spans(text: str, rules: RulePack) -> list[tuple[int, int]]:
    """Split text into [start, end) sentence spans, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in rules.sentence_end.finditer(text):
        if boundary.end() == start and boundary.start() == start:
            continue
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def cached_sentence_spans(normalized: NormalizedText, rules: RulePack) -> list[tuple[int, int]]:
    """Sentence spans of the normalised text, split once per check and shared by validators."""
    key = f"sentences:{rules.locale}"
    cached = normalized.cache.get(key)
    if cached is None:
        cached = normalized.cache[key] = sentence_spans(normalized.text, rules)
    return cast("list[tuple[int, int]]", cached)


def lowered(normalized: NormalizedText) -> str:
    """The normalised text in lower case, computed once per check (for cheap keyword gates)."""
    cached = normalized.cache.get("lower")
    if cached is None:
        cached = normalized.cache["lower"] = normalized.text.lower()
    return cast(str, cached)


def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile names into one case-insensitive pattern; ASCII names match whole words only."""
    cleaned = sorted(
        {normalize(term).text.strip() for term in terms if len(term.strip()) >= 2},
        key=len,
        reverse=True,
    )
    if not cleaned:
        return None
    # One boundary check around all ASCII names (not one per name): far faster to scan.
    ascii_terms = [re.escape(term) for term in cleaned if term.isascii()]
    other_terms = [re.escape(term) for term in cleaned if not term.isascii()]
    parts = []
    if ascii_terms:
        parts.append(rf"(?<![A-Za-z0-9_-])(?:{'|'.join(ascii_terms)})(?![A-Za-z0-9_-])")
    parts.extend(other_terms)
    return re.compile("|".join(parts), re.IGNORECASE)


def original_slice(normalized: NormalizedText, start: int, end: int) -> tuple[int, int, str]:
    """Map a normalised span to the original text and return it with its original characters."""
    original_start, original_end = normalized.original_span(start, end)
    return original_start, original_end, normalized.original[original_start:original_end]
