"""Publishing API bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class PublicationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    draft_id: int
    sink: str
    state: str
    idempotency_key: str
    revision: int
    text_sha256: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    remote_id: str | None
    created_at: datetime
    delivered_at: datetime | None


class PublicationList(BaseModel):
    publications: list[PublicationRead]
