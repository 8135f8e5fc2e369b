"""Slack request signing: `v0` HMAC-SHA256 over `v0:{timestamp}:{raw body}`."""

import hashlib
import hmac
import time

from app.errors import Unauthorized

VERSION = "v0"
# Requests signed longer ago than this are refused (replays of captured requests).
MAX_AGE_SECONDS = 60 * 5


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` value for a body (what the platform sends; tests sign with it)."""
    base = f"{VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def verify(
    secret: str,
    *,
    timestamp: str | None,
    signature_header: str | None,
    body: bytes,
    now: float | None = None,
) -> None:
    """Raise Unauthorized unless the request is signed with `secret` in the last 5 minutes."""
    if not timestamp or not signature_header:
        raise Unauthorized(
            "missing X-Slack-Request-Timestamp or X-Slack-Signature: requests must be signed"
        )
    try:
        sent_at = int(timestamp)
    except ValueError as exc:
        raise Unauthorized("X-Slack-Request-Timestamp is not a Unix time") from exc
    current = time.time() if now is None else now
    if abs(current - sent_at) > MAX_AGE_SECONDS:
        raise Unauthorized("the request timestamp is more than 5 minutes away: refused as a replay")
    expected = signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode("ascii"), signature_header.encode("utf-8")):
        raise Unauthorized("invalid request signature")
