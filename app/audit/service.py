"""Writing and reading audit events."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: object = None,
    incident_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event to the current transaction."""
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        incident_id=incident_id,
        data=data or {},
    )
    session.add(event)
    return event


def list_for_incident(
    session: Session, incident_id: int, *, after_id: int = 0, limit: int = 100
) -> Sequence[AuditEvent]:
    """Audit events of one incident, oldest first."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.incident_id == incident_id, AuditEvent.id > after_id)
        .order_by(AuditEvent.id)
        .limit(limit)
    ).all()
