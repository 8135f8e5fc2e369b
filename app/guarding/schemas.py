"""Request and response bodies of the guard check API."""

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, Field

from app.schemas import StrictModel, storable

# Literals (not plain str) so an unknown channel or locale is a 422 listing the valid values.
Channel = Literal["statuspage", "social", "email", "chat"]
Locale = Literal["en", "ja"]
CHANNELS: tuple[str, ...] = get_args(Channel)
LOCALES: tuple[str, ...] = get_args(Locale)


class GuardCheckRequest(StrictModel):
    text: Annotated[str, AfterValidator(storable)] = Field(
        description="The customer message to check; at most guards.MAX_TEXT_CHARS characters."
    )
    channel: Channel
    locale: Locale
    incident_id: int | None = Field(
        default=None, description="Check against this incident's catalog, people and record."
    )


class ViolationRead(BaseModel):
    category: str
    span: tuple[int, int] = Field(description="[start, end) offsets into the submitted text.")
    text: str
    message: str
    fix: str | None = Field(description="Replacement for the span; '' deletes it.")
    blocking: bool


class GuardCheckRead(BaseModel):
    blocking: bool
    violations: list[ViolationRead]
