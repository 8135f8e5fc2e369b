"""Idempotent batches: rows already stored under a client's external_id are not stored again."""

from collections.abc import Iterable
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session


class _External(Protocol):
    incident_id: InstrumentedAttribute[int]
    external_id: InstrumentedAttribute[str | None]


Row = TypeVar("Row")


def stored_by_external_id(
    session: Session, model: type[Row], incident_id: int, external_ids: Iterable[str | None]
) -> dict[str, Row]:
    """The incident's rows of `model` whose external_id is one of `external_ids`, by id."""
    wanted = {value for value in external_ids if value is not None}
    if not wanted:
        return {}
    columns: _External = model  # type: ignore[assignment]
    stored = session.scalars(
        select(model).where(columns.incident_id == incident_id, columns.external_id.in_(wanted))
    ).all()
    return {row.external_id: row for row in stored if row.external_id is not None}  # type: ignore[attr-defined]
