"""Approval -> published latency (real server, in-process worker) and worker throughput.

Usage: python -m benchmarks.approvals [--drafts 50] [--jobs 2000] [--database-url URL]
Both use the file sink. Targets: p50 approve -> published <= 200 ms; >= 200 publications/s.
With --database-url (PostgreSQL), the database must be empty and migrated or migratable.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from app.approvals.schemas import ApproveBody
from app.approvals.service import approve_draft
from app.auth import CurrentUser
from app.config import Settings
from app.db import create_db_engine, create_session_factory, run_migrations
from app.drafting.models import Draft, DraftRevision
from app.incidents.models import Incident
from app.publishing.worker import Worker
from benchmarks._server import running_server
from guards import check_message

TEXT = "We are investigating delays to SMS notifications. Next update in 30 minutes."
ADMIN = CurrentUser(id=0, name="bench-admin", role="admin")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _seed_drafts(session: Session, count: int) -> list[int]:
    report = check_message(TEXT, channel="statuspage", locale="en").model_dump(mode="json")
    ids = []
    for _ in range(count):
        incident = Incident(title="Delayed SMS notifications", created_by="bench")
        session.add(incident)
        session.flush()
        draft = Draft(
            incident_id=incident.id,
            channel="statuspage",
            locale="en",
            text=TEXT,
            guard_report=report,
            incident_status="investigating",
            model="local/template",
            prompt_version="bench",
            created_by="bench",
        )
        session.add(draft)
        session.flush()
        session.add(
            DraftRevision(
                draft_id=draft.id,
                number=1,
                text=TEXT,
                text_sha256="0" * 64,
                guard_report=report,
                source="engine",
                author="bench",
            )
        )
        ids.append(draft.id)
    session.flush()
    return ids


def latency(workdir: Path, drafts: int, database_url: str | None) -> list[float]:
    """Milliseconds from POST approve to the file sink's publication being recorded."""
    url = database_url or f"sqlite:///{workdir / 'latency.db'}"
    with running_server(workdir, url) as (base, token):
        engine = create_db_engine(url)
        with create_session_factory(engine)() as session:
            ids = _seed_drafts(session, drafts)
            session.commit()
        engine.dispose()
        headers = {"Authorization": f"Bearer {token}"}
        timings = []
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            for draft_id in ids:
                started = time.perf_counter()
                response = client.post(f"/v1/drafts/{draft_id}/approve", json={})
                response.raise_for_status()
                while True:
                    jobs = client.get(f"/v1/drafts/{draft_id}/publications").json()
                    if jobs["publications"][0]["state"] == "delivered":
                        break
                    time.sleep(0.002)
                timings.append((time.perf_counter() - started) * 1000)
    return timings


def throughput(workdir: Path, jobs: int, database_url: str | None) -> float:
    """Publications per second one worker delivers to the file sink."""
    url = database_url or f"sqlite:///{workdir / 'throughput.db'}"
    run_migrations(url)
    settings = Settings(database_url=url, data_dir=workdir / "var")
    engine = create_db_engine(url)
    factory = create_session_factory(engine)
    with factory() as session:
        for draft_id in _seed_drafts(session, jobs):
            approve_draft(session, ADMIN, draft_id, ApproveBody(), publish_sinks=["file"])
        session.commit()
    worker = Worker(factory, settings)
    started = time.perf_counter()
    delivered = worker.drain(max_batches=10_000)
    elapsed = time.perf_counter() - started
    worker.close()
    engine.dispose()
    assert delivered == jobs, (delivered, jobs)
    return jobs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        timings = latency(workdir, args.drafts, args.database_url)
        rate = throughput(workdir, args.jobs, args.database_url)
    print(f"approve -> published ({len(timings)} drafts, file sink, in-process worker):")
    print(
        f"  p50 {statistics.median(timings):.1f} ms   p90 {_percentile(timings, 0.9):.1f} ms   "
        f"p99 {_percentile(timings, 0.99):.1f} ms   (target p50 <= 200 ms)"
    )
    print(f"worker throughput ({args.jobs} jobs, file sink): {rate:.0f} publications/s")
    print("  (target >= 200 publications/s)")


if __name__ == "__main__":
    main()
