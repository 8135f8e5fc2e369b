"""Draft state machine: approve, edit, reject, supersede. Never commits, never raises HTTP errors.

pending_approval -> approved -> published (by the publishing worker)
pending_approval -> rejected
pending_approval -> pending_approval (edit: a new revision, guards re-run)
pending_approval | approved (unpublished) -> superseded (a newer draft of the channel approved)
"""

import difflib
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.approvals.schemas import (
    ApproveBody,
    DiffAgainst,
    DraftDiff,
    DraftRead,
    EditBody,
    RejectBody,
)
from app.audit.service import record
from app.auth import CurrentUser, require_incident_commander, require_writer
from app.db import utcnow
from app.drafting.guard_context import guard_context_for
from app.drafting.models import Draft, DraftRevision
from app.errors import BlockedByGuards, Conflict, InvalidInput, NotFound, StaleDraft
from app.incidents.models import Incident, TranscriptMessage
from app.incidents.service import get_incident
from app.publishing.schemas import PublicationRead
from app.publishing.service import cancel_pending, enqueue_publications, publications_of
from app.publishing.sinks import sinks_for_channel
from app.signals.service import new_signals_since
from guards import BLOCKING_CATEGORIES, InvalidGuardInput, check_message

PENDING = "pending_approval"
APPROVED = "approved"
PUBLISHED = "published"
REJECTED = "rejected"
SUPERSEDED = "superseded"


def sha256_text(text: str) -> str:
    """The hex SHA-256 of a message text (what the audit log pins down)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_draft(session: Session, draft_id: int, *, for_update: bool = False) -> Draft:
    """The draft, or NotFound; `for_update` locks its row (PostgreSQL) for a transition."""
    query = select(Draft).where(Draft.id == draft_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    draft = session.scalar(query)
    if draft is None:
        raise NotFound(f"draft {draft_id} does not exist")
    return draft


def to_read(session: Session, draft: Draft) -> DraftRead:
    """The API view of a draft, with its publications."""
    jobs = publications_of(session, [draft.id])[draft.id]
    read = DraftRead.model_validate(draft)
    read.publications = [PublicationRead.model_validate(job) for job in jobs]
    return read


def staleness(session: Session, draft: Draft) -> dict[str, Any]:
    """What changed in the incident since the draft was written; {} when it is current.

    Keys: `status_changed` ({from, to}), `new_messages` (transcript messages after the
    draft's cursor; the approval flow writes none, so every later message counts) and
    `new_signals` (impact signals that appeared since the reports the draft saw).
    """
    incident = get_incident(session, draft.incident_id)
    changes: dict[str, Any] = {}
    if incident.status != draft.incident_status:
        changes["status_changed"] = {"from": draft.incident_status, "to": incident.status}
    new_messages = session.scalar(
        select(func.count())
        .select_from(TranscriptMessage)
        .where(
            TranscriptMessage.incident_id == draft.incident_id,
            TranscriptMessage.id > draft.transcript_cursor,
        )
    )
    if new_messages:
        changes["new_messages"] = int(new_messages)
    fresh = new_signals_since(session, draft.incident_id, draft.reports_cursor)
    if fresh:
        changes["new_signals"] = [
            {"id": signal.id, "label": signal.label, "count": signal.count} for signal in fresh
        ]
    return changes


def blocking_violations(draft: Draft) -> list[dict[str, Any]]:
    """The current revision's violations whose category blocks approval."""
    violations = draft.guard_report.get("violations", []) if draft.guard_report else []
    return [
        {key: violation.get(key) for key in ("category", "text", "message", "span", "fix")}
        for violation in violations
        if isinstance(violation, dict) and violation.get("category") in BLOCKING_CATEGORIES
    ]


def _require_state(draft: Draft, expected: str, action: str) -> None:
    if draft.state != expected:
        raise Conflict(
            f"draft {draft.id} is {draft.state}; only a draft in {expected} can be {action}"
            + (": ask for a new draft" if draft.state in (REJECTED, SUPERSEDED) else "")
        )


def _flush(session: Session, draft: Draft) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            f"draft {draft.id} changed while this request ran (another approver?): reload it"
        ) from exc


def _audit_transition(
    session: Session, user: CurrentUser, draft: Draft, action: str, before: str, **data: Any
) -> None:
    record(
        session,
        actor=user.name,
        action=action,
        subject_type="draft",
        subject_id=draft.id,
        incident_id=draft.incident_id,
        data={
            "from": before,
            "to": draft.state,
            "revision": draft.revision,
            "text_sha256": sha256_text(draft.text),
            **data,
        },
    )


def approve_draft(
    session: Session,
    user: CurrentUser,
    draft_id: int,
    body: ApproveBody,
    *,
    publish_sinks: list[str],
) -> Draft:
    """Approve a pending draft (its IC or an admin) and enqueue its publications atomically."""
    draft = get_draft(session, draft_id, for_update=True)
    incident = get_incident(session, draft.incident_id)
    require_incident_commander(user, incident.ic)
    _require_state(draft, PENDING, "approved")
    changes = staleness(session, draft)
    if changes and not body.confirm_stale:
        raise StaleDraft(
            f"draft {draft.id} is stale: the incident changed since it was written; "
            "ask for a new draft, or approve with confirm_stale: true",
            detail={"message": "the incident changed since the draft was written", **changes},
        )
    blocking = blocking_violations(draft)
    if blocking and body.override_reason is None:
        raise BlockedByGuards(
            f"draft {draft.id} has blocking guard violations; edit it, or approve with "
            "an override_reason",
            detail={
                "message": "blocking guard violations; edit the draft or give override_reason",
                "categories": sorted({v["category"] for v in blocking}),
                "violations": blocking,
            },
        )
    sinks = sinks_for_channel(publish_sinks, draft.channel)
    if not sinks:
        raise Conflict(
            f"no configured sink publishes the {draft.channel} channel "
            f"(publish_sinks: {', '.join(publish_sinks) or 'none'}): add one, e.g. file"
        )
    _supersede_older(session, user, draft)
    now = utcnow()
    before = draft.state
    draft.state = APPROVED
    draft.decided_by = user.name
    draft.decided_at = now
    draft.updated_at = now
    draft.override_reason = body.override_reason if blocking else None
    _flush(session, draft)
    text_sha256 = sha256_text(draft.text)
    jobs = enqueue_publications(session, draft, sinks, text_sha256=text_sha256)
    _audit_transition(
        session,
        user,
        draft,
        "draft.approved",
        before,
        override_reason=draft.override_reason,
        overridden=sorted({v["category"] for v in blocking}),
        stale_confirmed=changes or None,
        sinks=[job.sink for job in jobs],
    )
    return draft


def _supersede_older(session: Session, user: CurrentUser, draft: Draft) -> None:
    """Older pending or unpublished approved drafts of the channel give way to this one."""
    older = session.scalars(
        select(Draft)
        .where(
            Draft.incident_id == draft.incident_id,
            Draft.channel == draft.channel,
            Draft.id < draft.id,
        )
        .order_by(Draft.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    superseded = []
    for other in older:
        if other.state in (PENDING, APPROVED):
            before = other.state
            other.state = SUPERSEDED
            other.updated_at = utcnow()
            superseded.append(other)
            _audit_transition(
                session, user, other, "draft.superseded", before, superseded_by=draft.id
            )
    _flush(session, draft)
    # Jobs still queued for older drafts (even published ones on a slow sink) are cancelled:
    # customers must never get an older message after a newer one.
    cancel_pending(session, [other.id for other in older])


def edit_draft(session: Session, user: CurrentUser, draft_id: int, body: EditBody) -> Draft:
    """Replace a pending draft's text with a human edit: a new revision, guards re-run."""
    require_writer(user)
    draft = get_draft(session, draft_id, for_update=True)
    _require_state(draft, PENDING, "edited")
    if body.text == draft.text:
        return draft
    incident = get_incident(session, draft.incident_id)
    report = _check(session, incident, draft, body.text)
    before = draft.state
    revision = DraftRevision(
        draft_id=draft.id,
        number=draft.revision + 1,
        text=body.text,
        text_sha256=sha256_text(body.text),
        guard_report=report,
        source="edit",
        author=user.name,
    )
    session.add(revision)
    draft.text = body.text
    draft.revision = revision.number
    draft.guard_report = report
    draft.updated_at = utcnow()
    _flush(session, draft)
    _audit_transition(
        session,
        user,
        draft,
        "draft.edited",
        before,
        blocking=sorted({v["category"] for v in blocking_violations(draft)}),
    )
    return draft


def _check(session: Session, incident: Incident, draft: Draft, text: str) -> dict[str, Any]:
    try:
        report = check_message(
            text,
            channel=draft.channel,
            locale=draft.locale,
            context=guard_context_for(session, incident),
        )
    except InvalidGuardInput as exc:
        raise InvalidInput(str(exc)) from exc
    return report.model_dump(mode="json")


def reject_draft(session: Session, user: CurrentUser, draft_id: int, body: RejectBody) -> Draft:
    """Reject a pending draft (its IC or an admin), with the reason."""
    draft = get_draft(session, draft_id, for_update=True)
    incident = get_incident(session, draft.incident_id)
    require_incident_commander(user, incident.ic)
    _require_state(draft, PENDING, "rejected")
    now = utcnow()
    before = draft.state
    draft.state = REJECTED
    draft.decided_by = user.name
    draft.decided_at = now
    draft.decision_reason = body.reason
    draft.updated_at = now
    _flush(session, draft)
    _audit_transition(session, user, draft, "draft.rejected", before, reason=body.reason)
    return draft


def list_revisions(session: Session, draft_id: int) -> Sequence[DraftRevision]:
    """Every revision of a draft, oldest first."""
    get_draft(session, draft_id)
    return session.scalars(
        select(DraftRevision)
        .where(DraftRevision.draft_id == draft_id)
        .order_by(DraftRevision.number)
    ).all()


def diff_draft(session: Session, draft_id: int, against: DiffAgainst) -> DraftDiff:
    """Unified diff of the current text against its previous revision or the last published."""
    draft = get_draft(session, draft_id)
    base_draft_id: int | None = None
    base_revision: int | None = None
    base_text: str | None = None
    if against == "previous":
        previous = session.scalar(
            select(DraftRevision).where(
                DraftRevision.draft_id == draft.id, DraftRevision.number == draft.revision - 1
            )
        )
        if previous is not None:
            base_draft_id, base_revision, base_text = draft.id, previous.number, previous.text
    else:
        published = session.scalar(
            select(Draft)
            .where(
                Draft.incident_id == draft.incident_id,
                Draft.channel == draft.channel,
                Draft.published_at.is_not(None),
                Draft.id != draft.id,
            )
            .order_by(Draft.published_at.desc(), Draft.id.desc())
            .limit(1)
        )
        if published is not None:
            base_draft_id, base_revision, base_text = (
                published.id,
                published.revision,
                published.text,
            )
    base_label = (
        f"draft {base_draft_id} revision {base_revision}" if base_text is not None else "(nothing)"
    )
    lines = difflib.unified_diff(
        (base_text or "").splitlines(),
        draft.text.splitlines(),
        fromfile=base_label,
        tofile=f"draft {draft.id} revision {draft.revision}",
        lineterm="",
    )
    return DraftDiff(
        against=against,
        base_draft_id=base_draft_id,
        base_revision=base_revision,
        base_text=base_text,
        text=draft.text,
        diff="\n".join(lines),
    )
