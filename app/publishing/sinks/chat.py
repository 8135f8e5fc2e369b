"""The `chat` sink: the incident channel's record of what went out (Slack Web API)."""

from typing import ClassVar

from app.chat import blocks
from app.chat.slack_client import ChatApiError, SlackClient
from app.config import Settings
from app.publishing.sinks.base import Delivery, SinkError


class ChatSink:
    """Posts each published message to the incident's chat channel and updates the draft's
    message there to show where it was published.

    It tells the incident team, not customers: pair it with a customer-facing sink (file,
    webhook, statuspage). An incident without a chat channel is delivered as a no-op. The
    Web API has no idempotency key: a crash after the post but before the worker records it
    posts again (like the statuspage sink). Returns the posted message's ts as remote id.
    """

    name: ClassVar[str] = "chat"
    channels: ClassVar[frozenset[str] | None] = None
    needs_remote_incident_id: ClassVar[bool] = False
    needs_chat_message: ClassVar[bool] = True

    def __init__(self, settings: Settings) -> None:
        if settings.slack_bot_token is None:
            raise ValueError("the chat sink needs LIAISON_SLACK_BOT_TOKEN")
        self.settings = settings
        self._client = SlackClient(settings, timeout=settings.publish_timeout_seconds)

    def deliver(self, delivery: Delivery) -> str | None:
        if delivery.chat_channel is None:
            return None
        try:
            ts = self._client.post_message(
                delivery.chat_channel,
                blocks.published_notice(
                    delivery.draft_id, delivery.channel, delivery.text, delivery.approved_by
                ),
            )
            if delivery.chat_message_ts and delivery.chat_message_channel:
                card = blocks.DraftCard(
                    draft_id=delivery.draft_id,
                    incident_id=delivery.incident_id,
                    incident_title=delivery.incident_title,
                    channel=delivery.channel,
                    locale=delivery.locale,
                    state="published",
                    text=delivery.text,
                    revision=delivery.revision,
                    violations=None,
                    staleness={},
                    decided_by=delivery.approved_by,
                    sinks=self._sinks_for(delivery.channel),
                )
                text, message_blocks = blocks.draft_message(card)
                self._client.update_message(
                    delivery.chat_message_channel, delivery.chat_message_ts, text, message_blocks
                )
        except ChatApiError as exc:
            raise SinkError(str(exc)) from None
        return ts or None

    def _sinks_for(self, channel: str) -> list[str]:
        from app.publishing.sinks import sinks_for_channel

        return sinks_for_channel(self.settings.publish_sinks, channel)

    def sync(self) -> None:
        return None

    def close(self) -> None:
        self._client.close()
