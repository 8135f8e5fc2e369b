"""Catalog documents: one global, and at most one per incident."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Catalog(Base):
    """A catalog document; incident_id NULL is the team-wide catalog."""

    __tablename__ = "catalogs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Scope key: "global" or "incident:<id>". A plain unique column, since NULLs never collide.
    scope: Mapped[str] = mapped_column(String(40), unique=True)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), default=None
    )
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    people: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
