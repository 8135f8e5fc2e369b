"""Request and response bodies of the drafting API."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, computed_field

from app.publishing.schemas import PublicationRead
from app.schemas import StrictModel, storable

Channel = Literal["statuspage", "social", "email", "chat"]
Locale = Literal["en", "ja"]


class DraftCreate(StrictModel):
    channel: Channel
    locale: Locale | None = Field(default=None, description="Defaults to the incident's locale.")
    model: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="Any litellm model name; defaults to LIAISON_MODEL."
    )
    instructions: (
        Annotated[str, StringConstraints(max_length=1_000), AfterValidator(storable)] | None
    ) = Field(default=None, description="Style hints for the model (never facts or status).")


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    text: str
    text_sha256: str
    guard_report: dict[str, Any]
    source: str
    author: str
    created_at: datetime


class DraftRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    incident_id: int
    channel: str
    locale: str
    state: str
    text: str
    revision: int
    incident_status: str = Field(description="The incident status the draft was written for.")
    guard_report: dict[str, Any]
    provenance: list[dict[str, Any]] = Field(
        description="For each sentence, the transcript message and report ids behind it."
    )
    transcript_cursor: int = Field(description="Id of the last transcript message it saw.")
    reports_cursor: int
    model: str
    prompt_version: str
    fact_sheet: dict[str, Any]
    attempts: list[dict[str, Any]]
    timings_ms: dict[str, float]
    fallback_used: bool
    engine_error: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    override_reason: str | None
    published_at: datetime | None
    version: int
    publications: list[PublicationRead] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def flagged(self) -> bool:
        """Whether a human should look twice: fallback used, engine error or blocking guards."""
        return (
            self.fallback_used
            or self.engine_error is not None
            or bool(self.guard_report.get("blocking"))
        )


class DraftDetail(DraftRead):
    revisions: list[RevisionRead] = Field(default_factory=list)


class DraftPage(BaseModel):
    drafts: list[DraftRead]
