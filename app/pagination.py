"""Opaque keyset cursors."""

import base64
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import InvalidInput

T = TypeVar("T")


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


def time_ordered_page(
    session: Session,
    query: Select[T],
    *,
    at_column: InstrumentedAttribute[datetime],
    id_column: InstrumentedAttribute[int],
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[T], str | None]:
    """One page of rows ordered by (time, id), resuming after an opaque cursor."""
    query = query.order_by(at_column, id_column).limit(limit + 1)
    if cursor is not None:
        at_text, last_id = decode_cursor(cursor, 2)
        try:
            last_at = datetime.fromisoformat(at_text)
        except (TypeError, ValueError) as exc:
            raise InvalidInput("invalid cursor: pass back next_cursor exactly as received") from exc
        if not isinstance(last_id, int) or last_at.tzinfo is None:
            raise InvalidInput("invalid cursor: pass back next_cursor exactly as received")
        query = query.where(
            or_(at_column > last_at, and_(at_column == last_at, id_column > last_id))
        )
    rows = session.scalars(query).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor(
            getattr(last, at_column.key).isoformat(), getattr(last, id_column.key)
        )
    return rows[:limit], next_cursor
