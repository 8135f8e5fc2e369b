"""HTTP routes for the team-wide and per-incident service catalog."""

from fastapi import APIRouter

from app.auth import CurrentPrincipal
from app.catalog import service
from app.catalog.schemas import CatalogBody, CatalogRead
from app.db import SessionDep

router = APIRouter(prefix="/v1", tags=["catalog"])


@router.get("/catalog")
async def get_team_catalog(session: SessionDep, user: CurrentPrincipal) -> CatalogRead:
    """The team-wide catalog."""
    return service.read_catalog(session, None)


@router.put("/catalog")
def put_team_catalog(body: CatalogBody, session: SessionDep, user: CurrentPrincipal) -> CatalogRead:
    """Replace the team-wide catalog."""
    return service.replace_catalog(session, user, None, body)


@router.get("/incidents/{incident_id}/catalog")
async def get_incident_catalog(
    incident_id: int, session: SessionDep, user: CurrentPrincipal, effective: bool = False
) -> CatalogRead:
    """The incident's own catalog, or with effective=true merged with the team-wide one."""
    if effective:
        return service.effective_catalog(session, incident_id)
    return service.read_catalog(session, incident_id)


@router.put("/incidents/{incident_id}/catalog")
def put_incident_catalog(
    incident_id: int, body: CatalogBody, session: SessionDep, user: CurrentPrincipal
) -> CatalogRead:
    """Replace the incident's own catalog."""
    return service.replace_catalog(session, user, incident_id, body)
