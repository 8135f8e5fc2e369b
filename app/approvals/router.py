"""HTTP routes for approving, editing and rejecting drafts (thin: parse, call the service)."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request

from app.approvals import service
from app.approvals.schemas import (
    ApproveBody,
    DiffAgainst,
    DraftDiff,
    DraftRead,
    DraftRevisionList,
    DraftRevisionRead,
    EditBody,
    RejectBody,
)
from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.dependencies import SettingsDep
from app.publishing.runner import wake_worker

router = APIRouter(prefix="/v1/drafts", tags=["approvals"])


@router.post("/{draft_id}/approve")
def approve_draft(
    draft_id: int,
    body: ApproveBody,
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
) -> DraftRead:
    """Approve a pending draft (IC or admin only) and queue it for publishing."""
    draft = service.approve_draft(
        session, user, draft_id, body, publish_sinks=settings.publish_sinks
    )
    # Runs after the commit, so an in-process worker finds the new jobs at once.
    background.add_task(wake_worker, request.app)
    return service.to_read(session, draft)


@router.post("/{draft_id}/edit")
def edit_draft(
    draft_id: int, body: EditBody, session: SessionDep, user: CurrentPrincipal
) -> DraftRead:
    """Replace the text of a pending draft: a new revision, guards re-run."""
    return service.to_read(session, service.edit_draft(session, user, draft_id, body))


@router.post("/{draft_id}/reject")
def reject_draft(
    draft_id: int, body: RejectBody, session: SessionDep, user: CurrentPrincipal
) -> DraftRead:
    """Reject a pending draft with a reason (IC or admin only)."""
    return service.to_read(session, service.reject_draft(session, user, draft_id, body))


@router.get("/{draft_id}/revisions")
async def list_revisions(
    draft_id: int, session: SessionDep, user: CurrentPrincipal
) -> DraftRevisionList:
    """Every revision of the draft, oldest first, each with its guard report."""
    rows = service.list_revisions(session, draft_id)
    return DraftRevisionList(revisions=[DraftRevisionRead.model_validate(row) for row in rows])


@router.get("/{draft_id}/diff")
async def diff_draft(
    draft_id: int,
    session: SessionDep,
    user: CurrentPrincipal,
    against: Annotated[
        DiffAgainst,
        Query(description="previous revision, or the channel's last published message"),
    ] = "previous",
) -> DraftDiff:
    """Unified diff of the draft against its previous revision or the last published message."""
    return service.diff_draft(session, draft_id, against)
