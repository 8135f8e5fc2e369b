"""Customer reports, signal groups and view markers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 15:18:56.105980
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "signal_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("feature_sum", sa.LargeBinary(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_signal_groups_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_groups")),
    )
    with op.batch_alter_table("signal_groups", schema=None) as batch_op:
        batch_op.create_index("ix_signal_groups_incident_id", ["incident_id", "id"], unique=False)

    op.create_table(
        "signal_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("reports_cursor", sa.Integer(), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_signal_views_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["principals.id"],
            name=op.f("fk_signal_views_principal_id_principals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_views")),
        sa.UniqueConstraint("incident_id", "principal_id", name="uq_signal_views_principal"),
    )
    op.create_table(
        "customer_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("customer", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("after_resolution", sa.Boolean(), nullable=False),
        sa.Column("feature", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["signal_groups.id"],
            name=op.f("fk_customer_reports_group_id_signal_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_customer_reports_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_reports")),
        sa.UniqueConstraint("incident_id", "external_id", name="uq_customer_reports_external"),
    )
    with op.batch_alter_table("customer_reports", schema=None) as batch_op:
        batch_op.create_index("ix_customer_reports_group_id", ["group_id", "id"], unique=False)
        batch_op.create_index(
            "ix_customer_reports_incident_at", ["incident_id", "at", "id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("customer_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_reports_incident_at")
        batch_op.drop_index("ix_customer_reports_group_id")

    op.drop_table("customer_reports")
    op.drop_table("signal_views")
    with op.batch_alter_table("signal_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_groups_incident_id")

    op.drop_table("signal_groups")
