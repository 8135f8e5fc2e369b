"""Drafting business logic: condense, build the fact sheet, generate, store. Never commits."""

import hashlib
import re
import time
from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth import CurrentUser, require_writer
from app.config import Settings
from app.drafting.condense import Message, acceptable_shape, condense, is_injection, is_japanese
from app.drafting.facts import Fact, FactSheet, build_fact_sheet
from app.drafting.guard_context import guard_context_for
from app.drafting.models import Draft, DraftRevision
from app.drafting.pipeline import DraftingPipeline, PipelineResult
from app.drafting.schemas import DraftCreate
from app.errors import NotFound
from app.incidents.models import Incident, TranscriptMessage
from app.incidents.service import get_incident
from app.signals.models import CustomerReport
from app.signals.service import reports_cursor, top_signals
from guards import GuardContext, GuardSet, build_guard_set

# Transcript lines shown to hosted models as context (the fact sheet carries the facts).
TRANSCRIPT_EXCERPT_MESSAGES = 60
MAX_JUDGED_CLAUSES = 20_000
MAX_SIGNALS_CONSIDERED = 5
MAX_REPORTS_PER_FACT = 50
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


def text_sha256(text: str) -> str:
    """The hash recorded for every revision and audit event."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _window(session: Session, incident_id: int, size: int) -> list[Message]:
    """The most recent messages in time order, as plain values (no ORM objects to build)."""
    rows = session.execute(
        select(
            TranscriptMessage.id,
            TranscriptMessage.at,
            TranscriptMessage.author,
            TranscriptMessage.text,
            TranscriptMessage.kind,
        )
        .where(TranscriptMessage.incident_id == incident_id)
        .order_by(TranscriptMessage.id.desc())
        .limit(size)
    ).all()
    messages = [Message(row.id, row.author, row.text, row.kind, row.at) for row in rows]
    return sorted(messages, key=lambda message: (message.at, message.id))


def _signal_facts(
    session: Session, incident_id: int, is_blocked: "BlockedChecker"
) -> tuple[list[Fact], int]:
    """Top impact signals as facts in the customers' words (guard-clean only), and the cursor."""
    facts: list[Fact] = []
    for signal in top_signals(session, incident_id, limit=MAX_SIGNALS_CONSIDERED):
        label = signal.label.strip().rstrip(".。…")
        # Customers' own words go out only when they are short, plain and guard-clean.
        if (
            not label
            or len(label) > 100
            or "…" in label
            or not acceptable_shape(label, is_japanese(label))
            or is_injection(label)
            or is_blocked(label)
        ):
            continue
        report_ids = session.scalars(
            select(CustomerReport.id)
            .where(CustomerReport.group_id == signal.id)
            .order_by(CustomerReport.id)
            .limit(MAX_REPORTS_PER_FACT)
        ).all()
        facts.append(Fact(text=label, reports=list(report_ids)))
    return facts, reports_cursor(session, incident_id)


def _provenance(text: str, sheet: FactSheet) -> list[dict[str, object]]:
    facts = [*sheet.impacts, *sheet.not_affected, *sheet.workarounds, *sheet.advice]
    provenance: list[dict[str, object]] = []
    for sentence in (part.strip() for part in _SENTENCE_END.split(text)):
        if not sentence:
            continue
        folded = sentence.casefold()
        messages: set[int] = set()
        reports: set[int] = set()
        for fact in [*facts, *sheet.signals]:
            if fact.text.casefold() in folded:
                messages.update(fact.sources)
                reports.update(fact.reports)
        provenance.append(
            {"sentence": sentence, "messages": sorted(messages), "reports": sorted(reports)}
        )
    return provenance


class BlockedChecker:
    """Whether a clause trips a blocking guard (callable, cached per text)."""

    def __init__(self, guard_set: GuardSet) -> None:
        self._guard_set = guard_set
        self._cache: dict[str, bool] = {}

    def __call__(self, text: str) -> bool:
        verdict = self._cache.get(text)
        if verdict is None:
            if len(self._cache) >= MAX_JUDGED_CLAUSES:
                self._cache.clear()
            verdict = self._cache[text] = self._guard_set.check(text).blocking
        return verdict


@lru_cache(maxsize=64)
def _checker_for(guard_set: GuardSet) -> BlockedChecker:
    return BlockedChecker(guard_set)


def _blocked_checker(locale: str, context: GuardContext) -> BlockedChecker:
    # Clauses are judged without grounding: "ungrounded" is a warning about whole messages.
    # The checker (and what it has judged) lives as long as the cached guard set.
    lean = context.model_copy(update={"grounding": ()})
    return _checker_for(build_guard_set("chat", locale, lean))


def create_draft(
    session: Session,
    user: CurrentUser,
    incident_id: int,
    body: DraftCreate,
    *,
    pipeline: DraftingPipeline,
    settings: Settings,
) -> Draft:
    """Write a guarded draft for one channel, held in pending_approval."""
    require_writer(user)
    started = time.perf_counter()
    incident = get_incident(session, incident_id)
    locale = body.locale or incident.locale
    model = body.model or settings.model
    messages = _window(session, incident.id, settings.transcript_window)
    transcript_cursor = session.scalar(
        select(func.max(TranscriptMessage.id)).where(TranscriptMessage.incident_id == incident.id)
    )
    context = guard_context_for(
        session,
        incident,
        texts=[m.text for m in messages],
    )
    is_blocked = _blocked_checker(locale, context)
    condensed = condense(
        messages,
        catalog=context.catalog,
        locale=locale,
        is_blocked=is_blocked,
    )
    signals, reports_seen = _signal_facts(session, incident.id, is_blocked)
    sheet = build_fact_sheet(
        incident_id=incident.id,
        title=incident.title,
        locale=locale,
        channel=body.channel,
        status=incident.status,
        severity=incident.severity,
        components=incident.components,
        condensed=condensed,
        signals=signals,
        next_update_minutes=settings.update_interval_minutes.get(incident.severity, 30),
        transcript_cursor=transcript_cursor or 0,
        reports_cursor=reports_seen,
        is_blocked=is_blocked,
    )
    condense_ms = (time.perf_counter() - started) * 1000
    guard_set = build_guard_set(body.channel, locale, context)
    if not messages:
        result = pipeline.default_message(sheet, guard_set, "the transcript is empty")
    else:
        excerpt = "\n".join(
            f"[{m.at.isoformat() if m.at else ''}] {m.text}"
            for m in messages[-TRANSCRIPT_EXCERPT_MESSAGES:]
        )
        result = pipeline.generate(
            sheet=sheet,
            model=model,
            guard_set=guard_set,
            transcript=excerpt,
            instructions=body.instructions,
        )
    prompt_version = (
        pipeline.prompts.prompt_version(model, locale) if result.attempts else "defaults"
    )
    return _store(
        session,
        user,
        incident,
        body,
        sheet,
        result,
        model,
        locale,
        prompt_version,
        condense_ms,
        started,
    )


def _store(
    session: Session,
    user: CurrentUser,
    incident: Incident,
    body: DraftCreate,
    sheet: FactSheet,
    result: PipelineResult,
    model: str,
    locale: str,
    prompt_version: str,
    condense_ms: float,
    started: float,
) -> Draft:
    stored_started = time.perf_counter()
    guard_report = result.guard_report.model_dump(mode="json")
    draft = Draft(
        incident_id=incident.id,
        channel=body.channel,
        locale=locale,
        state="pending_approval",
        text=result.text,
        revision=1,
        guard_report=guard_report,
        incident_status=incident.status,
        transcript_cursor=sheet.transcript_cursor,
        reports_cursor=sheet.reports_cursor,
        model=model,
        prompt_version=prompt_version,
        instructions=body.instructions,
        fact_sheet=sheet.model_dump(mode="json"),
        provenance=_provenance(result.text, sheet),
        attempts=[attempt.as_dict() for attempt in result.attempts],
        fallback_used=result.fallback_used,
        engine_error=result.engine_error,
        created_by=user.name,
    )
    session.add(draft)
    session.flush()
    session.add(
        DraftRevision(
            draft_id=draft.id,
            number=1,
            text=result.text,
            text_sha256=text_sha256(result.text),
            guard_report=guard_report,
            source=result.source,
            author=user.name if result.source == "edit" else f"engine:{model}",
        )
    )
    record(
        session,
        actor=user.name,
        action="draft.created",
        subject_type="draft",
        subject_id=draft.id,
        incident_id=incident.id,
        data={
            "channel": draft.channel,
            "locale": locale,
            "model": model,
            "fallback_used": result.fallback_used,
            "text_sha256": text_sha256(result.text),
            "blocking": result.guard_report.blocking,
        },
    )
    session.flush()
    draft.timings_ms = {
        "condense": round(condense_ms, 2),
        **{name: round(value, 2) for name, value in result.timings_ms.items()},
        "store": round((time.perf_counter() - stored_started) * 1000, 2),
        "total": round((time.perf_counter() - started) * 1000, 2),
    }
    return draft


def get_draft(session: Session, draft_id: int, *, for_update: bool = False) -> Draft:
    """The draft, or NotFound."""
    query = select(Draft).where(Draft.id == draft_id)
    if for_update:
        query = query.with_for_update()
    draft = session.scalar(query)
    if draft is None:
        raise NotFound(f"draft {draft_id} does not exist")
    return draft


def list_revisions(session: Session, draft_id: int) -> Sequence[DraftRevision]:
    """A draft's revisions, oldest first."""
    return session.scalars(
        select(DraftRevision)
        .where(DraftRevision.draft_id == draft_id)
        .order_by(DraftRevision.number)
    ).all()


def list_drafts(
    session: Session, incident_id: int, *, channel: str | None, state: str | None, limit: int
) -> Sequence[Draft]:
    """An incident's drafts, newest first."""
    get_incident(session, incident_id)
    query = (
        select(Draft).where(Draft.incident_id == incident_id).order_by(Draft.id.desc()).limit(limit)
    )
    if channel is not None:
        query = query.where(Draft.channel == channel)
    if state is not None:
        query = query.where(Draft.state == state)
    return session.scalars(query).all()
