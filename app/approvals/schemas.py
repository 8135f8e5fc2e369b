"""Approval API bodies, and DraftRead: the one read view of a draft every domain returns."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.publishing.schemas import PublicationRead
from app.schemas import StrictModel, storable

MAX_DRAFT_CHARS = 20_000

DraftText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_DRAFT_CHARS),
    AfterValidator(storable),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000),
    AfterValidator(storable),
]


class ApproveBody(StrictModel):
    confirm_stale: bool = Field(
        default=False, description="Approve although the incident moved on since the draft."
    )
    override_reason: Reason | None = Field(
        default=None, description="Why blocking guard violations are acceptable; recorded."
    )


class EditBody(StrictModel):
    text: DraftText


class RejectBody(StrictModel):
    reason: Reason


class DraftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    channel: str
    locale: str
    state: str
    text: str
    revision: int
    guard_report: dict[str, Any]
    incident_status: str
    transcript_cursor: int
    model: str
    prompt_version: str
    fallback_used: bool
    engine_error: str | None
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    override_reason: str | None
    published_at: datetime | None
    version: int
    publications: list[PublicationRead] = []


class DraftRevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    text: str
    text_sha256: str
    guard_report: dict[str, Any]
    source: str
    author: str
    created_at: datetime


class DraftRevisionList(BaseModel):
    revisions: list[DraftRevisionRead]


DiffAgainst = Literal["previous", "published"]


class DraftDiff(BaseModel):
    against: DiffAgainst
    base_draft_id: int | None = Field(description="The draft whose text is the base, if any.")
    base_revision: int | None
    base_text: str | None = Field(description="None when there is nothing to compare against.")
    text: str
    diff: str = Field(description="Unified diff of base_text (or empty) -> text.")
