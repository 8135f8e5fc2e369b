"""Incident and transcript tables."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class Incident(Base):
    """One incident: what customers are told about is derived from it."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(10), default="SEV2")
    status: Mapped[str] = mapped_column(String(20), default="investigating")
    components: Mapped[list[str]] = mapped_column(JSON, default=list)
    ic: Mapped[str | None] = mapped_column(String(200), default=None)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    chat_channel: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When customers last got an update; drives next_update_due.
    last_customer_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Optimistic versioning: concurrent writers to one incident conflict instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class TranscriptMessage(Base):
    """One message of the incident channel or call notes."""

    __tablename__ = "transcript_messages"
    __table_args__ = (
        UniqueConstraint("incident_id", "external_id", name="uq_transcript_messages_external"),
        Index("ix_transcript_messages_incident_at", "incident_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="chat")
    status: Mapped[str | None] = mapped_column(String(20), default=None)
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
