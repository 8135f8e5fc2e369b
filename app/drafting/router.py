"""HTTP routes for drafts (thin: parse, call the service, render)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.approvals.service import to_read
from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.dependencies import SettingsDep
from app.drafting import service
from app.drafting.pipeline import DraftingPipeline
from app.drafting.schemas import (
    Channel,
    DraftCreate,
    DraftDetail,
    DraftPage,
    DraftRead,
    RevisionRead,
)

router = APIRouter(prefix="/v1", tags=["drafts"])


async def get_pipeline(request: Request) -> DraftingPipeline:
    """The drafting pipeline built in the lifespan."""
    pipeline: DraftingPipeline = request.app.state.drafting
    return pipeline


PipelineDep = Annotated[DraftingPipeline, Depends(get_pipeline)]


@router.post("/incidents/{incident_id}/drafts", status_code=201)
def create_draft(
    incident_id: int,
    body: DraftCreate,
    session: SessionDep,
    user: CurrentPrincipal,
    settings: SettingsDep,
    pipeline: PipelineDep,
) -> DraftRead:
    """Write a guarded draft for a channel; it waits in pending_approval for the IC."""
    draft = service.create_draft(
        session, user, incident_id, body, pipeline=pipeline, settings=settings
    )
    return DraftRead.model_validate(draft)


@router.get("/incidents/{incident_id}/drafts")
async def list_drafts(
    incident_id: int,
    session: SessionDep,
    user: CurrentPrincipal,
    channel: Channel | None = None,
    state: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DraftPage:
    """An incident's drafts, newest first."""
    drafts = service.list_drafts(session, incident_id, channel=channel, state=state, limit=limit)
    return DraftPage(drafts=[DraftRead.model_validate(draft) for draft in drafts])


@router.get("/drafts/{draft_id}")
async def get_draft(draft_id: int, session: SessionDep, user: CurrentPrincipal) -> DraftDetail:
    """A draft with its revisions and publications."""
    draft = service.get_draft(session, draft_id)
    detail = DraftDetail.model_validate(to_read(session, draft), from_attributes=True)
    detail.revisions = [
        RevisionRead.model_validate(revision)
        for revision in service.list_revisions(session, draft_id)
    ]
    return detail
