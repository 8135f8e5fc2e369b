"""liaison/no-internal-detail: internal systems, identifiers, links and people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from guardrails.validator_base import register_validator

from guards.models import GuardContext
from guards.normalize import NormalizedText
from guards.rules import common
from guards.validators.base import (
    Finding,
    LiaisonValidator,
    lowered,
    original_slice,
    term_pattern,
)


@register_validator(name="liaison/no-internal-detail", data_type="string")
class NoInternalDetail(LiaisonValidator):
    """Flags detail that only makes sense inside the company.

    Catches: internal hostnames and FQDNs (app-server-123, db-primary-2.internal, *.corp,
    *.svc.cluster.local), IP addresses, snake_case / kebab-case-with-digits service, queue,
    table and pod names, exception names and stack traces (NullPointerException, Traceback,
    OOMKilled), ticket and PR ids (JIRA-1234, INC-5521, PR #4812), internal links and dashboards
    (Grafana, Kibana, Jenkins, intranet URLs, code-host pull requests), object-store and broker
    URIs (s3://, kafka://), any identifier written next to an infrastructure noun ("the
    sms-outbound-priority queue", 「トピック events.audit」), chat channels (#inc-123), the people
    in `context.people`, people named the way only people are ("our on-call engineer Priya",
    "Jonathan Meyer restarted ...", 田中さん, 担当の田中が), and every internal alias in
    `context.catalog` (fixed to its public name).
    Does not catch: public product names with digits (Windows 11, iOS 17, HTTP 500, SGP1),
    cloud region names (us-east-1, EU-West), public URLs, documented event names
    (invoice.payment_failed webhook), ids the customer sees (error code LP-402, booking ref
    HX-448-2291, 型番 MC-200), or plain-language descriptions of internal components ("one of
    our databases").
    """

    category = "internal_detail"

    def __init__(
        self,
        locale: str = "en",
        channel: str = "statuspage",
        context: GuardContext | None = None,
        on_fail: str = "noop",
        learned: bool = True,
    ) -> None:
        super().__init__(
            locale=locale, channel=channel, context=context, on_fail=on_fail, learned=learned
        )
        aliases: dict[str, str] = {}
        for entry in self.context.catalog:
            for alias in entry.internal:
                aliases[alias.casefold()] = entry.component
        self._aliases = aliases
        self._alias_pattern = term_pattern(
            tuple(alias for e in self.context.catalog for alias in e.internal)
        )
        self._people_pattern = term_pattern(self.context.people)

    def learned_gate(self, sentence: str) -> bool:
        """Links are judged by the rules alone (public or internal host), not by their shape."""
        return super().learned_gate(_LINK.sub(" ", sentence))

    def find(self, normalized: NormalizedText) -> list[Finding]:
        """Return one finding per internal identifier."""
        text = normalized.text
        spans: list[tuple[int, int, str | None]] = []
        # Public URLs, and template slots ({{start_time}}): the placeholder guard reports those.
        public_urls: list[tuple[int, int]] = []
        if "{" in text:
            public_urls.extend(match.span() for match in common.PLACEHOLDERS[0].finditer(text))

        def free(low: int, high: int) -> bool:
            return not any(a < high and low < b for a, b, _ in spans) and not any(
                a <= low and high <= b for a, b in public_urls
            )

        # Catalog aliases first: they carry a precise fix and must win over generic patterns.
        if self._alias_pattern is not None:
            for match in self._alias_pattern.finditer(text):
                component = self._aliases.get(match.group(0).casefold())
                spans.append((match.start(), match.end(), component))
        lower = lowered(normalized)
        for match in _scan("url", common.URL, text, lower):
            if not free(*match.span()):
                continue
            if _is_internal_url(match.group(0)):
                spans.append((match.start(), match.end(), None))
            else:
                public_urls.append(match.span())
        if self._people_pattern is not None:
            for match in self._people_pattern.finditer(text):
                if free(*match.span()) and _names_a_person(text, match):
                    spans.append((match.start(), match.end(), None))
        if any(scheme in lower for scheme in common.INTERNAL_URI_GATE):
            for match in common.INTERNAL_URI.finditer(text):
                if free(*match.span()):
                    spans.append((match.start(), match.end(), None))
        for low, high in _infra_named(text, lower):
            if free(low, high):
                spans.append((low, high, None))
        for low, high in _people_without_context(text, lower):
            if free(low, high):
                spans.append((low, high, None))
        for kind, pattern in common.INTERNAL_PATTERNS:
            for match in _scan(kind, pattern, text, lower):
                if not free(*match.span()) or not _accept(kind, match):
                    continue
                if kind in _QUOTABLE_KINDS and (
                    _is_quoted_public_name(text, match) or _names_a_public_offer(text, match)
                ):
                    continue
                spans.append((match.start(), match.end(), None))

        findings: list[Finding] = []
        for low, high, component in sorted(spans):
            o_start, o_end, original = original_slice(normalized, low, high)
            if component is not None:
                message = self.message("internal_detail_alias", text=original, fix=component)
            else:
                message = self.message("internal_detail", text=original)
            findings.append(Finding(o_start, o_end, message, component))
        return findings


# "out-of-sync", "end-to-end": hyphenated prose, not an identifier.
_PROSE_COMPOUND = re.compile(r"-(?:of|to|the|and|in|on|for|by|a)-")
_ASCII_WORD_AROUND = re.compile(r"[a-z0-9][a-z]{2}|[a-z]{2}[a-z0-9]")
# "e-prescription", "x-ray": a one-letter prefix makes an ordinary word.
_LETTER_PREFIXED = re.compile(r"[ex]-[a-z]+$")
# "the label-printing service", "a ride-sharing app": an activity, not a name.
_ACTIVITY_COMPOUND = re.compile(r"[a-z]+-[a-z]+ing$")


def _infra_named(text: str, lower: str) -> Iterator[tuple[int, int]]:
    """Identifiers written next to an infrastructure noun ("the sms-outbound queue")."""
    if len(lower) != len(text):  # lower-casing changed offsets (rare scripts): no match
        lower = "".join(char if len(char.lower()) != 1 else char.lower() for char in text)
    nouns = list(common.INFRA_NOUN_LOWER.finditer(lower))
    japanese_nouns = [
        noun
        for noun in (common.INFRA_NOUN_JA.finditer(lower) if not text.isascii() else ())
        # "DB" alone, not the letters inside "cloudbox" or "broadband"
        if not noun.group(0).isascii()
        or not _ASCII_WORD_AROUND.search(lower, max(0, noun.start() - 1), noun.end() + 1)
    ]
    found: list[re.Match[str] | None] = []
    for noun in nouns + japanese_nouns:
        found.append(common.IDENT_AFTER_NOUN.match(text, noun.end()))
        found.append(common.IDENT_BEFORE_NOUN.search(text, max(0, noun.start() - 80), noun.start()))
    for noun in japanese_nouns:
        if noun.group(0) not in common.DATA_NOUNS_JA:
            continue
        word = common.WORD_BEFORE_NOUN_JA.search(text, max(0, noun.start() - 40), noun.start())
        if word is not None and word.group("id") not in common.GENERIC_WORDS_BEFORE_NOUN_JA:
            found.append(word)
    for noun in common.LOOSE_INFRA_NOUN.finditer(lower):
        if common.CUSTOMER_SIDE_BEFORE.search(lower, max(0, noun.start() - 24), noun.start()):
            continue  # "your system (Windows-11)", 「お使いのツール（…）」
        named = common.IDENT_IN_APPOSITION.match(text, noun.end())
        if named is not None and _internal_looking(named.group("id")):
            found.append(named)
    for match in found:
        if match is None:
            continue
        token = match.group("id").casefold()
        if (
            token not in common.COMMON_HYPHENATED
            and not common.REGION.match(token)
            and not common.DATE_LIKE.match(token)
            and not _is_version(token)
            and not (_PROSE_COMPOUND.search(token) and not match.group("id").isupper())
            and not _LETTER_PREFIXED.match(token)
            and not _ACTIVITY_COMPOUND.match(token)
            and not _labelled_customer_id(match)
        ):
            yield match.span("id")


def _internal_looking(token: str) -> bool:
    """Written as systems name things, all lower or all upper case ("wh-outbound-prio",
    "LOYALTY-SYNC"), not as products are ("Office-365", "LINE-Pay", "Wi-Fi")."""
    letters = [char for char in token if char.isalpha()]
    return all(char.islower() for char in letters) or all(char.isupper() for char in letters)


def _is_version(token: str) -> bool:
    """ "v2.3", "1.2.0-beta": versions customers see are not identifiers."""
    return re.fullmatch(r"v?\d[\w.-]*", token) is not None


def _people_without_context(text: str, lower: str) -> Iterator[tuple[int, int]]:
    """Spans of people named in ways only people are (see common.PERSON_PATTERNS)."""
    found: list[re.Match[str]] = []
    cjk = not text.isascii() and common.CJK.search(text) is not None
    for pattern, gate in common.PERSON_PATTERNS:
        if (gate and not any(word in lower for word in gate)) or (not gate and not cjk):
            continue
        found.extend(pattern.finditer(text))
    for action in common.PERSON_ACTION.finditer(text):
        before = common.NAME_BEFORE_ACTION.search(text, max(0, action.start() - 40), action.start())
        if before is not None:
            found.append(before)
    for match in found:
        for group in match.re.groupindex:
            name = match.group(group) if group.startswith("name") else None
            if (
                name
                and name.casefold() not in common.NOT_A_NAME
                and not common.NOT_A_NAME_JA.search(name)
                and not _writer_or_addressee(text, *match.span(group))
            ):
                yield match.span(group)


# 「ネクストシステムズの吉田でございます」「営業担当、今井です」: the writer introducing themselves.
_SELF_INTRODUCTION = re.compile(r"\s?(?:でございます|です|と申します|が担当いたします)")
_SALUTATION = re.compile(r"\s?(?:さん|様|さま|殿|先生)?\s*[,、]?\s*$")


def _writer_or_addressee(text: str, start: int, end: int) -> bool:
    """Whether a name is the message's writer or its addressee rather than staff at work: a
    self-introduction, a short line of the closing signature, or a salutation on the first line
    ("高木さん", "Hi Ellie,")."""
    if _SELF_INTRODUCTION.match(text, end):
        return True
    if "\n" not in text:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if len(line.strip()) > 40:
        return False
    if not text[:line_start].strip():  # the first line
        return _SALUTATION.match(text, end, line_end) is not None
    later = [part for part in text[line_end:].split("\n") if part.strip()]
    return len(later) <= 2


def _scan(kind: str, pattern: re.Pattern[str], text: str, lower: str) -> Iterator[re.Match[str]]:
    """Matches of one internal pattern, skipping the scan when its gate says none can exist."""
    gate = common.INTERNAL_GATES.get(kind)
    if isinstance(gate, tuple):
        if not any(part in lower for part in gate):
            return iter(())
    elif gate is not None and gate.search(text) is None:
        return iter(())
    return pattern.finditer(text)


# Generic identifier patterns whose matches may be public API or event names when quoted.
_QUOTABLE_KINDS = frozenset({"snake", "kebab"})
_QUOTES = {"`": "`", '"': '"', "'": "'"}


def _is_quoted_public_name(text: str, match: re.Match[str]) -> bool:
    """Whether a snake/kebab token is a quoted API or event name (`comment_updated`).

    Docs quote public names this way; internal names are quoted too, so a token that names
    infrastructure (a worker, queue, database, host with digits) still counts as internal.
    Catalog aliases were matched before this check, so a listed name is flagged regardless.
    """
    start, end = match.span()
    if start == 0 or end >= len(text):
        return False
    closing = _QUOTES.get(text[start - 1])
    if closing is None or text[end] != closing:
        return False
    token = match.group(0)
    if any(char.isdigit() for char in token):
        return False
    hyphenated = token.casefold().replace("_", "-")
    return not (
        common.INFRA_SUFFIX.search(hyphenated) or common.QUOTED_INTERNAL_PREFIX.search(hyphenated)
    )


_OFFER_AFTER = re.compile(
    r"\s?(?:plans?|tiers?|editions?|subscriptions?)(?![A-Za-z])|\s?(?:プラン|エディション)", re.I
)


def _names_a_public_offer(text: str, match: re.Match[str]) -> bool:
    """Whether a capitalised identifier names a plan or edition customers buy ("Pro_2024 plan").

    Only tokens starting with a capital letter and without infrastructure words qualify.
    """
    token = match.group(0)
    if not token[:1].isupper() or common.INFRA_SUFFIX.search(token.casefold().replace("_", "-")):
        return False
    return _OFFER_AFTER.match(text, match.end()) is not None


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|[-*•]\s)\s*[\"'(\[]?$")
_DOING_AFTER = re.compile(
    r"\s+(?:[a-z]+ed\b|is\b|was\b|has\b|had\b|and\b|will\b|'s\b|restart\w*|roll\w*|"
    r"ran\b|run\w*|took\b|made\b|sent\b|put\b|set\b|found\b|wrote\b|pushed\b|"
    r"deploy\w*|fix\w*|investigat\w*|look\w*|work\w*|said\b|says\b|thinks?\b|"
    r"(?:is|was)\s+\w+ing\b)"
)
_MONTH_BEFORE = re.compile(
    r"(?:\b(?:in|from|since|of|during|until|till|through|early|late|mid|last|next|this|"
    r"on|by|before|after)\s+)$",
    re.IGNORECASE,
)


def _names_a_person(text: str, match: re.Match[str]) -> bool:
    """Whether a match of a person's name refers to the person, not an ordinary word.

    Names that are also words ("Will", "May", "Mark") count only when capitalised
    mid-sentence (not after a month preposition, for "May") or at a sentence start when a
    verb of doing follows ("Mark restarted ..."); other names always count.
    """
    token = match.group(0)
    if token.casefold() not in common.ORDINARY_WORD_NAMES:
        return True
    if not token[:1].isupper():
        return False
    before = text[max(0, match.start() - 20) : match.start()]
    if _SENTENCE_START.search(before):
        return _DOING_AFTER.match(text, match.end()) is not None
    if token.casefold() in common.MONTH_NAMES and _MONTH_BEFORE.search(before):
        return False
    return True


def _is_internal_url(url: str) -> bool:
    """Whether a URL points at an internal tool, host or private resource."""
    candidate = url if "://" in url else f"https://{url}"
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return True
    if port is not None:
        return True
    return bool(common.INTERNAL_URL_HOST.search(host) or common.INTERNAL_URL_PATH.search(url))


_LINK = re.compile(r"\bhttps?://\S+|\b[\w.+-]+@[\w-]+\.[\w.]+")
# A documented event is named as one: "the payment_intent.succeeded webhook", 「イベント」.
_EVENT_WORD = re.compile(r"(?i:webhook|event)|イベント")
_PUBLIC_API_PATH = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE)?\s*/v\d+(?:/[\w{}:.-]+)+$")


def _accept(kind: str, match: re.Match[str]) -> bool:
    """Filter generic identifier matches that are ordinary words or public names."""
    token = match.group(0)
    if kind in _QUOTABLE_KINDS and _SOCIAL_HANDLE.search(match.string, 0, match.start()):
        return False  # a public social handle ("@jess_builds"); chat handles have a dot
    if kind == "kebab":
        return _internal_kebab(token) and not (
            token[:1].isupper() and _customer_visible_id(match, token.split("-")[0])
        )
    if kind == "snake":
        if _labelled_customer_id(match):
            return False
        # A lone "__init__"-style or all-caps constant is still internal; ordinary prose never
        # contains underscores, so every snake_case token counts - except a segment of a public
        # versioned API path ("POST /v1/payment_intents") or of a documented event name
        # ("payment_intent.succeeded").
        if _PUBLIC_API_PATH.search(match.string, 0, match.end()) is not None:
            return False
        return not _names_a_public_event(match, token)
    if kind == "host_digits":
        root = match.group(1)
        return (
            root is not None
            and root.casefold() in common.HOST_ROOTS
            and token.casefold()
            not in {
                "web3",
                "es6",
                "es5",
                "es2015",
            }
        )
    if kind == "ticket":
        prefix = match.group(1)
        if prefix is not None and prefix.upper() in common.TICKET_ALLOWED_PREFIXES:
            return False
        return not _customer_visible_id(match, prefix)
    if kind == "ip":
        return all(int(part.split("/")[0].split(":")[0]) <= 255 for part in token.split(".")[:4])
    return True


def _names_a_public_event(match: re.Match[str], token: str) -> bool:
    """Whether a snake_case token is part of a documented event name - the object before its verb
    ("payment_intent.succeeded") or the verb after its object ("invoice.payment_failed") - with
    "webhook" or "event" nearby."""
    text = match.string
    dotted = common.PUBLIC_EVENT_SUFFIX.match(text, match.end()) or (
        text[match.start() - 1 : match.start()] == "."
        and common.PUBLIC_EVENT_SUFFIX.fullmatch(token)
    )
    return bool(dotted and _EVENT_WORD.search(text, max(0, match.start() - 60), match.end() + 60))


# An "@" that starts a mention, not one inside an e-mail address ("sync@plotline-prod.iam").
_SOCIAL_HANDLE = re.compile(r"(?:^|[^\w.@-])@$")


def _labelled_customer_id(match: re.Match[str]) -> bool:
    """Whether an identifier follows a label of ids the customer owns ("payout ID po_8XK2");
    never one that names infrastructure ("error code E_QUOTA_EXCEEDED_INTERNAL")."""
    group = "id" if "id" in match.re.groupindex else 0
    start = match.start(group)
    segments = set(re.split(r"[_.-]", match.group(group).casefold()))
    if segments & (common.INFRA_SEGMENTS | {"internal", "prod", "staging"}):
        return False
    return common.CUSTOMER_ID_LABEL.search(match.string[max(0, start - 40) : start]) is not None


def _customer_visible_id(match: re.Match[str], prefix: str | None) -> bool:
    """Whether a ticket-shaped id is one the customer sees: "error code LP-402", "booking ref
    HX-448-2291", an id inside a quoted error message ("Something went wrong (LB-503)"), "the
    FG-300 tracker", 「型番 MC-200」. Prefixes only internal trackers use (INC-, OPS-) never are."""
    if prefix is not None and prefix.upper() in common.INTERNAL_TICKET_PREFIXES:
        return False
    text = match.string
    start, end = match.span()
    before = text[max(0, start - 60) : start]
    return bool(
        _inside_quotes(before)
        or common.CUSTOMER_ID_LABEL.search(before[-40:])
        or common.CUSTOMER_ID_NOUN.match(text, end)
    )


def _inside_quotes(before: str) -> bool:
    """Whether the text ending at `before` is inside an open quotation."""
    return (
        before.count('"') % 2 == 1
        or before.rfind("\u201c") > before.rfind("\u201d")
        or before.rfind("「") > before.rfind("」")
    )


def _internal_kebab(token: str) -> bool:
    """Decide whether a hyphenated token is an internal identifier."""
    folded = token.casefold()
    if folded in common.COMMON_HYPHENATED or common.REGION.match(token):
        return False
    segments = folded.split("-")
    if token.isupper() and len(segments) == 2:
        # JIRA-1234 style ids are handled by the ticket pattern with its own allow-list.
        return False
    has_digit = any(any(char.isdigit() for char in segment) for segment in segments)
    if has_digit:
        if segments[0] in common.KEBAB_ALLOWED_FIRST:
            return False
        # "Windows-11" style product names: one capitalised word and a version number.
        if len(segments) == 2 and token[0].isupper() and segments[1].isdigit():
            return False
        return True
    if token[0].isupper() or segments[0] in common.KEBAB_ALLOWED_FIRST:
        return False
    if len(segments) >= 3 and not common.INFRA_SEGMENTS.isdisjoint(segments[1:-1]):
        return True  # "ingest-queue-jp", "orders-db-replica"
    return bool(common.INFRA_SUFFIX.search(folded) or common.INFRA_PREFIX.search(folded))
