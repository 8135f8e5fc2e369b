"""Service functions other domains call: cursors, top and new signals, customers."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth import CurrentUser
from app.incidents.schemas import IncidentCreate
from app.incidents.service import create_incident
from app.signals import service
from app.signals.embedding import Embedder
from app.signals.grouping import GroupingParameters
from app.signals.models import SignalGroup
from app.signals.schemas import ReportIn

USER = CurrentUser(id=0, name="liaison", role="liaison")
START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _reports(texts: list[str], customer: str | None = None) -> list[ReportIn]:
    return [
        ReportIn(at=START + timedelta(minutes=i), source="chat", customer=customer, text=text)
        for i, text in enumerate(texts)
    ]


def test_cursor_top_new_and_customers(
    session_factory: sessionmaker[Session], embedder: Embedder
) -> None:
    with session_factory() as session:
        incident = create_incident(session, USER, IncidentCreate(title="SMS delays"))
        assert service.reports_cursor(session, incident.id) == 0
        service.add_reports(
            session,
            USER,
            incident.id,
            _reports(["SMS alerts are not arriving", "No SMS alerts since 10:00"], "acme"),
            embedder=embedder,
        )
        cursor = service.reports_cursor(session, incident.id)
        assert cursor > 0
        assert service.new_signals_since(session, incident.id, cursor) == []
        service.add_reports(
            session,
            USER,
            incident.id,
            _reports(["SSO login is broken", "Cannot log in with SSO"], "globex"),
            embedder=embedder,
        )
        new = service.new_signals_since(session, incident.id, cursor)
        assert [signal.customers for signal in new] == [["globex"]]
        assert len(service.top_signals(session, incident.id, limit=1)) == 1
        assert service.report_customers(session, incident.id) == ("acme", "globex")


def test_noise_below_minimum_is_no_signal(
    session_factory: sessionmaker[Session], embedder: Embedder
) -> None:
    with session_factory() as session:
        incident = create_incident(session, USER, IncidentCreate(title="SMS delays"))
        service.add_reports(
            session,
            USER,
            incident.id,
            _reports(["Please send last month's invoice"]),
            embedder=embedder,
        )
        assert service.top_signals(session, incident.id) == []


def test_regrouping_stored_groups_moves_their_reports(
    session_factory: sessionmaker[Session], embedder: Embedder
) -> None:
    apart = GroupingParameters(join_threshold=1.1, regroup_every=1e9)
    together = GroupingParameters(
        join_threshold=-1.0, regroup_threshold=-1.0, noise_ratio=0.0, regroup_every=0.0
    )
    with session_factory() as session:
        incident = create_incident(session, USER, IncidentCreate(title="SMS delays"))
        texts = ["SMS alerts late", "Push alerts late", "Email alerts late"]
        service.add_reports(
            session, USER, incident.id, _reports(texts), embedder=embedder, parameters=apart
        )
        assert (session.scalar(select(func.count()).select_from(SignalGroup)) or 0) >= 3
        service.add_reports(
            session,
            USER,
            incident.id,
            _reports(["Alerts late"]),
            embedder=embedder,
            parameters=together,
        )
        groups = session.scalars(
            select(SignalGroup).where(SignalGroup.incident_id == incident.id)
        ).all()
        assert [group.report_count for group in groups] == [4]
        (signal,) = service.top_signals(session, incident.id)
        assert signal.count == 4
        assert signal.first_seen == START
