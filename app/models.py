"""Every ORM model, imported so Base.metadata knows all tables (Alembic, tests)."""

from app.audit.models import AuditEvent
from app.auth import ApiToken, Principal
from app.catalog.models import Catalog
from app.chat.models import ChatDraftMessage, ChatEvent, ChatSignalNotice
from app.drafting.models import Draft, DraftRevision
from app.incidents.models import Incident, TranscriptMessage
from app.publishing.models import Publication
from app.signals.models import CustomerReport, SignalGroup, SignalView

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Catalog",
    "ChatDraftMessage",
    "ChatEvent",
    "ChatSignalNotice",
    "CustomerReport",
    "Draft",
    "DraftRevision",
    "Incident",
    "Principal",
    "Publication",
    "SignalGroup",
    "SignalView",
    "TranscriptMessage",
]
