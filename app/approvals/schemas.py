"""Approval API bodies; DraftRead (the one read view of a draft) lives in app.drafting.schemas."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from app.drafting.schemas import DraftRead
from app.drafting.schemas import RevisionRead as DraftRevisionRead
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


__all__ = ["ApproveBody", "DraftRead", "DraftRevisionRead", "EditBody", "RejectBody"]
