"""The fact sheet: everything a draft may say, each fact pointing at its sources."""

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from app.drafting.condense import Condensed, Statement, split_items

MAX_IMPACTS = 3
MAX_NOT_AFFECTED = 5
MAX_WORKAROUNDS = 2
MAX_ADVICE = 2
MAX_SIGNALS = 3

_NOT_AFFECTED_PREDICATE_EN = re.compile(
    r"\s*(?:\b(?:is|are|looks?|seems?|go(?:es)?\s+through\s+other\s+\w+)\b[\s,]*)*"
    r"(?:\b(?:fine|normal|ok|unaffected|not\s+affected|working(?:\s+(?:normally|fine))?)\b.*)$",
    re.I,
)
_NOT_AFFECTED_PREDICATE_JA = re.compile(
    r"(?:は|も)?(?:影響(?:は)?(?:なし|ありません|ない)|正常.*|問題(?:は)?ありません)$"
)


class Fact(BaseModel):
    """One thing a message may say, and the transcript messages and reports behind it."""

    text: str
    sources: list[int] = Field(default_factory=list)
    reports: list[int] = Field(default_factory=list)


class FactSheet(BaseModel):
    """What a draft is built from (DESIGN.md vocabulary)."""

    incident_id: int
    title: str
    subject: str = Field(description="The incident in customer words, for a sentence.")
    locale: str
    channel: str
    status: str
    severity: str
    components: list[str]
    impacts: list[Fact] = Field(default_factory=list)
    not_affected: list[Fact] = Field(default_factory=list)
    workarounds: list[Fact] = Field(default_factory=list)
    advice: list[Fact] = Field(default_factory=list)
    signals: list[Fact] = Field(default_factory=list)
    next_update_minutes: int
    transcript_cursor: int = 0
    reports_cursor: int = 0


def _key(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower())) or {text}


def _similar(a: str, b: str) -> bool:
    left, right = _key(a), _key(b)
    return len(left & right) / max(1, min(len(left), len(right))) >= 0.7


def _latest_distinct(statements: Sequence[Statement], limit: int) -> list[Fact]:
    """The newest statements first, dropping ones that repeat a newer one; shown oldest first."""
    chosen: list[Fact] = []
    for statement in reversed(statements):
        duplicate = next((fact for fact in chosen if _similar(fact.text, statement.text)), None)
        if duplicate is not None:
            duplicate.sources = sorted(set(duplicate.sources) | set(statement.sources))
            continue
        chosen.append(Fact(text=_sentence_case(statement.text), sources=list(statement.sources)))
        if len(chosen) == limit:
            break
    return list(reversed(chosen))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text and text[:1].islower() else text


def _not_affected_items(statements: Sequence[Statement], japanese: bool) -> list[Fact]:
    items: dict[str, Fact] = {}
    for statement in statements:
        predicate = _NOT_AFFECTED_PREDICATE_JA if japanese else _NOT_AFFECTED_PREDICATE_EN
        stripped = predicate.sub("", statement.text).strip(" ,.。")
        for item in split_items(stripped, japanese):
            words = item.split()
            if not item or (not japanese and len(words) > 5) or (japanese and len(item) > 15):
                continue
            if japanese and re.search(r"(?:で|が|は|を|に)$", item):
                continue  # a clause fragment ("別系統で"), not a thing
            if not japanese:
                item = re.sub(r"\s+(?:itself|works?|succeeds?)$", "", item, flags=re.I).strip()
                if re.search(
                    r"\b(?:no|not|nothing|back|to|times?)$|\b(?:no|not|nothing)\b", item, re.I
                ):
                    continue  # "no data loss" is advice; "delivery times" is a metric
                if len(item) < 3:
                    continue
            key = item.casefold()
            if key in items:
                items[key].sources = sorted(set(items[key].sources) | set(statement.sources))
            else:
                items[key] = Fact(text=item, sources=list(statement.sources))
    return list(items.values())[:MAX_NOT_AFFECTED]


def subject_from_title(title: str, locale: str, is_blocked: Callable[[str], bool]) -> str:
    """The incident in customer words: its title when the guards accept it, else a generic one."""
    title = title.strip().rstrip(".。")
    if not title or is_blocked(title):
        return (
            "一部サービスの不具合" if locale == "ja" else "an issue affecting some of our services"
        )
    if locale == "ja":
        return title
    first_word = title.split()[0]
    # Keep acronyms and product names ("SMS", "API", "iOS"); lower an ordinary first word.
    if first_word[1:].islower() and first_word[:1].isupper():
        return first_word[:1].lower() + title[1:]
    return title


def build_fact_sheet(
    *,
    incident_id: int,
    title: str,
    locale: str,
    channel: str,
    status: str,
    severity: str,
    components: Sequence[str],
    condensed: Condensed,
    signals: Sequence[Fact],
    next_update_minutes: int,
    transcript_cursor: int,
    reports_cursor: int,
    is_blocked: Callable[[str], bool],
) -> FactSheet:
    """Assemble the fact sheet from condensed statements and impact signals."""
    by_kind: dict[str, list[Statement]] = {}
    for statement in condensed.statements:
        by_kind.setdefault(statement.kind, []).append(statement)
    japanese = locale == "ja"
    return FactSheet(
        incident_id=incident_id,
        title=title,
        subject=subject_from_title(title, locale, is_blocked),
        locale=locale,
        channel=channel,
        status=status,
        severity=severity,
        components=list(components),
        impacts=_latest_distinct(by_kind.get("impact", []), MAX_IMPACTS),
        not_affected=_not_affected_items(by_kind.get("not_affected", []), japanese),
        workarounds=_latest_distinct(by_kind.get("workaround", []), MAX_WORKAROUNDS),
        advice=_latest_distinct(by_kind.get("advice", []), MAX_ADVICE),
        signals=list(signals)[:MAX_SIGNALS],
        next_update_minutes=next_update_minutes,
        transcript_cursor=transcript_cursor,
        reports_cursor=reports_cursor,
    )
