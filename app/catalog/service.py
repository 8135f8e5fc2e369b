"""Reading, replacing and merging catalogs."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth import CurrentUser, require_writer
from app.catalog.models import Catalog
from app.catalog.schemas import CatalogBody, CatalogComponent, CatalogRead
from app.db import utcnow
from app.incidents.service import get_incident

GLOBAL_SCOPE = "global"


def _scope(incident_id: int | None) -> str:
    return GLOBAL_SCOPE if incident_id is None else f"incident:{incident_id}"


def read_catalog(session: Session, incident_id: int | None) -> CatalogRead:
    """The catalog of one scope (empty when none was stored)."""
    if incident_id is not None:
        get_incident(session, incident_id)
    scope = _scope(incident_id)
    row = session.scalar(select(Catalog).where(Catalog.scope == scope))
    if row is None:
        return CatalogRead(scope=scope, components=[], people=[])
    return CatalogRead(
        scope=scope,
        components=[CatalogComponent.model_validate(c) for c in row.components],
        people=list(row.people),
    )


def replace_catalog(
    session: Session, user: CurrentUser, incident_id: int | None, body: CatalogBody
) -> CatalogRead:
    """Replace the catalog of one scope as a whole."""
    require_writer(user)
    if incident_id is not None:
        get_incident(session, incident_id)
    scope = _scope(incident_id)
    row = session.scalar(select(Catalog).where(Catalog.scope == scope))
    if row is None:
        row = Catalog(scope=scope, incident_id=incident_id, updated_by=user.name)
        session.add(row)
    row.components = [c.model_dump() for c in body.components]
    row.people = list(dict.fromkeys(body.people))
    row.updated_by = user.name
    row.updated_at = utcnow()
    session.flush()
    record(
        session,
        actor=user.name,
        action="catalog.replaced",
        subject_type="catalog",
        subject_id=scope,
        incident_id=incident_id,
        data={"components": len(body.components), "people": len(row.people)},
    )
    return read_catalog(session, incident_id)


def effective_catalog(session: Session, incident_id: int) -> CatalogRead:
    """Global catalog merged with the incident's own; incident entries extend global ones."""
    team = read_catalog(session, None)
    own = read_catalog(session, incident_id)
    merged: dict[str, CatalogComponent] = {}
    for entry in [*team.components, *own.components]:
        key = entry.component.casefold()
        if key in merged:
            internal = list(dict.fromkeys([*merged[key].internal, *entry.internal]))
            merged[key] = CatalogComponent(component=merged[key].component, internal=internal)
        else:
            merged[key] = entry
    return CatalogRead(
        scope=f"effective:{incident_id}",
        components=list(merged.values()),
        people=list(dict.fromkeys([*team.people, *own.people])),
    )
