"""Drafts and their revisions."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

DRAFT_STATES = ("pending_approval", "approved", "published", "rejected", "superseded")


class Draft(Base):
    """A candidate customer message for one channel and locale, and its approval state."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_incident_channel_id", "incident_id", "channel", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20), default="pending_approval")
    # The text of the current revision (revisions keep every earlier one).
    text: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    guard_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    incident_status: Mapped[str] = mapped_column(String(20))
    # Last transcript message id and last report id the draft saw (staleness).
    transcript_cursor: Mapped[int] = mapped_column(default=0)
    reports_cursor: Mapped[int] = mapped_column(default=0)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(50))
    instructions: Mapped[str | None] = mapped_column(Text, default=None)
    fact_sheet: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    provenance: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    timings_ms: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    fallback_used: Mapped[bool] = mapped_column(default=False)
    engine_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decision_reason: Mapped[str | None] = mapped_column(Text, default=None)
    override_reason: Mapped[str | None] = mapped_column(Text, default=None)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # Optimistic versioning: two approvers racing -> one wins, the other gets a conflict.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class DraftRevision(Base):
    """One text of a draft: the engine's first, then each human edit."""

    __tablename__ = "draft_revisions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_draft_revisions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    guard_report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(20))  # engine | fallback | edit
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
