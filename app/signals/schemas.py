"""Request and response bodies of the reports and signals API."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from app.incidents.schemas import ExternalId
from app.schemas import Name, StrictModel, storable

Source = Literal["ticket", "email", "phone", "chat"]
Trend = Literal["rising", "steady", "falling"]

MAX_REPORT_CHARS = 10_000
MAX_REPORT_BATCH = 1_000

ReportText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REPORT_CHARS),
    AfterValidator(storable),
]


class ReportIn(StrictModel):
    at: AwareDatetime = Field(description="When the customer reported it (with a timezone).")
    source: Source
    customer: Name | None = None
    text: ReportText = Field(description=f"1 to {MAX_REPORT_CHARS} characters; stored as data.")
    external_id: ExternalId | None = Field(
        default=None, description="The support tool's id; a repeated one is skipped (retries)."
    )


class ReportBatch(StrictModel):
    reports: Annotated[list[ReportIn], Field(min_length=1)] = Field(
        description=f"One to {MAX_REPORT_BATCH} reports, stored all or nothing."
    )


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    source: str
    customer: str | None
    text: str
    external_id: str | None
    after_resolution: bool
    group_id: int
    created_at: datetime


class ReportsAdded(BaseModel):
    created: int = Field(description="Reports stored by this call.")
    duplicates: int = Field(description="Reports skipped: their external_id was already stored.")
    after_resolution: bool = Field(
        description="The incident is resolved: the new reports are stored and flagged."
    )
    reports: list[ReportRead] = Field(
        description="Every report of the batch, in order; duplicates as first stored."
    )


class ReportPage(BaseModel):
    reports: list[ReportRead]
    next_cursor: str | None


class SignalRead(BaseModel):
    id: int
    label: str
    count: int
    customers: list[str]
    first_seen: datetime
    last_seen: datetime
    last_5m: int = Field(description="Reports in the 5 minutes up to the newest report's time.")
    last_15m: int = Field(description="Reports in the 15 minutes up to the newest report's time.")
    trend: Trend
    examples: list[str] = Field(description="Up to 3 report texts, emails/phones/names removed.")
    new: bool = Field(description="Became a signal since the caller last listed signals.")
    covered: bool = Field(description="The latest approved or published message speaks of it.")


class SignalList(BaseModel):
    signals: list[SignalRead]
