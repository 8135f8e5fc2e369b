"""Migration 0006 converts stored reports to raw features and builds the incident statistics."""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from alembic import command
from sqlalchemy import select

from app.auth import CurrentUser
from app.db import alembic_config, create_db_engine, create_session_factory
from app.incidents.schemas import IncidentCreate
from app.incidents.service import create_incident
from app.signals.grouping import TERM_BUCKETS, term_vector
from app.signals.models import CustomerReport, SignalGroup, SignalIncidentStats

USER = CurrentUser(id=1, name="alice", role="admin")
AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def test_upgrade_converts_old_features(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    command.upgrade(alembic_config(url), "0004")
    factory = create_session_factory(create_db_engine(url))
    embedding = np.zeros(384, dtype=np.float32)
    embedding[0] = 1.0
    # The old layout: sqrt(0.9)·embedding ++ sqrt(0.1)·n-grams.
    old = np.concatenate([np.sqrt(0.9) * embedding, np.full(1024, 0.01, dtype=np.float32)])
    with factory() as session:
        incident = create_incident(session, USER, IncidentCreate(title="SMS delays"))
        group = SignalGroup(
            incident_id=incident.id,
            feature_sum=old.astype(np.float32).tobytes(),
            report_count=1,
            first_seen=AT,
            last_seen=AT,
        )
        session.add(group)
        session.flush()
        session.add(
            CustomerReport(
                incident_id=incident.id,
                group_id=group.id,
                at=AT,
                source="ticket",
                text="SMS alerts are late",
                feature=old.astype(np.float32).tobytes(),
                created_by="alice",
            )
        )
        session.commit()
        incident_id = incident.id

    command.upgrade(alembic_config(url), "head")

    with factory() as session:
        report = session.scalars(select(CustomerReport)).one()
        feature = np.frombuffer(report.feature, dtype=np.float32)
        assert feature.shape == (384 + TERM_BUCKETS + 1,)
        np.testing.assert_allclose(feature[:384], embedding, atol=1e-6)
        np.testing.assert_allclose(feature[384:-1], term_vector("SMS alerts are late"))
        group_sum = np.frombuffer(
            session.scalars(select(SignalGroup)).one().feature_sum, np.float32
        )
        np.testing.assert_allclose(group_sum, feature)
        stats = session.get(SignalIncidentStats, incident_id)
        assert stats is not None
        assert stats.report_count == 1
