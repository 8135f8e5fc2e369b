"""The publication outbox: enqueue on approval, claim, record. Never commits."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.service import record
from app.chat.models import ChatDraftMessage
from app.drafting.models import Draft
from app.incidents.models import Incident
from app.publishing.models import Publication
from app.publishing.sinks import SINKS, Delivery

WORKER_ACTOR = "publisher"


def idempotency_key(draft_id: int, sink: str) -> str:
    """The key a sink deduplicates on: one per (draft, sink)."""
    return f"liaison-draft-{draft_id}-{sink}"


def enqueue_publications(
    session: Session, draft: Draft, sinks: Iterable[str], *, text_sha256: str
) -> list[Publication]:
    """Write one pending job per sink for an approved draft (same transaction as approval)."""
    jobs = [
        Publication(
            draft_id=draft.id,
            incident_id=draft.incident_id,
            channel=draft.channel,
            sink=sink,
            idempotency_key=idempotency_key(draft.id, sink),
            text=draft.text,
            text_sha256=text_sha256,
            revision=draft.revision,
            state="pending",
        )
        for sink in sinks
    ]
    session.add_all(jobs)
    session.flush()
    return jobs


def cancel_pending(session: Session, draft_ids: Sequence[int]) -> int:
    """Cancel undelivered jobs of superseded drafts, so an older message never follows a newer."""
    if not draft_ids:
        return 0
    result = session.execute(
        update(Publication)
        .where(Publication.draft_id.in_(draft_ids), Publication.state == "pending")
        .values(state="cancelled", claimed_by=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def publications_of(session: Session, draft_ids: Sequence[int]) -> dict[int, list[Publication]]:
    """Jobs of each draft, oldest first."""
    found: dict[int, list[Publication]] = {draft_id: [] for draft_id in draft_ids}
    if not draft_ids:
        return found
    rows = session.scalars(
        select(Publication).where(Publication.draft_id.in_(draft_ids)).order_by(Publication.id)
    ).all()
    for row in rows:
        found[row.draft_id].append(row)
    return found


def claim_due(
    session: Session, *, worker_id: str, limit: int, lease_seconds: float, now: datetime
) -> list[Delivery]:
    """Lease up to `limit` due jobs to this worker and return what to deliver.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent workers never claim one job twice.
    SQLite: write transactions are serialised (app/db.py), which gives the same guarantee.
    A job whose lease runs out (its worker died) is due again: the sink's idempotency makes
    that retry harmless.
    """
    jobs = session.scalars(
        select(Publication)
        .where(Publication.state == "pending", Publication.next_attempt_at <= now)
        .order_by(Publication.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not jobs:
        return []
    for job in jobs:
        job.attempts += 1
        job.claimed_by = worker_id
        job.next_attempt_at = now + timedelta(seconds=lease_seconds)
    session.flush()
    drafts = {
        d.id: d
        for d in session.scalars(select(Draft).where(Draft.id.in_({j.draft_id for j in jobs})))
    }
    incidents = {
        i.id: i
        for i in session.scalars(
            select(Incident).where(Incident.id.in_({j.incident_id for j in jobs}))
        )
    }
    deliveries = []
    for job in jobs:
        draft = drafts[job.draft_id]
        incident = incidents[job.incident_id]
        deliveries.append(
            Delivery(
                idempotency_key=job.idempotency_key,
                sink=job.sink,
                publication_id=job.id,
                draft_id=job.draft_id,
                incident_id=job.incident_id,
                incident_title=incident.title,
                incident_status=draft.incident_status,
                channel=job.channel,
                locale=draft.locale,
                text=job.text,
                text_sha256=job.text_sha256,
                revision=job.revision,
                approved_by=draft.decided_by or "",
                approved_at=draft.decided_at.isoformat() if draft.decided_at else "",
                remote_incident_id=(
                    remote_incident_id(session, job.incident_id, job.sink)
                    if job.sink in SINKS and SINKS[job.sink].needs_remote_incident_id
                    else None
                ),
            )
        )
        if job.sink in SINKS and getattr(SINKS[job.sink], "needs_chat_message", False):
            posted = session.get(ChatDraftMessage, job.draft_id)
            deliveries[-1] = replace(
                deliveries[-1],
                chat_channel=incident.chat_channel,
                chat_message_channel=posted.channel if posted else None,
                chat_message_ts=posted.ts if posted else None,
            )
    return deliveries


def remote_incident_id(session: Session, incident_id: int, sink: str) -> str | None:
    """The sink's id for the incident from its first delivered publication, if any."""
    return session.scalar(
        select(Publication.remote_id)
        .where(
            Publication.incident_id == incident_id,
            Publication.sink == sink,
            Publication.state == "delivered",
            Publication.remote_id.is_not(None),
        )
        .order_by(Publication.id)
        .limit(1)
    )


def record_delivered(
    session: Session, deliveries: Sequence[tuple[Delivery, str | None]], *, now: datetime
) -> None:
    """Record successful deliveries: job delivered; draft published; incident updated.

    Locks drafts, then jobs, then incidents (the approval's order), so the two never deadlock.
    """
    if not deliveries:
        return
    draft_ids = sorted({delivery.draft_id for delivery, _ in deliveries})
    drafts = {
        d.id: d
        for d in session.scalars(
            select(Draft)
            .where(Draft.id.in_(draft_ids))
            .order_by(Draft.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    job_ids = sorted(delivery.publication_id for delivery, _ in deliveries)
    jobs = {
        j.id: j
        for j in session.scalars(
            select(Publication)
            .where(Publication.id.in_(job_ids))
            .order_by(Publication.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    incident_ids = sorted({delivery.incident_id for delivery, _ in deliveries})
    incidents = {
        i.id: i
        for i in session.scalars(
            select(Incident)
            .where(Incident.id.in_(incident_ids))
            .order_by(Incident.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    for delivery, remote_id in deliveries:
        job = jobs[delivery.publication_id]
        if job.state == "delivered":
            continue  # another worker recorded it after this one's lease ran out
        job.state = "delivered"
        job.delivered_at = now
        job.remote_id = remote_id
        job.last_error = None
        job.claimed_by = None
        record(
            session,
            actor=WORKER_ACTOR,
            action="publication.delivered",
            subject_type="publication",
            subject_id=job.id,
            incident_id=job.incident_id,
            data={
                "draft_id": job.draft_id,
                "sink": job.sink,
                "idempotency_key": job.idempotency_key,
                "text_sha256": job.text_sha256,
                "attempts": job.attempts,
                "remote_id": remote_id,
            },
        )
        draft = drafts[job.draft_id]
        if draft.state == "approved":
            draft.state = "published"
            draft.published_at = now
            draft.updated_at = now
            record(
                session,
                actor=WORKER_ACTOR,
                action="draft.published",
                subject_type="draft",
                subject_id=draft.id,
                incident_id=draft.incident_id,
                data={
                    "from": "approved",
                    "to": "published",
                    "revision": job.revision,
                    "text_sha256": job.text_sha256,
                    "sink": job.sink,
                },
            )
        incident = incidents[job.incident_id]
        if incident.last_customer_update_at is None or incident.last_customer_update_at < now:
            incident.last_customer_update_at = now
    session.flush()


def backoff_seconds(attempts: int, *, base: float, maximum: float) -> float:
    """Exponential backoff after the `attempts`-th failed attempt: base, 2*base, 4*base..."""
    return float(min(maximum, base * 2 ** max(0, min(attempts - 1, 30))))


def record_failed(
    session: Session,
    publication_id: int,
    error: str,
    *,
    now: datetime,
    base: float,
    maximum: float,
) -> None:
    """Keep the job and schedule its retry; a failure never loses a job."""
    job = session.scalar(
        select(Publication)
        .where(Publication.id == publication_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if job is None or job.state != "pending":
        return
    job.last_error = error[:2_000]
    job.claimed_by = None
    job.next_attempt_at = now + timedelta(
        seconds=backoff_seconds(job.attempts, base=base, maximum=maximum)
    )
    session.flush()


def release(session: Session, publication_ids: Sequence[int], *, worker_id: str) -> None:
    """Hand back claimed jobs this worker will not attempt (its lease is running out)."""
    if not publication_ids:
        return
    session.execute(
        update(Publication)
        .where(
            Publication.id.in_(publication_ids),
            Publication.claimed_by == worker_id,
            Publication.state == "pending",
        )
        .values(
            claimed_by=None,
            attempts=Publication.attempts - 1,
            next_attempt_at=Publication.created_at,
        )
        .execution_options(synchronize_session=False)
    )


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending job is due (for the worker's sleep)."""
    return session.scalar(
        select(Publication.next_attempt_at)
        .where(Publication.state == "pending")
        .order_by(Publication.next_attempt_at)
        .limit(1)
    )
