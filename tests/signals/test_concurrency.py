"""Two writers adding reports to one incident at once never corrupt a group (real commits)."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from app.db import create_db_engine, create_session_factory
from app.incidents.schemas import IncidentCreate
from app.incidents.service import create_incident
from app.signals import service
from app.signals.embedding import Embedder
from app.signals.models import CustomerReport, SignalGroup
from tests.fresh_database import fresh_database
from tests.signals.test_service import USER, _reports

TEXTS = ["SMS alerts are not arriving", "No SMS since 10:00", "SSO login fails", "Cannot log in"]


@pytest.fixture
def committed_engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database of its own: this test commits, which others must not see."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with fresh_database(backend, tmp_path) as url:
        engine = create_db_engine(url)
        yield engine
        engine.dispose()


def test_concurrent_batches_keep_group_counts_exact(
    committed_engine: Engine, embedder: Embedder
) -> None:
    factory = create_session_factory(committed_engine)
    with factory() as session, session.begin():
        incident_id = create_incident(session, USER, IncidentCreate(title="race")).id

    def add(_: int) -> None:
        with factory() as session, session.begin():
            service.add_reports(session, USER, incident_id, _reports(TEXTS * 3), embedder=embedder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(add, range(4)))
    with factory() as session:
        stored = dict(
            session.execute(
                select(CustomerReport.group_id, func.count())
                .where(CustomerReport.incident_id == incident_id)
                .group_by(CustomerReport.group_id)
            ).all()
        )
        counts = dict(
            session.execute(
                select(SignalGroup.id, SignalGroup.report_count).where(
                    SignalGroup.incident_id == incident_id
                )
            ).all()
        )
    assert sum(stored.values()) == 48
    assert counts == stored
