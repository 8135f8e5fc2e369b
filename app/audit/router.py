"""HTTP route for an incident's audit log."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.audit.schemas import AuditPage
from app.audit.service import list_for_incident
from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.incidents.service import get_incident

router = APIRouter(prefix="/v1/incidents", tags=["audit"])


@router.get("/{incident_id}/audit")
async def incident_audit(
    incident_id: int,
    session: SessionDep,
    user: CurrentPrincipal,
    after: Annotated[int, Query(ge=0, description="Return events with id greater than this.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """The incident's append-only audit events, oldest first."""
    get_incident(session, incident_id)
    events = list_for_incident(session, incident_id, after_id=after, limit=limit)
    return AuditPage.model_validate({"events": events})
