"""Publication jobs: the outbox written in the approval's transaction."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

PUBLICATION_STATES = ("pending", "delivered", "cancelled")


class Publication(Base):
    """One approved draft to deliver to one sink; the idempotency key is (draft, sink)."""

    __tablename__ = "publications"
    __table_args__ = (
        UniqueConstraint("draft_id", "sink", name="uq_publications_draft_sink"),
        Index("ix_publications_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_publications_incident_sink", "incident_id", "sink", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    sink: Mapped[str] = mapped_column(String(50))
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    # The approved text, frozen at approval: what the IC approved is exactly what is sent.
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    # The worker holding the job's lease; a finished delivery is recorded whoever holds it.
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    # What the sink calls the message (e.g. the Statuspage incident id).
    remote_id: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
