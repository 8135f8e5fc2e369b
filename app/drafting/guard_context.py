"""What the guards need to know about one incident (catalog, people, customers, grounding)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.service import effective_catalog
from app.incidents.models import Incident, TranscriptMessage
from app.signals.service import report_customers
from guards import CatalogEntry, GuardContext

# Grounding texts are capped: the ungrounded check is a bag-of-words look-up, and the most
# recent messages are the ones a message speaks about.
MAX_GROUNDING_MESSAGES = 2_000


def guard_context_for(
    session: Session,
    incident: Incident,
    *,
    customers: tuple[str, ...] | None = None,
    extra_grounding: tuple[str, ...] = (),
    texts: Sequence[str] | None = None,
) -> GuardContext:
    """The guard context of an incident as it stands now; `texts` saves re-reading messages."""
    catalog = effective_catalog(session, incident.id)
    if customers is None:
        customers = report_customers(session, incident.id)
    authors = session.scalars(
        select(TranscriptMessage.author)
        .where(TranscriptMessage.incident_id == incident.id)
        .distinct()
    ).all()
    if texts is None:
        recent = session.scalars(
            select(TranscriptMessage.text)
            .where(TranscriptMessage.incident_id == incident.id)
            .order_by(TranscriptMessage.id.desc())
            .limit(MAX_GROUNDING_MESSAGES)
        ).all()
        texts = list(reversed(recent))
    return GuardContext(
        catalog=tuple(
            CatalogEntry(component=entry.component, internal=tuple(entry.internal))
            for entry in catalog.components
        ),
        people=tuple(dict.fromkeys([*catalog.people, *authors])),
        customers=customers,
        grounding=(incident.title, *incident.components, *texts, *extra_grounding),
        status=incident.status,
    )
