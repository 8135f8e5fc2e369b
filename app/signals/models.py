"""Customer reports, the groups they form (impact signals) and per-principal view markers."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class SignalGroup(Base):
    """A group of similar reports; shown as an impact signal once it has enough reports.

    `feature_sum` (float32 bytes) and `report_count` are the whole grouping state, so every API
    process agrees and a new report is compared against centroids only.
    """

    __tablename__ = "signal_groups"
    __table_args__ = (Index("ix_signal_groups_incident_id", "incident_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    feature_sum: Mapped[bytes] = mapped_column(LargeBinary)
    report_count: Mapped[int] = mapped_column(default=0)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CustomerReport(Base):
    """One thing a customer told support, with its feature vector (embedded once)."""

    __tablename__ = "customer_reports"
    __table_args__ = (
        UniqueConstraint("incident_id", "external_id", name="uq_customer_reports_external"),
        Index("ix_customer_reports_incident_at", "incident_id", "at", "id"),
        Index("ix_customer_reports_group_id", "group_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("signal_groups.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))
    customer: Mapped[str | None] = mapped_column(String(200), default=None)
    text: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    # Arrived while the incident was resolved: kept for the IC, flagged.
    after_resolution: Mapped[bool] = mapped_column(default=False)
    feature: Mapped[bytes] = mapped_column(LargeBinary)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignalView(Base):
    """The newest report id a principal had seen when they last listed an incident's signals."""

    __tablename__ = "signal_views"
    __table_args__ = (
        UniqueConstraint("incident_id", "principal_id", name="uq_signal_views_principal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id", ondelete="CASCADE"))
    reports_cursor: Mapped[int] = mapped_column(default=0)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignalIncidentStats(Base):
    """Per-incident grouping statistics: report count, embedding sum (for centring), hashed
    term document frequencies (for IDF), reports since the last re-grouping, noise cut-off.

    Kept next to the groups and updated under the same incident lock, so every API process
    compares reports the same way; O(dimensions) to update per batch.
    """

    __tablename__ = "signal_incident_stats"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    report_count: Mapped[int] = mapped_column(default=0)
    embedding_sum: Mapped[bytes] = mapped_column(LargeBinary)
    document_frequency: Mapped[bytes] = mapped_column(LargeBinary)
    since_regroup: Mapped[int] = mapped_column(default=0)
    noise_cutoff: Mapped[float] = mapped_column(Float, default=-1.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
