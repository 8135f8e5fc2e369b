"""HTTP routes for incidents and transcripts (thin: parse, call the service, render)."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.dependencies import SettingsDep
from app.incidents import service
from app.incidents.schemas import (
    IncidentCreate,
    IncidentPage,
    IncidentRead,
    IncidentUpdate,
    Status,
    StatusChange,
    TranscriptAppended,
    TranscriptBatch,
    TranscriptMessageRead,
    TranscriptPage,
)

router = APIRouter(prefix="/v1/incidents", tags=["incidents"])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (at most 500).")]
Cursor = Annotated[str | None, Query(max_length=500, description="next_cursor of the last page.")]


@router.post("", status_code=201)
def create_incident(
    body: IncidentCreate, session: SessionDep, user: CurrentPrincipal, settings: SettingsDep
) -> IncidentRead:
    """Open an incident (status investigating)."""
    return service.to_read(service.create_incident(session, user, body), settings)


@router.get("")
async def list_incidents(
    session: SessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
    status: Status | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> IncidentPage:
    """List incidents, newest first, optionally filtered by status."""
    rows, next_cursor = service.list_incidents(session, status=status, limit=limit, cursor=cursor)
    return IncidentPage(
        incidents=[service.to_read(row, settings) for row in rows], next_cursor=next_cursor
    )


@router.get("/{incident_id}")
async def get_incident(
    incident_id: int, session: SessionDep, user: CurrentPrincipal, settings: SettingsDep
) -> IncidentRead:
    """One incident, with next_update_due and update_overdue."""
    return service.to_read(service.get_incident(session, incident_id), settings)


@router.patch("/{incident_id}")
def update_incident(
    incident_id: int,
    body: IncidentUpdate,
    session: SessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
) -> IncidentRead:
    """Change title, severity, components, locale, IC or chat channel (IC changes: IC or admin)."""
    return service.to_read(service.update_incident(session, user, incident_id, body), settings)


@router.post("/{incident_id}/status")
def change_status(
    incident_id: int,
    body: StatusChange,
    session: SessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
) -> IncidentRead:
    """Change the status (IC or admin only); leaving 'resolved' needs reopen: true."""
    return service.to_read(service.change_status(session, user, incident_id, body), settings)


@router.post("/{incident_id}/transcript", status_code=201)
def append_transcript(
    incident_id: int, body: TranscriptBatch, session: SessionDep, user: CurrentPrincipal
) -> TranscriptAppended:
    """Append messages atomically; a repeated external_id is skipped, so retries are safe."""
    messages, duplicates = service.append_transcript(session, user, incident_id, body.messages)
    return TranscriptAppended(
        created=len(messages) - duplicates,
        duplicates=duplicates,
        messages=[TranscriptMessageRead.model_validate(m) for m in messages],
    )


@router.get("/{incident_id}/transcript")
async def list_transcript(
    incident_id: int,
    session: SessionDep,
    user: CurrentPrincipal,
    since: AwareDatetime | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> TranscriptPage:
    """Transcript messages in time order, from `since` on, with cursor pagination."""
    rows, next_cursor = service.list_transcript(
        session, incident_id, since=since, limit=limit, cursor=cursor
    )
    return TranscriptPage(
        messages=[TranscriptMessageRead.model_validate(m) for m in rows], next_cursor=next_cursor
    )
