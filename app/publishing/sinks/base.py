"""The sink interface: what every publishing destination implements."""

from dataclasses import dataclass
from typing import ClassVar, Protocol

from app.config import Settings


@dataclass(frozen=True)
class Delivery:
    """One approved message on its way to one sink."""

    idempotency_key: str
    sink: str
    publication_id: int
    draft_id: int
    incident_id: int
    incident_title: str
    incident_status: str
    channel: str
    locale: str
    text: str
    text_sha256: str
    revision: int
    approved_by: str
    approved_at: str
    # The sink's id for this incident from an earlier delivery (Statuspage incident id).
    remote_incident_id: str | None = None
    # For sinks with `needs_chat_message`: the incident's chat channel and where the draft
    # was posted in chat (None when it never was).
    chat_channel: str | None = None
    chat_message_channel: str | None = None
    chat_message_ts: str | None = None


class SinkError(Exception):
    """A delivery failed; the worker retries it later with backoff. Never carries secrets."""


class Sink(Protocol):
    """A destination for approved customer messages, registered by name in `SINKS`.

    The outbox worker calls `deliver` at least once per (draft, sink) and retries after any
    exception, so `deliver` must be idempotent on `delivery.idempotency_key`: either the sink
    itself skips a key it has already seen (the file sink), or it passes the key on for the
    receiver to deduplicate (the webhook sink's `Idempotency-Key` header). It returns the
    sink's id for the message or incident (stored as the publication's `remote_id`), or None.

    `needs_chat_message` (optional, default False) asks the worker to fill the `chat_*` fields.
    `channels` names the draft channels the sink publishes; None means every channel.
    `needs_remote_incident_id` asks the worker to look up the sink's id for the incident from
    an earlier delivery (`delivery.remote_incident_id`). The worker calls `sync` once after a
    batch of deliveries and before recording them: a sink that buffers makes them durable there.
    A sink is built once per worker from Settings and may keep connections open; `close`
    releases them.
    """

    name: ClassVar[str]
    channels: ClassVar[frozenset[str] | None]
    needs_remote_incident_id: ClassVar[bool]

    def __init__(self, settings: Settings) -> None: ...

    def deliver(self, delivery: Delivery) -> str | None: ...

    def sync(self) -> None: ...

    def close(self) -> None: ...
