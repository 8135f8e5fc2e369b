"""The outbox worker: retries with backoff, crash safety, concurrent workers, in-process runs."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.approvals.schemas import ApproveBody
from app.approvals.service import approve_draft
from app.auth import CurrentUser, create_token
from app.config import Settings
from app.db import create_db_engine, create_session_factory, utcnow
from app.drafting.models import Draft
from app.incidents.models import Incident
from app.main import create_app
from app.publishing.models import Publication
from app.publishing.sinks import Delivery
from app.publishing.sinks.file import FileSink
from app.publishing.worker import Worker
from tests.approvals.conftest import GOOD_TEXT, Flow, MakeDraft, insert_draft
from tests.receiver import receiver, signature_is_valid

ADMIN = CurrentUser(id=0, name="admin", role="admin")


class FlakySink(FileSink):
    """The file sink, failing its first `failures` deliveries."""

    def __init__(self, settings: Settings, failures: int) -> None:
        super().__init__(settings)
        self.failures = failures

    def deliver(self, delivery: Delivery) -> str | None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("sink down")
        return super().deliver(delivery)


def _job(session_factory: sessionmaker[Session], draft_id: int) -> Publication:
    with session_factory() as session:
        return session.scalars(select(Publication).where(Publication.draft_id == draft_id)).one()


async def test_failed_delivery_is_kept_and_retried_with_backoff(
    flow: Flow, make_draft: MakeDraft, session_factory: sessionmaker[Session]
) -> None:
    settings = flow.settings.model_copy(update={"publish_backoff_seconds": 0.2})
    worker = Worker(session_factory, settings, sinks={"file": FlakySink(settings, failures=2)})
    draft_id = make_draft(await flow.incident())
    await flow.approve(draft_id)

    assert worker.drain() == 1
    job = _job(session_factory, draft_id)
    assert (job.state, job.attempts, job.last_error) == ("pending", 1, "ConnectionError: sink down")
    assert 0.1 < (job.next_attempt_at - utcnow()).total_seconds() <= 0.2
    assert worker.drain() == 0  # not due yet
    time.sleep(0.25)
    assert worker.drain() == 1
    job = _job(session_factory, draft_id)
    assert job.attempts == 2
    assert 0.3 < (job.next_attempt_at - utcnow()).total_seconds() <= 0.4  # doubled
    time.sleep(0.45)
    assert worker.drain() == 1
    job = _job(session_factory, draft_id)
    assert (job.state, job.attempts, job.last_error) == ("delivered", 3, None)
    publications = await flow.get(f"/v1/drafts/{draft_id}/publications")
    assert publications["publications"][0]["state"] == "delivered"


class SlowSink(FileSink):
    def deliver(self, delivery: Delivery) -> str | None:
        time.sleep(0.3)
        return super().deliver(delivery)


async def test_worker_hands_back_jobs_it_cannot_start_within_its_lease(
    flow: Flow, make_draft: MakeDraft, session_factory: sessionmaker[Session]
) -> None:
    settings = flow.settings.model_copy(update={"publish_lease_seconds": 0.4})
    worker = Worker(session_factory, settings, sinks={"file": SlowSink(settings)})
    first = make_draft(await flow.incident())
    second = make_draft(await flow.incident())
    await flow.approve(first)
    await flow.approve(second)
    assert worker.run_once() == 1
    assert _job(session_factory, first).state == "delivered"
    handed_back = _job(session_factory, second)
    assert (handed_back.state, handed_back.attempts, handed_back.claimed_by) == ("pending", 0, None)
    assert worker.run_once() == 1
    assert _job(session_factory, second).state == "delivered"


def _seed(url: str, count: int, settings: Settings) -> list[int]:
    """An incident with `count` approved drafts (each on its own channel-free incident)."""
    engine = create_db_engine(url)
    factory = create_session_factory(engine)
    draft_ids = []
    with factory() as session:
        for _ in range(count):
            incident = Incident(title="Delayed SMS notifications", created_by="test", ic=None)
            session.add(incident)
            session.flush()
            draft = insert_draft(session, incident.id)
            approve_draft(
                session, ADMIN, draft.id, ApproveBody(), publish_sinks=settings.publish_sinks
            )
            draft_ids.append(draft.id)
        session.commit()
    engine.dispose()
    return draft_ids


def _env(url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "LIAISON_DATABASE_URL": url,
            "LIAISON_DATA_DIR": str(tmp_path / "var"),
            "LIAISON_LOG_LEVEL": "warning",
        }
    )
    env.update(extra)
    return env


def test_worker_killed_after_writing_never_duplicates_on_retry(
    shared_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=shared_database_url, data_dir=tmp_path / "var", publish_lease_seconds=1
    )
    (draft_id,) = _seed(shared_database_url, 1, settings)
    marker = tmp_path / "written"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.publishing._crashing_worker", str(marker)],
        env=_env(shared_database_url, tmp_path, LIAISON_PUBLISH_LEASE_SECONDS="1"),
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the crashing worker exited early"
            assert time.monotonic() < deadline, "the crashing worker never wrote"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    engine = create_db_engine(shared_database_url)
    factory = create_session_factory(engine)
    try:
        assert _job(factory, draft_id).state == "pending"  # written, never recorded
        worker = Worker(factory, settings)
        assert worker.drain() == 0  # its lease still holds
        time.sleep(1.1)
        assert worker.drain() == 1
        job = _job(factory, draft_id)
        assert (job.state, job.attempts) == ("delivered", 2)
        with factory() as session:
            assert session.get_one(Draft, draft_id).state == "published"
    finally:
        engine.dispose()
    lines = (tmp_path / "var" / "published.jsonl").read_text().splitlines()
    assert [json.loads(line)["idempotency_key"] for line in lines] == [job.idempotency_key]


def test_concurrent_worker_processes_deliver_each_job_once(
    shared_database_url: str, tmp_path: Path
) -> None:
    with receiver() as hook:
        extra = {
            "LIAISON_PUBLISH_SINKS": '["webhook"]',
            "LIAISON_WEBHOOK_URL": hook.url,
            "LIAISON_WEBHOOK_SECRET": "hook-secret",
            "LIAISON_WORKER_BATCH_SIZE": "2",
        }
        settings = Settings(database_url=shared_database_url, publish_sinks=["webhook"])
        draft_ids = _seed(shared_database_url, 12, settings)
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "app.cli", "worker", "--once"],
                env=_env(shared_database_url, tmp_path, **extra),
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        errors = [worker.communicate(timeout=120)[1] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), errors
    keys = Counter(request.headers["idempotency-key"] for request in hook.requests)
    assert keys == Counter({f"liaison-draft-{draft_id}-webhook": 1 for draft_id in draft_ids})
    assert all(signature_is_valid(request, "hook-secret") for request in hook.requests)
    engine = create_db_engine(shared_database_url)
    with create_session_factory(engine)() as session:
        jobs = session.scalars(select(Publication)).all()
        assert {(job.state, job.attempts) for job in jobs} == {("delivered", 1)}
    engine.dispose()


async def test_in_process_worker_publishes_right_after_approval(
    shared_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=shared_database_url,
        data_dir=tmp_path / "var",
        run_worker_in_process=True,
        worker_poll_seconds=30,  # the approval's wake-up, not polling, must deliver it
    )
    engine = create_db_engine(shared_database_url)
    factory = create_session_factory(engine)
    with factory() as session:
        token = create_token(session, name="ic", role="ic")
        incident = Incident(title="Delayed SMS notifications", created_by="test", ic="ic")
        session.add(incident)
        session.flush()
        draft_id = insert_draft(session, incident.id).id
        session.commit()
    engine.dispose()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            headers = {"Authorization": f"Bearer {token}"}
            response = await client.post(f"/v1/drafts/{draft_id}/approve", json={}, headers=headers)
            assert response.status_code == 200, response.text
            deadline = time.monotonic() + 10
            state = "approved"
            while state != "published" and time.monotonic() < deadline:
                time.sleep(0.02)
                jobs = await client.get(f"/v1/drafts/{draft_id}/publications", headers=headers)
                state = jobs.json()["publications"][0]["state"]
                state = "published" if state == "delivered" else state
    assert state == "published"
    line = (tmp_path / "var" / "published.jsonl").read_text()
    assert json.loads(line)["text"] == GOOD_TEXT
