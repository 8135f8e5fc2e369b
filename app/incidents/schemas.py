"""Request and response bodies of the incidents API."""

from datetime import datetime
from typing import Annotated, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.schemas import Name, StrictModel, storable

Status = Literal["investigating", "identified", "monitoring", "resolved"]
STATUSES: tuple[str, ...] = get_args(Status)
SeverityName = Literal["SEV1", "SEV2", "SEV3", "SEV4"]
Locale = Literal["en", "ja"]
MessageKind = Literal["chat", "call-note", "status-change"]

MAX_MESSAGE_CHARS = 20_000
MAX_TRANSCRIPT_BATCH = 1_000

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(storable),
]
ComponentName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(storable),
]
MessageText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS),
    AfterValidator(storable),
]
ExternalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(storable),
]


class IncidentCreate(StrictModel):
    title: Title
    severity: SeverityName = "SEV2"
    components: Annotated[list[ComponentName], Field(max_length=50)] = []
    locale: Locale = "en"
    ic: Name | None = Field(default=None, description="Name of the principal commanding it.")
    chat_channel: Name | None = None


class IncidentUpdate(StrictModel):
    title: Title | None = None
    severity: SeverityName | None = None
    components: Annotated[list[ComponentName], Field(max_length=50)] | None = None
    locale: Locale | None = None
    ic: Name | None = None
    chat_channel: Name | None = None
    version: int | None = Field(
        default=None, description="If given, the update fails with 409 unless it matches."
    )


class StatusChange(StrictModel):
    status: Status
    reopen: bool = Field(default=False, description="Required to leave 'resolved'.")
    note: MessageText | None = Field(
        default=None, description="Text of the status-change transcript message."
    )


class IncidentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    severity: str
    status: str
    components: list[str]
    ic: str | None
    locale: str
    chat_channel: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    status_changed_at: datetime
    resolved_at: datetime | None
    last_customer_update_at: datetime | None
    next_update_due: datetime | None
    update_overdue: bool
    version: int


class IncidentPage(BaseModel):
    incidents: list[IncidentRead]
    next_cursor: str | None


class TranscriptMessageIn(StrictModel):
    at: AwareDatetime
    author: Name
    text: MessageText
    kind: MessageKind = "chat"
    status: Status | None = None
    external_id: ExternalId | None = None

    @model_validator(mode="after")
    def _status_matches_kind(self) -> Self:
        if self.kind == "status-change" and self.status is None:
            raise ValueError("a status-change message needs a status")
        if self.kind != "status-change" and self.status is not None:
            raise ValueError("only a status-change message carries a status")
        return self


class TranscriptBatch(StrictModel):
    messages: Annotated[list[TranscriptMessageIn], Field(min_length=1)]


class TranscriptMessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    author: str
    text: str
    kind: str
    status: str | None
    external_id: str | None
    created_at: datetime


class TranscriptAppended(BaseModel):
    created: int = Field(description="Messages appended by this call.")
    duplicates: int = Field(description="Messages skipped: their external_id was already stored.")
    messages: list[TranscriptMessageRead] = Field(
        description="Every message of the batch, in order; duplicates as first stored."
    )


class TranscriptPage(BaseModel):
    messages: list[TranscriptMessageRead]
    next_cursor: str | None
