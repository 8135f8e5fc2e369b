"""Outbound calls to the Slack Web API (base URL from settings, so tests use a local server)."""

import logging
from types import TracebackType
from typing import Any

import httpx

from app.config import Settings

logger = logging.getLogger("liaison.chat")


class ChatApiError(Exception):
    """A Web API call failed; the message names the method and the error, never a secret."""


class SlackClient:
    """A few Web API methods over one HTTP connection; use as a context manager."""

    def __init__(self, settings: Settings, *, timeout: float = 10.0) -> None:
        if settings.slack_bot_token is None:
            raise ChatApiError("no bot token configured: set LIAISON_SLACK_BOT_TOKEN")
        base = settings.slack_api_url.rstrip("/") + "/"
        self._client = httpx.Client(
            base_url=base,
            timeout=timeout,
            headers={
                "Authorization": f"Bearer {settings.slack_bot_token.get_secret_value()}",
                "Content-Type": "application/json; charset=utf-8",
            },
        )

    def __enter__(self) -> "SlackClient":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def call(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST a JSON payload to `method`; raise ChatApiError unless the answer is ok."""
        try:
            response = self._client.post(method, json=payload)
        except httpx.HTTPError as exc:
            # The exception text could carry the request; keep only its type.
            raise ChatApiError(f"{method}: chat API unreachable ({type(exc).__name__})") from None
        try:
            answer = response.json()
        except ValueError:
            raise ChatApiError(f"{method}: HTTP {response.status_code}, not JSON") from None
        if not isinstance(answer, dict) or not answer.get("ok"):
            error = answer.get("error") if isinstance(answer, dict) else None
            raise ChatApiError(f"{method}: {error or f'HTTP {response.status_code}'}")
        return answer

    def post_message(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> str:
        """Post to a channel; returns the message's ts."""
        payload: dict[str, Any] = {
            "channel": channel,
            "text": text,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if blocks is not None:
            payload["blocks"] = blocks
        return str(self.call("chat.postMessage", payload).get("ts", ""))

    def update_message(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]
    ) -> None:
        """Replace a posted message's text and blocks."""
        self.call("chat.update", {"channel": channel, "ts": ts, "text": text, "blocks": blocks})

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        """A message only `user` sees."""
        self.call("chat.postEphemeral", {"channel": channel, "user": user, "text": text})

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        """Open a modal for the user who clicked."""
        self.call("views.open", {"trigger_id": trigger_id, "view": view})
