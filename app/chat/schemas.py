"""Chat request shapes (parsed from the platform's payloads) and the principal-link API."""

import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.drafting.schemas import DraftCreate
from app.schemas import StrictModel

CHAT_USER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def _chat_user_id(value: str) -> str:
    if not CHAT_USER_ID.match(value):
        raise ValueError("a chat user id is letters, digits, '.', '_' or '-', e.g. U0123ABCD")
    return value


ChatUserId = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_chat_user_id)]


class ChatUserLink(StrictModel):
    chat_user_id: ChatUserId | None = Field(
        description="The chat platform's user id (Slack: U0123ABCD); null unlinks."
    )


class PrincipalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    role: str
    chat_user_id: str | None


@dataclass(frozen=True)
class SlashCommand:
    """One `/liaison ...` invocation (form fields the platform sends)."""

    text: str
    user_id: str
    channel_id: str
    trigger_id: str = ""


@dataclass(frozen=True)
class DraftJob:
    """A draft to write after the acknowledgement, then post to the channel."""

    incident_id: int
    chat_user_id: str
    channel_id: str
    body: DraftCreate


@dataclass
class Outcome:
    """What a chat request leads to: the HTTP answer, then side effects after the commit."""

    reply: dict[str, Any] = field(default_factory=dict)
    draft_job: DraftJob | None = None
    # Drafts whose channel message must be re-rendered (state changed).
    refresh_drafts: list[int] = field(default_factory=list)
    # (channel, user, text, blocks) answers only `user` sees, sent through the Web API.
    ephemerals: list[tuple[str, str, str, list[dict[str, Any]] | None]] = field(
        default_factory=list
    )
    open_view: tuple[str, dict[str, Any]] | None = None
    wake_publisher: bool = False
