"""Per-incident grouping statistics; report features become raw (embedding ++ terms ++ CJK).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:45:00.000000

Existing reports are converted in place: the old feature's embedding part is its first
(feature width - 1024) values rescaled to unit length, the term part is recomputed from the
text; group sums and the incident statistics are rebuilt from the converted rows.
"""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime, utcnow

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_NGRAM_DIMENSIONS = 1024


def upgrade() -> None:
    op.create_table(
        "signal_incident_stats",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("embedding_sum", sa.LargeBinary(), nullable=False),
        sa.Column("document_frequency", sa.LargeBinary(), nullable=False),
        sa.Column("since_regroup", sa.Integer(), nullable=False),
        sa.Column("noise_cutoff", sa.Float(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_signal_incident_stats_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_signal_incident_stats")),
    )
    _convert_existing()


def _convert_existing() -> None:
    from app.signals.grouping import TERM_BUCKETS, IncidentStats, is_cjk, term_vector

    bind = op.get_bind()
    reports = sa.table(
        "customer_reports",
        sa.column("id", sa.Integer),
        sa.column("incident_id", sa.Integer),
        sa.column("group_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("feature", sa.LargeBinary),
    )
    groups = sa.table(
        "signal_groups", sa.column("id", sa.Integer), sa.column("feature_sum", sa.LargeBinary)
    )
    stats = sa.table(
        "signal_incident_stats",
        sa.column("incident_id", sa.Integer),
        sa.column("report_count", sa.Integer),
        sa.column("embedding_sum", sa.LargeBinary),
        sa.column("document_frequency", sa.LargeBinary),
        sa.column("since_regroup", sa.Integer),
        sa.column("noise_cutoff", sa.Float),
        sa.column("updated_at", UTCDateTime()),
    )
    group_sums: dict[int, np.ndarray] = {}
    incident_stats: dict[int, IncidentStats] = {}
    counts: dict[int, int] = defaultdict(int)
    rows = bind.execute(
        sa.select(
            reports.c.id,
            reports.c.incident_id,
            reports.c.group_id,
            reports.c.text,
            reports.c.feature,
        )
    ).all()
    for row in rows:
        old = np.frombuffer(row.feature, dtype=np.float32)
        embedding = old[: old.shape[0] - OLD_NGRAM_DIMENSIONS]
        embedding = embedding / max(float(np.linalg.norm(embedding)), 1e-12)
        new = np.concatenate(
            [embedding, term_vector(row.text), [1.0 if is_cjk(row.text) else 0.0]]
        ).astype(np.float32)
        bind.execute(sa.update(reports).where(reports.c.id == row.id).values(feature=new.tobytes()))
        group_sums[row.group_id] = group_sums.get(row.group_id, np.zeros_like(new)) + new
        counts[row.group_id] += 1
        if row.incident_id not in incident_stats:
            incident_stats[row.incident_id] = IncidentStats.empty(embedding.shape[0])
        incident_stats[row.incident_id].add(new[None, :])
    for group_id, total in group_sums.items():
        bind.execute(
            sa.update(groups).where(groups.c.id == group_id).values(feature_sum=total.tobytes())
        )
    for incident_id, state in incident_stats.items():
        assert state.document_frequency.shape[0] == TERM_BUCKETS
        bind.execute(
            sa.insert(stats).values(
                incident_id=incident_id,
                report_count=state.count,
                embedding_sum=state.embedding_sum.astype(np.float32).tobytes(),
                document_frequency=state.document_frequency.astype(np.float32).tobytes(),
                since_regroup=state.count,
                noise_cutoff=-1.0,
                updated_at=utcnow(),
            )
        )


def downgrade() -> None:
    op.drop_table("signal_incident_stats")
