"""HTTP routes for a draft's publications."""

from fastapi import APIRouter

from app.approvals.service import get_draft
from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.publishing.schemas import PublicationList, PublicationRead
from app.publishing.service import publications_of

router = APIRouter(prefix="/v1/drafts", tags=["publishing"])


@router.get("/{draft_id}/publications")
async def list_publications(
    draft_id: int, session: SessionDep, user: CurrentPrincipal
) -> PublicationList:
    """The draft's publication jobs, one per sink: state, attempts, last error."""
    get_draft(session, draft_id)
    jobs = publications_of(session, [draft_id])[draft_id]
    return PublicationList(publications=[PublicationRead.model_validate(job) for job in jobs])
