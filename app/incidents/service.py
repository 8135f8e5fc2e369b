"""Incident and transcript business logic. Never commits, never raises HTTP errors."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.service import record
from app.auth import CurrentUser, Principal, require_incident_commander, require_writer
from app.config import Settings
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from app.idempotency import stored_by_external_id
from app.incidents.models import Incident, TranscriptMessage
from app.incidents.schemas import (
    MAX_TRANSCRIPT_BATCH,
    IncidentCreate,
    IncidentRead,
    IncidentUpdate,
    StatusChange,
    TranscriptMessageIn,
)
from app.pagination import decode_cursor, encode_cursor, time_ordered_page

RESOLVED = "resolved"


def get_incident(session: Session, incident_id: int, *, for_update: bool = False) -> Incident:
    """The incident, or NotFound."""
    query = select(Incident).where(Incident.id == incident_id)
    if for_update:
        query = query.with_for_update()
    incident = session.scalar(query)
    if incident is None:
        raise NotFound(f"incident {incident_id} does not exist")
    return incident


def next_update_due(incident: Incident, settings: Settings) -> datetime | None:
    """When customers should next hear from us; None once resolved."""
    if incident.status == RESOLVED:
        return None
    minutes = settings.update_interval_minutes.get(incident.severity, 30)
    base = incident.last_customer_update_at or incident.created_at
    return base + timedelta(minutes=minutes)


def to_read(incident: Incident, settings: Settings, now: datetime | None = None) -> IncidentRead:
    """The API view of an incident, with the update reminder computed."""
    due = next_update_due(incident, settings)
    now = now or utcnow()
    return IncidentRead.model_validate(
        {
            **{c: getattr(incident, c) for c in IncidentRead.model_fields if hasattr(incident, c)},
            "next_update_due": due,
            "update_overdue": due is not None and now > due,
        }
    )


def _check_ic_exists(session: Session, name: str) -> None:
    role = session.scalar(select(Principal.role).where(Principal.name == name))
    if role not in ("ic", "admin"):
        raise InvalidInput(
            f"unknown IC {name!r}: the IC must be a principal with role 'ic' or 'admin' "
            f"(create one with: liaison token create --name {name} --role ic)"
        )


def _check_channel_free(session: Session, channel: str, incident_id: int | None) -> None:
    owner = session.scalar(select(Incident.id).where(Incident.chat_channel == channel))
    if owner is not None and owner != incident_id:
        raise Conflict(f"chat channel {channel!r} is already linked to incident {owner}")


def create_incident(session: Session, user: CurrentUser, body: IncidentCreate) -> Incident:
    """Open a new incident in status investigating."""
    require_writer(user)
    if body.ic is not None:
        _check_ic_exists(session, body.ic)
    if body.chat_channel is not None:
        _check_channel_free(session, body.chat_channel, None)
    now = utcnow()
    incident = Incident(
        title=body.title,
        severity=body.severity,
        components=list(dict.fromkeys(body.components)),
        locale=body.locale,
        ic=body.ic,
        chat_channel=body.chat_channel,
        status="investigating",
        created_by=user.name,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    session.add(incident)
    session.flush()
    record(
        session,
        actor=user.name,
        action="incident.created",
        subject_type="incident",
        subject_id=incident.id,
        incident_id=incident.id,
        data=body.model_dump(mode="json"),
    )
    return incident


def list_incidents(
    session: Session, *, status: str | None, limit: int, cursor: str | None
) -> tuple[Sequence[Incident], str | None]:
    """Incidents, newest first, optionally of one status."""
    query = select(Incident).order_by(Incident.id.desc()).limit(limit + 1)
    if status is not None:
        query = query.where(Incident.status == status)
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, 1)
        if not isinstance(last_id, int):
            raise InvalidInput("invalid cursor: pass back next_cursor exactly as received")
        query = query.where(Incident.id < last_id)
    rows = session.scalars(query).all()
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor


def update_incident(
    session: Session, user: CurrentUser, incident_id: int, body: IncidentUpdate
) -> Incident:
    """Change title, severity, components, locale, IC or chat channel."""
    require_writer(user)
    incident = get_incident(session, incident_id)
    if body.version is not None and body.version != incident.version:
        raise Conflict(
            f"incident {incident_id} is at version {incident.version}, not {body.version}: "
            "reload it and apply your change again"
        )
    changes = body.model_dump(exclude_unset=True, exclude={"version"}, mode="json")
    if "ic" in changes:
        # Handing over command is the commander's call (or an admin's).
        require_incident_commander(user, incident.ic)
        if changes["ic"] is not None:
            _check_ic_exists(session, changes["ic"])
    for field in ("title", "severity", "locale"):
        if field in changes and changes[field] is None:
            raise InvalidInput(f"{field} cannot be null")
    if changes.get("chat_channel") is not None:
        _check_channel_free(session, changes["chat_channel"], incident.id)
    if "components" in changes and changes["components"] is None:
        changes["components"] = []
    before = {field: getattr(incident, field) for field in changes}
    for field, value in changes.items():
        setattr(incident, field, list(dict.fromkeys(value)) if field == "components" else value)
    incident.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("the incident changed during this update: retry") from exc
    record(
        session,
        actor=user.name,
        action="incident.updated",
        subject_type="incident",
        subject_id=incident.id,
        incident_id=incident.id,
        data={"before": before, "after": changes},
    )
    return incident


def change_status(
    session: Session, user: CurrentUser, incident_id: int, body: StatusChange
) -> Incident:
    """Move the incident to a new status, appending a status-change message and an audit event."""
    incident = get_incident(session, incident_id, for_update=True)
    require_incident_commander(user, incident.ic)
    previous = incident.status
    if body.status == previous:
        return incident
    if previous == RESOLVED and not body.reopen:
        raise Conflict(
            f"incident {incident_id} is resolved; send reopen: true to move it to {body.status}"
        )
    now = utcnow()
    incident.status = body.status
    incident.status_changed_at = now
    incident.updated_at = now
    incident.resolved_at = now if body.status == RESOLVED else None
    message = TranscriptMessage(
        incident_id=incident.id,
        at=now,
        author=user.name,
        text=body.note or f"Status changed from {previous} to {body.status}",
        kind="status-change",
        status=body.status,
        created_by=user.name,
    )
    session.add(message)
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("the incident changed during this status change: retry") from exc
    record(
        session,
        actor=user.name,
        action="incident.status_changed",
        subject_type="incident",
        subject_id=incident.id,
        incident_id=incident.id,
        data={"from": previous, "to": body.status, "reopen": body.reopen, "message_id": message.id},
    )
    return incident


def append_transcript(
    session: Session,
    user: CurrentUser,
    incident_id: int,
    messages: Sequence[TranscriptMessageIn],
) -> tuple[list[TranscriptMessage], int]:
    """Append a batch atomically; messages whose external_id is already stored are skipped."""
    require_writer(user)
    if len(messages) > MAX_TRANSCRIPT_BATCH:
        raise PayloadTooLarge(
            f"a batch holds at most {MAX_TRANSCRIPT_BATCH} messages, got {len(messages)}: "
            "split it into several calls"
        )
    incident = get_incident(session, incident_id)
    existing = stored_by_external_id(
        session, TranscriptMessage, incident.id, (m.external_id for m in messages)
    )
    result: list[TranscriptMessage] = []
    created: list[TranscriptMessage] = []
    for item in messages:
        if item.external_id is not None and item.external_id in existing:
            result.append(existing[item.external_id])
            continue
        message = TranscriptMessage(
            incident_id=incident.id,
            at=item.at,
            author=item.author,
            text=item.text,
            kind=item.kind,
            status=item.status,
            external_id=item.external_id,
            created_by=user.name,
        )
        if item.external_id is not None:
            existing[item.external_id] = message
        created.append(message)
        result.append(message)
    session.add_all(created)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "another request appended messages with the same external_id at the same time: "
            "retry this batch (retries are idempotent)"
        ) from exc
    if created:
        record(
            session,
            actor=user.name,
            action="transcript.appended",
            subject_type="incident",
            subject_id=incident.id,
            incident_id=incident.id,
            data={"count": len(created), "first_id": created[0].id, "last_id": created[-1].id},
        )
    return result, len(messages) - len(created)


def list_transcript(
    session: Session,
    incident_id: int,
    *,
    since: datetime | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[TranscriptMessage], str | None]:
    """Messages in time order (ties by arrival), from `since` on, a page at a time."""
    get_incident(session, incident_id)
    query = select(TranscriptMessage).where(TranscriptMessage.incident_id == incident_id)
    if since is not None:
        query = query.where(TranscriptMessage.at >= since)
    return time_ordered_page(
        session,
        query,
        at_column=TranscriptMessage.at,
        id_column=TranscriptMessage.id,
        limit=limit,
        cursor=cursor,
    )
