"""Locale rule packs: the phrases and patterns the validators match; one module per locale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module

Pattern = re.Pattern[str]


_UPPER_ESCAPE = re.compile(r"\\[SWDBAZNPUX]")


def lower_variant(pattern: Pattern, *, keep_case_parts: bool = False) -> Pattern | None:
    """The same case-insensitive pattern for lower-cased text, compiled without IGNORECASE.

    IGNORECASE makes the regex engine fold every character it compares; scanning the text
    lower-cased once with a lower-cased pattern is three to four times faster. None when the
    pattern is case-sensitive or has escapes that lower-casing would change (\\S, \\W, ...).
    Parts marked (?-i:...) become case-insensitive too, which only widens rare abbreviations;
    with `keep_case_parts` such a pattern gets no variant ("May" the name is not "may").
    """
    if not pattern.flags & re.IGNORECASE or _UPPER_ESCAPE.search(pattern.pattern):
        return None
    if keep_case_parts and "(?-i:" in pattern.pattern:
        return None
    return re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE)


def _variant_or_same(pattern: Pattern) -> Pattern:
    # A pattern without a variant is case-sensitive with no upper-case letters to miss (the
    # Japanese word lists) or case-insensitive already: either way right on lower-cased text.
    return lower_variant(pattern) or pattern


@dataclass(frozen=True)
class LowerPatterns:
    """A rule pack's patterns for the lower-cased text (see lower_variant), derived once.

    The word lists always hold a pattern that is right on lower-cased text; the scanning
    patterns are None where the original must run on the original text instead.
    """

    clause_break: Pattern
    eta_negation: Pattern
    update_words: Pattern
    restore_words: Pattern
    future_markers: Pattern
    past_markers: Pattern
    expectation_words: Pattern | None
    firm_future: Pattern | None
    other_deadlines: Pattern | None
    never_eta: Pattern | None
    eta_explicit: Pattern | None
    speculation: tuple[Pattern | None, ...]
    speculation_exempt: Pattern | None
    past_restoration: Pattern | None
    past_clock: Pattern | None
    stated_ending: Pattern | None
    learned_gates: dict[str, Pattern]

    @classmethod
    def of(cls, rules: RulePack) -> LowerPatterns:
        def optional(pattern: Pattern | None) -> Pattern | None:
            return _variant_or_same(pattern) if pattern is not None else None

        return cls(
            clause_break=_variant_or_same(rules.clause_break),
            eta_negation=_variant_or_same(rules.eta_negation),
            update_words=_variant_or_same(rules.update_words),
            restore_words=_variant_or_same(rules.restore_words),
            future_markers=_variant_or_same(rules.future_markers),
            past_markers=_variant_or_same(rules.past_markers),
            expectation_words=optional(rules.expectation_words),
            firm_future=optional(rules.firm_future),
            other_deadlines=optional(rules.other_deadlines),
            never_eta=optional(rules.never_eta),
            eta_explicit=lower_variant(rules.eta_explicit),
            speculation=tuple(
                lower_variant(pattern, keep_case_parts=True) for pattern in rules.speculation
            ),
            speculation_exempt=lower_variant(rules.speculation_exempt),
            past_restoration=optional(rules.past_restoration),
            past_clock=optional(rules.past_clock),
            stated_ending=optional(rules.stated_ending),
            # Only gates with a true lower-case variant: a case-sensitive gate ("getUserProfile",
            # "Grafana") must run on the text as written.
            learned_gates={
                category: variant
                for category, gate in rules.learned_gates.items()
                if (variant := lower_variant(gate)) is not None
            },
        )


@dataclass(frozen=True)
class TimePattern:
    """A time expression; `future` says it points forward without needing a future verb."""

    pattern: Pattern
    future: bool
    # Substrings of the lower-cased text of which one must occur for a match; () = always scan.
    gate: tuple[str, ...] = ()
    # The phrase only ever measures the wait for service ("shouldn't be much longer", "30 more
    # mins"): no restoration or firm-future word needs to stand in its clause.
    alone: bool = False
    # `pattern` for lower-cased text (see lower_variant), derived.
    lower: Pattern | None = field(init=False, compare=False, repr=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", lower_variant(self.pattern))


@dataclass(frozen=True)
class RulePack:
    """Everything locale-specific the validators use."""

    locale: str
    # Sentence and clause boundaries (matched on normalised text).
    sentence_end: Pattern
    clause_break: Pattern
    # eta
    eta_times: tuple[TimePattern, ...]
    eta_explicit: Pattern
    eta_explicit_gate: tuple[str, ...]
    eta_negation: Pattern
    update_words: Pattern
    restore_words: Pattern
    future_markers: Pattern
    past_markers: Pattern
    eta_fix: str
    # speculation
    speculation: tuple[Pattern, ...]
    speculation_exempt: Pattern
    # missing_status / missing_impact
    status_words: Pattern
    impact_words: Pattern
    # ungrounded
    symptom_words: Pattern
    region_words: Pattern
    # placeholders written in this locale's conventions
    placeholders: tuple[Pattern, ...] = ()
    # Optional keyword gates, one per speculation pattern: the pattern is skipped unless one of
    # its substrings occurs in the lower-cased text (a substring test is far cheaper than a scan).
    speculation_gates: tuple[tuple[str, ...], ...] = ()
    messages: dict[str, str] = field(default_factory=dict)
    # Verbs of expecting: a time phrase in a clause with one of them counts as an ETA when the
    # restoration word sits elsewhere in the sentence ("..., which they expect around 3 pm").
    expectation_words: Pattern | None = None
    # A clause that firmly expects its time ("will", "should", 見込み, 予定) promises a fix even
    # with a restoration word we do not know, unless the sentence is about another kind of
    # deadline (`other_deadlines`: refunds, credits, incident reports, replies).
    firm_future: Pattern | None = None
    other_deadlines: Pattern | None = None
    # A clause about one of these is never a restoration time, whatever its verb: refunds and
    # charge reversals, replies and escalations, planned maintenance, incident reports.
    never_eta: Pattern | None = None
    # Per category, what a sentence must hold for the learned model to flag it when the rules
    # did not (guards.learned): a time for eta, a hedge for speculation, an identifier-shaped
    # token or a person's title for internal_detail. The model learned from short messages and
    # over-reads long formal updates ("We are continuing to investigate this issue.").
    learned_gates: dict[str, Pattern] = field(default_factory=dict)
    # Restoration told as done, in a sentence with no future marker: the learned eta model never
    # flags it ("We restored full service by 15:13 UTC.").
    past_restoration: Pattern | None = None
    # A fix told as done at a clock time ("we deployed a fix at 13:05 UTC"), in a sentence that
    # expects nothing with a time of its own: never an ETA, whatever the learned model scores
    # (NoEta.learned_gate).
    past_clock: Pattern | None = None
    # A sentence whose main predicate (its ending) states what happened or is happening, with
    # no firm-future or expectation word, promises nothing: not an ETA, whatever times it holds
    # (「17:55に正常に動作することを確認いたしました」「最大6時間ほどを要しております」).
    stated_ending: Pattern | None = None
    # A sentence that guesses a cause ("vendor thinks it was a bad cert, fixed within the hour")
    # keeps its hedges as speculation even when it also holds an ETA; so does a hedge with a
    # cause noun right before it (「負荷のせいかも」, matched on the text just before the hedge).
    cause_words: Pattern | None = None
    cause_before_hedge: Pattern | None = None
    # The patterns above for lower-cased text, derived when the pack is built.
    lower: LowerPatterns = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", LowerPatterns.of(self))


def load_rule_pack(locale: str) -> RulePack:
    """Import guards.rules.<locale> and return its RULES."""
    module = import_module(f"guards.rules.{locale}")
    rules = module.RULES
    if not isinstance(rules, RulePack):
        raise TypeError(f"guards.rules.{locale}.RULES is not a RulePack")
    return rules
