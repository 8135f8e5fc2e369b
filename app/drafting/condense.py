"""Condense a transcript: keep what speaks to customers, in public words, with its sources.

The transcript is untrusted data written fast by busy engineers: guesses, ETAs, hostnames,
people, and sometimes text pasted from customers that tries to give orders. Nothing here
executes or obeys it. We only *select* clauses that state customer impact, what is not
affected, workarounds and advice, map internal names to public ones, and drop every clause a
guard objects to (or that carries numbers we cannot vouch for). What survives is small and
safe enough for a template to repeat.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from guards import CatalogEntry

STATEMENT_KINDS = ("impact", "not_affected", "workaround", "advice")
# Chatter that says nothing about customers.
NOISE = re.compile(
    r"^\s*(?:ok(?:ay)?|ack(?:'?d)?|thanks?(?: all)?|ty|lol|\+1|on it|done|yes|no|nice|"
    r"good|great|agreed?|sure|👍|了解|ありがとう(?:ございます)?|対応します|お疲れ様です)[.!\s]*$",
    re.IGNORECASE,
)


# Text that tries to give orders to whoever reads it. Such a message is quoted material
# (a pasted ticket, a test) or an attack; either way nothing in it may reach a draft.
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|"
    r"your|these|those)?\s*(?:instructions?|rules|prompts?|guidelines)\b|"
    r"\b(?:system\s+prompt|you\s+are\s+now|new\s+instructions?|jailbreak)\b|"
    r"(?:指示|命令|ルール|プロンプト)を?(?:すべて|全て)?無視|無視して(?:ください|ね|。)?.*伝え",
    re.IGNORECASE,
)


def is_injection(text: str) -> bool:
    """Whether a text tries to instruct its reader (prompt injection)."""
    return INJECTION.search(text) is not None


@dataclass
class Message:
    """The part of a transcript message condensation reads."""

    id: int
    author: str
    text: str
    kind: str = "chat"
    at: datetime | None = None


@dataclass
class Statement:
    """One customer-safe clause of a given kind, with the messages it came from."""

    kind: str
    text: str
    sources: list[int] = field(default_factory=list)


@dataclass
class Condensed:
    """What condensation kept."""

    statements: list[Statement]
    kept_message_ids: list[int]
    dropped_messages: int


# Labelled fields in call notes and summaries: "impact = ...", "not affected: ...".
_EN_LABELS = [
    (re.compile(r"\bnot\s+(?:affected|impacted)\s*[:=]\s*", re.I), "not_affected"),
    (re.compile(r"\bunaffected\s*[:=]\s*", re.I), "not_affected"),
    (re.compile(r"\bworkarounds?\s*[:=]\s*", re.I), "workaround"),
    (
        re.compile(
            r"\b(?:customer\s+)?(?:impact(?:ed)?|customer\s+(?:facts|wording))"
            r"(?:\s+for\s+\w+)?\s*[:=]\s*",
            re.I,
        ),
        "impact",
    ),
]
_JA_LABELS = [
    (re.compile(r"影響(?:なし|は?ありません)\s*[=＝:：]\s*"), "not_affected"),
    (re.compile(r"回避策\s*[=＝:：]\s*"), "workaround"),
    (re.compile(r"(?:お客様への)?影響(?:範囲)?\s*[=＝:：]\s*"), "impact"),
]

_EN_CUES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:not\s+affected|unaffected|(?:is|are|looks?|seems?)\s+(?:fine|normal|ok)|"
            r"working\s+(?:normally|fine)|(?:all\s+)?(?:fine|normal|working|works?|succeeds?)$)",
            re.I,
        ),
        "not_affected",
    ),
    (
        re.compile(
            r"^(?:the\s+|our\s+|all\s+|affected\s+)?(?:users?|customers?|shoppers?|merchants?|"
            r"clients?|visitors?|admins?|you)\s+(?:can|could|should)\s+(?!not\b|'t\b)",
            re.I,
        ),
        "workaround",
    ),
    (
        re.compile(
            r"\b(?:won'?t|will\s+not)\s+be\s+charged|no\s+(?:\w+\s+)?action\s+(?:is\s+)?needed|"
            r"will\s+be\s+refunded|(?:may|might|will)\s+(?:receive|see|get|arrive)\b|"
            r"(?:may|might)\s+be\s+(?:a\s+bit\s+)?(?:slow|slower|delayed|late)|"
            r"no\s+data\s+(?:loss|lost)|data\s+(?:is\s+)?safe|catching\s+up|fill\s+in",
            re.I,
        ),
        "advice",
    ),
    (
        re.compile(
            r"\b(?:customers?|users?|merchants?|shoppers?|clients?|visitors?|workspaces?)\b.*\b"
            r"(?:can'?t|cannot|unable|not\s+(?:receiving|arriving|loading|working)|fail\w*|"
            r"errors?|delayed|slow\w*|stale|see|seeing|getting|locked|unavailable|"
            r"can\s+\w+\s+again)\b|\bpartial(?:ly)?\s+recover\w*",
            re.I,
        ),
        "impact",
    ),
]
_JA_CUES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"影響(?:は)?(?:なし|ありません|ない)|正常(?:です|に動作)?$|問題(?:は)?ありません"
        ),
        "not_affected",
    ),
    (re.compile(r"(?:代わりに|回避策|ご利用いただけます|できます)"), "workaround"),
    (re.compile(r"(?:返金|対応は不要|操作は不要|必要はありません)"), "advice"),
    (
        re.compile(
            r"(?:お客様|ユーザー|利用者).*(?:できない|できません|遅延|遅れ|届かない|失敗|エラー)"
        ),
        "impact",
    ),
]

# Lead-ins that wrap what engineers want said: "we can say ...", "customers will see X, say that".
_EN_LEAD_INS = re.compile(
    r"^(?:(?:ok\s+)?so\s+|call:\s*|yes[.,]?\s*|good,?\s*|support\s+says\s+|just\s+(?:that\s+)?)*"
    r"(?:(?:we\s+(?:can|should)\s+(?:say|tell\s+(?:customers|users))|worth\s+telling\s+"
    r"(?:customers|users)|tell\s+(?:customers|users)|let'?s\s+say|just\s+say)\s*(?:that\s+)?)?",
    re.I,
)
_EN_TAILS = re.compile(r"(?:,\s*(?:say\s+that|right|imo|i\s+think|lol)\s*)+[.!]*$", re.I)
_JA_LEAD_INS = re.compile(r"^(?:通話メモ[:：]\s*|サポートから[:：]\s*)")

# Numbers we cannot vouch for in public: clock times, durations, percentages, big counts, IPs.
_RISKY_NUMBER = re.compile(
    r"\d{1,2}:\d{2}|\d+(?:\.\d+)?\s*(?:%|ms|s\b|secs?|seconds?|mins?|minutes?|h\b|hrs?|hours?|"
    r"days?|k\b|分|秒|時間|時|日)|\d{3,}|\d+,\d{3}|\d+\.\d+\.\d+|~\s*\d|\bp\d{2}\b",
    re.I,
)
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i'd|i've|me|my|we're\s+(?:restarting|rolling|checking))\b", re.I
)
_SUBJECT = (
    r"^(?:the\s+|our\s+|all\s+|affected\s+)?(?:users?|customers?|shoppers?|merchants?|clients?)"
)
# Only a clause's own subject becomes "you": "legit users may see" stays as it is.
_PRONOUNS_EN = [
    (re.compile(_SUBJECT + r"\s+(can|should|may|might|will|won'?t)\b", re.I), r"you \1"),
    (re.compile(r"^they\s+(may|might|will|can|should)\b", re.I), r"you \1"),
]
# Every label and cue above needs one of these words: a message without any is skipped
# cheaply (a test keeps this list and the patterns in step).
_ANY_CUE = re.compile(
    r"impact|affect|workaround|wording|facts|customer|user|shopper|merchant|client|visitor|"
    r"admin|you|fine|normal|\bok\b|work|succeed|charged|action|refund|receiv|\bsee|\bget|"
    r"arriv|slow|delay|late|data|catching|fill\s+in|partial|unavailable|fail|error|stale|"
    r"locked|can'?t|cannot|unable|again|影響|回避|正常|問題|代わり|できます|返金|不要|必要|"
    r"お客様|ユーザー|利用者",
    re.IGNORECASE,
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?。！？])\s+|\n+|;\s+|。")


_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def is_japanese(text: str) -> bool:
    """Whether the text is mostly written in Japanese script."""
    return len(_CJK.findall(text)) >= max(2, len(text.replace(" ", "")) // 5)


def _fields(text: str, japanese: bool) -> list[tuple[str | None, str]]:
    """Split a message into (label kind or None, content) runs."""
    labels = _JA_LABELS if japanese else _EN_LABELS
    hits: list[tuple[int, int, str]] = []
    for pattern, kind in labels:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end, _ in hits):
                hits.append((match.start(), match.end(), kind))
    hits.sort()
    if not hits:
        return [(None, text)]
    runs: list[tuple[str | None, str]] = []
    if hits[0][0] > 0:
        runs.append((None, text[: hits[0][0]]))
    for index, (_, end, kind) in enumerate(hits):
        stop = hits[index + 1][0] if index + 1 < len(hits) else len(text)
        runs.append((kind, text[end:stop]))
    return runs


def _classify(sentence: str, japanese: bool) -> str | None:
    for pattern, kind in _JA_CUES if japanese else _EN_CUES:
        if pattern.search(sentence):
            return kind
    return None


def _clean_en(clause: str) -> str:
    clause = _EN_LEAD_INS.sub("", clause.strip())
    clause = _EN_TAILS.sub("", clause)
    clause = clause.strip(" \t'\"`.,:;-–—")
    for pattern, replacement in _PRONOUNS_EN:
        clause = pattern.sub(replacement, clause)
    return clause


def _clean_ja(clause: str) -> str:
    clause = _JA_LEAD_INS.sub("", clause.strip())
    return clause.strip(" \t'\"`「」。、,:：;")


def acceptable_shape(clause: str, japanese: bool) -> bool:
    if "?" in clause or "？" in clause or (japanese and re.search(r"(?:か|かな|よね)$", clause)):
        return False  # a question is not a fact
    if _RISKY_NUMBER.search(clause):
        return False
    if not japanese:
        words = clause.split()
        if len(words) < 2 or len(words) > 40 or _FIRST_PERSON.search(clause):
            return False
    elif (
        len(clause) < 3
        or len(clause) > 120
        or re.search(r"(?:伝える|書く|書いて|言う|説明する)$", clause)
    ):
        return False  # instructions to the liaison, not facts for customers
    return True


def _clauses(text: str, japanese: bool) -> list[str]:
    if japanese:
        return [part for part in re.split(r"[。；;\n]", text) if part.strip()]
    # Commas separate facts in chat ("SMS delayed, email fine"); keep lists of nouns together.
    parts = [
        part for part in re.split(r"(?<=[.;!])\s+|\n+|,\s+(?=\S+\s+\S+)", text) if part.strip()
    ]
    return parts


@lru_cache(maxsize=64)
def _alias_pattern(
    catalog: tuple[CatalogEntry, ...],
) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One alternation of every internal alias (longest first) and its public name."""
    names: dict[str, str] = {}
    for entry in catalog:
        for alias in entry.internal:
            if alias.strip():
                names.setdefault(alias.casefold(), entry.component)
    if not names:
        return None, names
    alternation = "|".join(re.escape(alias) for alias in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE), names


def _public_names(text: str, catalog: Sequence[CatalogEntry]) -> str:
    pattern, names = _alias_pattern(tuple(catalog))
    if pattern is None:
        return text
    return pattern.sub(lambda match: names[match.group(0).casefold()], text)


@lru_cache(maxsize=50_000)
def _candidates(text: str, japanese: bool) -> tuple[tuple[str, str], ...]:
    """(kind, clause) pairs of one message that may speak to customers; pure, so memoised.

    Drafts are asked for again and again while an incident runs; each message is read once.
    """
    found: list[tuple[str, str]] = []
    for field_label, content in _fields(text, japanese):
        for index, sentence in enumerate(_SENTENCE_SPLIT.split(content)):
            if not sentence or not sentence.strip():
                continue
            # A label ("impact = ...") governs its own sentence; later ones stand alone.
            label = field_label if index == 0 else None
            if label is None and _classify(sentence, japanese) is None:
                continue
            for clause in _clauses(sentence, japanese):
                # Unlabelled clauses must state something themselves ("email looks fine"),
                # not merely sit next to a clause that does; inside a labelled field a
                # clause saying "X is fine" is still about what is not affected.
                own_kind = _classify(clause, japanese)
                kind = "not_affected" if own_kind == "not_affected" else label or own_kind
                if kind is None:
                    continue
                cleaned = _clean_ja(clause) if japanese else _clean_en(clause)
                if japanese and kind == "workaround" and label is None and "回避策" in cleaned:
                    continue  # talk about a workaround ("回避策になる"), not the workaround
                if cleaned and acceptable_shape(cleaned, japanese):
                    found.append((kind, cleaned))
    return tuple(found)


@lru_cache(maxsize=100_000)
def _message_candidates(
    text: str, catalog: tuple[CatalogEntry, ...], locale: str
) -> tuple[tuple[str, str], ...]:
    """What one message may contribute, before the guards; pure in its inputs, so memoised."""
    if NOISE.match(text) or is_injection(text) or not _ANY_CUE.search(text):
        return ()
    text = _public_names(text, catalog)
    return _candidates(text, locale == "ja" or is_japanese(text))


def condense(
    messages: Iterable[Message],
    *,
    catalog: Sequence[CatalogEntry],
    locale: str,
    is_blocked: Callable[[str], bool],
) -> Condensed:
    """Select customer-relevant, guard-clean clauses from the transcript, oldest first."""
    statements: list[Statement] = []
    kept: list[int] = []
    dropped = 0
    catalog_key = tuple(catalog)
    for message in messages:
        candidates = (
            ()
            if message.kind == "status-change"
            else _message_candidates(message.text, catalog_key, locale)
        )
        found = False
        for kind, clause in candidates:
            if not is_blocked(clause):
                statements.append(Statement(kind, clause, [message.id]))
                found = True
        if found:
            kept.append(message.id)
        else:
            dropped += 1
    return Condensed(statements=statements, kept_message_ids=kept, dropped_messages=dropped)


def split_items(text: str, japanese: bool) -> list[str]:
    """Split a list of things ("PayPal, bank transfer and payouts") into items."""
    separator = r"[、,・]|\s+and\s+|と" if japanese else r",\s*|\s+and\s+|\s+&\s+"
    return [item.strip(" .。") for item in re.split(separator, text) if item.strip(" .。")]
