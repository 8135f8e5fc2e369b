"""Audit API bodies."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    incident_id: int | None
    subject_type: str
    subject_id: str | None
    data: dict[str, Any]


class AuditPage(BaseModel):
    events: list[AuditEventRead]
