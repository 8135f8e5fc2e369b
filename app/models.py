"""Every ORM model, imported so Base.metadata knows all tables (Alembic, tests)."""

from app.audit.models import AuditEvent
from app.auth import ApiToken, Principal
from app.catalog.models import Catalog
from app.drafting.models import Draft, DraftRevision
from app.incidents.models import Incident, TranscriptMessage
from app.publishing.models import Publication

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Catalog",
    "Draft",
    "DraftRevision",
    "Incident",
    "Principal",
    "Publication",
    "TranscriptMessage",
]
