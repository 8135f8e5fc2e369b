"""Chat tables: posted draft messages, processed platform events, signals announced."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class ChatDraftMessage(Base):
    """Where a draft was posted in chat, so the message can be updated in place."""

    __tablename__ = "chat_draft_messages"

    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(100))
    ts: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatEvent(Base):
    """An Events API delivery already processed: platform retries are skipped by event id."""

    __tablename__ = "chat_events"

    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatSignalNotice(Base):
    """An impact signal announced in the incident channel (each one at most once)."""

    __tablename__ = "chat_signal_notices"
    __table_args__ = (
        UniqueConstraint("incident_id", "signal_id", name="uq_chat_signal_notices_signal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    signal_id: Mapped[int] = mapped_column()
    count: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
