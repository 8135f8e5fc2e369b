"""The `webhook` sink: a signed JSON POST to LIAISON_WEBHOOK_URL."""

import hashlib
import hmac
import json
import time
from dataclasses import asdict
from typing import ClassVar

import httpx

from app.config import Settings
from app.publishing.sinks.base import Delivery, SinkError

SIGNATURE_HEADER = "X-Liaison-Signature"
TIMESTAMP_HEADER = "X-Liaison-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value: sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">."""
    digest = hmac.new(
        secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


class WebhookSink:
    """POSTs every delivery as JSON; any 2xx is success, anything else is retried.

    Receivers verify `X-Liaison-Signature` over `X-Liaison-Timestamp` and the raw body, and
    deduplicate on `Idempotency-Key` (a retry after a lost answer repeats the same key), answering
    2xx for a key they have already seen.
    """

    name: ClassVar[str] = "webhook"
    channels: ClassVar[frozenset[str] | None] = None
    needs_remote_incident_id: ClassVar[bool] = False

    def __init__(self, settings: Settings) -> None:
        if not settings.webhook_url or settings.webhook_secret is None:
            raise ValueError(
                "the webhook sink needs LIAISON_WEBHOOK_URL and LIAISON_WEBHOOK_SECRET"
            )
        self.url = settings.webhook_url
        self._secret = settings.webhook_secret.get_secret_value()
        self._client = httpx.Client(timeout=settings.publish_timeout_seconds)

    def deliver(self, delivery: Delivery) -> str | None:
        body = json.dumps(asdict(delivery), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": delivery.idempotency_key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._secret, timestamp, body),
        }
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SinkError(f"webhook unreachable: {type(exc).__name__}") from exc
        if not response.is_success:
            raise SinkError(f"webhook answered {response.status_code}")
        return None

    def sync(self) -> None:
        return None

    def close(self) -> None:
        self._client.close()
