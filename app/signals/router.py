"""HTTP routes for customer reports and impact signals (thin: parse, call the service, render)."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request

from app.auth import CurrentPrincipal
from app.chat.jobs import announce_signals
from app.db import SessionDep
from app.dependencies import SettingsDep
from app.signals import service
from app.signals.dependencies import EmbedderDep, WriteSessionDep
from app.signals.schemas import ReportBatch, ReportPage, ReportRead, ReportsAdded, SignalList

router = APIRouter(prefix="/v1/incidents", tags=["signals"])

Limit = Annotated[int, Query(ge=1, le=500, description="Page size (at most 500).")]
Cursor = Annotated[str | None, Query(max_length=500, description="next_cursor of the last page.")]


@router.post("/{incident_id}/reports", status_code=201)
def add_reports(
    incident_id: int,
    body: ReportBatch,
    session: SessionDep,
    user: CurrentPrincipal,
    embedder: EmbedderDep,
    request: Request,
    background: BackgroundTasks,
) -> ReportsAdded:
    """Add 1 to 1,000 customer reports atomically; a repeated external_id is skipped."""
    reports, duplicates, after_resolution = service.add_reports(
        session, user, incident_id, body.reports, embedder=embedder
    )
    # After the commit: signals that crossed the chat threshold are posted for the IC.
    background.add_task(
        announce_signals, request.app.state.session_factory, request.app.state.settings, incident_id
    )
    return ReportsAdded(
        created=len(reports) - duplicates,
        duplicates=duplicates,
        after_resolution=after_resolution,
        reports=[ReportRead.model_validate(report) for report in reports],
    )


@router.get("/{incident_id}/reports")
async def list_reports(
    incident_id: int,
    session: SessionDep,
    user: CurrentPrincipal,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> ReportPage:
    """Customer reports in time order, with cursor pagination."""
    rows, next_cursor = service.list_reports(session, incident_id, limit=limit, cursor=cursor)
    return ReportPage(
        reports=[ReportRead.model_validate(row) for row in rows], next_cursor=next_cursor
    )


# A plain def, unlike other GETs: it records the caller's "last seen" marker and may embed
# the approved message's sentences, neither of which belongs on the event loop.
@router.get("/{incident_id}/signals")
def list_signals(
    incident_id: int,
    session: WriteSessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
    embedder: EmbedderDep,
) -> SignalList:
    """Impact signals, largest first; `new` marks those new since your last look."""
    signals, cursor = service.signals_for(
        session,
        user,
        incident_id,
        min_reports=settings.signal_min_reports,
        embedder=embedder,
    )
    service.mark_seen(session, user, incident_id, cursor)
    return SignalList(signals=signals)
