"""Locale rule packs: the phrases and patterns the validators match; one module per locale."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module

Pattern = re.Pattern[str]


_UPPER_ESCAPE = re.compile(r"\\[SWDBAZNPUX]")


def lower_variant(pattern: Pattern) -> Pattern | None:
    """The same case-insensitive pattern for lower-cased text, compiled without IGNORECASE.

    IGNORECASE makes the regex engine fold every character it compares; scanning the text
    lower-cased once with a lower-cased pattern is three to four times faster. None when the
    pattern is case-sensitive or has escapes that lower-casing would change (\\S, \\W, ...).
    Parts marked (?-i:...) become case-insensitive too; that only widens rare abbreviations.
    """
    if not pattern.flags & re.IGNORECASE or _UPPER_ESCAPE.search(pattern.pattern):
        return None
    return re.compile(pattern.pattern.lower(), pattern.flags & ~re.IGNORECASE)


@dataclass(frozen=True)
class TimePattern:
    """A time expression; `future` says it points forward without needing a future verb."""

    pattern: Pattern
    future: bool
    # Substrings of the lower-cased text of which one must occur for a match; () = always scan.
    gate: tuple[str, ...] = ()
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
    # Any time expression at all ("~15 min", "tonight", 「15分」): sentences holding one that no
    # eta_times pattern matched go to the learned model only (guards.learned).
    eta_hints: Pattern | None = None


def load_rule_pack(locale: str) -> RulePack:
    """Import guards.rules.<locale> and return its RULES."""
    module = import_module(f"guards.rules.{locale}")
    rules = module.RULES
    if not isinstance(rules, RulePack):
        raise TypeError(f"guards.rules.{locale}.RULES is not a RulePack")
    return rules
