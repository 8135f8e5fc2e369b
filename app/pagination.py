"""Opaque keyset cursors."""

import base64
import json
from typing import Any

from app.errors import InvalidInput


def encode_cursor(*values: Any) -> str:
    """An opaque cursor holding the sort key of the last item of a page."""
    raw = json.dumps(list(values), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The values of a cursor made by encode_cursor; InvalidInput when it is not one."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput("invalid cursor: pass back next_cursor exactly as received") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidInput("invalid cursor: pass back next_cursor exactly as received")
    return values
