"""Two approvers racing through two real uvicorn processes on one PostgreSQL database."""

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import create_token
from app.db import create_db_engine, create_session_factory
from app.incidents.models import Incident
from app.publishing.models import Publication
from tests.approvals.conftest import insert_draft
from tests.fresh_database import fresh_database
from tests.readiness import wait_until_ready
from tests.test_cli_and_server import _free_port

pytestmark = pytest.mark.postgres


@contextmanager
def _server(url: str, tmp_path: Path, name: str) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "LIAISON_DATABASE_URL": url,
            "LIAISON_PORT": str(port),
            "LIAISON_LOG_LEVEL": "warning",
            "LIAISON_DATA_DIR": str(tmp_path / name),
            "LIAISON_RUN_WORKER_IN_PROCESS": "false",
        }
    )
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", process, log=(tmp_path / f"{name}.log").read_text)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _race(draft_id: int, callers: list[tuple[str, str]]) -> list[tuple[int, Any]]:
    """POST approve from every (server, token) at the same moment; the answers."""
    barrier = threading.Barrier(len(callers))
    answers: list[tuple[int, Any]] = []

    def approve(base: str, token: str) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/healthz")  # connect first, so the approvals leave together
            barrier.wait()
            response = client.post(
                f"/v1/drafts/{draft_id}/approve",
                json={},
                headers={"Authorization": f"Bearer {token}"},
            )
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=approve, args=caller) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_processes_racing_to_approve_one_draft_let_exactly_one_win(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database("postgresql", tmp_path))
        engine = create_db_engine(url)
        stack.callback(engine.dispose)
        factory = create_session_factory(engine)
        with factory() as session:
            tokens = {
                "ic": create_token(session, name="ic", role="ic"),
                "admin": create_token(session, name="admin", role="admin"),
            }
            draft_ids = []
            for _ in range(6):
                incident = Incident(title="Delayed SMS notifications", created_by="t", ic="ic")
                session.add(incident)
                session.flush()
                draft_ids.append(insert_draft(session, incident.id).id)
            session.commit()
        servers = [stack.enter_context(_server(url, tmp_path, name)) for name in ("a", "b")]

        for draft_id in draft_ids:
            answers = _race(draft_id, [(servers[0], tokens["ic"]), (servers[1], tokens["admin"])])
            assert sorted(status for status, _ in answers) == [200, 409], answers
            (conflict,) = [body for status, body in answers if status == 409]
            assert conflict["error"] == "Conflict"
            assert "is approved" in conflict["detail"]

        with factory() as session:
            jobs = session.scalar(select(func.count()).select_from(Publication))
            approvals = session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "draft.approved")
            )
        assert jobs == len(draft_ids)
        assert approvals == len(draft_ids)
