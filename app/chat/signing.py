"""Slack request signing (`v0` HMAC-SHA256 over timestamp and raw body) via slack_sdk."""

import time

from slack_sdk.signature import Clock, SignatureVerifier

from app.errors import Unauthorized

VERSION = "v0"
# Requests signed longer ago than this are refused (replays of captured requests).
MAX_AGE_SECONDS = 60 * 5


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` value for a body (what the platform sends; tests sign with it)."""
    generated = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert generated is not None
    return generated


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
    # slack_sdk compares in constant time and re-checks the 5-minute window with our clock.
    verifier = SignatureVerifier(secret, clock=_FixedClock(current))
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature_header):
        raise Unauthorized("invalid request signature")


class _FixedClock(Clock):
    """The time the request is judged at (tests pass one; production passes time.time())."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now
