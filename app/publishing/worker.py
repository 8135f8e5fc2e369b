"""The outbox worker: claims due publication jobs, delivers them to sinks, records the result."""

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import utcnow
from app.publishing import service
from app.publishing.sinks import Delivery, Sink, build_sinks

logger = logging.getLogger("liaison.publishing")


class Worker:
    """Delivers publication jobs; safe to run many at once, in threads or processes.

    Delivery is at-least-once (a job whose worker dies is claimed again when its lease runs
    out) and each sink deduplicates on the job's idempotency key, so customers see it once.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        sinks: dict[str, Sink] | None = None,
        worker_id: str | None = None,
        read_session_factory: sessionmaker[Session] | None = None,
    ) -> None:
        self.session_factory = session_factory
        # On SQLite a read-only session takes no write lock: idle polling never blocks the API.
        self.read_session_factory = read_session_factory or session_factory
        self.settings = settings
        self.sinks = sinks if sinks is not None else build_sinks(settings)
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wakeup = threading.Event()

    def run_once(self) -> int:
        """Claim one batch of due jobs and deliver it; returns how many were attempted."""
        claimed_at = time.monotonic()
        with self.session_factory() as session, session.begin():
            deliveries = service.claim_due(
                session,
                worker_id=self.worker_id,
                limit=self.settings.worker_batch_size,
                lease_seconds=self.settings.publish_lease_seconds,
                now=utcnow(),
            )
        if not deliveries:
            return 0
        delivered: list[tuple[Delivery, str | None]] = []
        failed: list[tuple[Delivery, str]] = []
        remote_ids: dict[tuple[int, str], str] = {}
        unattempted: list[int] = []
        # Stop well before the lease runs out, or another worker would deliver the rest again.
        deadline = claimed_at + self.settings.publish_lease_seconds / 2
        for delivery in deliveries:
            if time.monotonic() > deadline:
                unattempted.append(delivery.publication_id)
                continue
            sink_name = delivery.sink
            sink = self.sinks.get(sink_name)
            if sink is None:
                failed.append((delivery, f"sink {sink_name!r} is not configured in this worker"))
                continue
            if (
                delivery.remote_incident_id is None
                and (delivery.incident_id, sink_name) in remote_ids
            ):
                # An earlier job of this batch created the sink's incident: update it instead.
                delivery = replace(
                    delivery, remote_incident_id=remote_ids[(delivery.incident_id, sink_name)]
                )
            try:
                remote_id = sink.deliver(delivery)
            except Exception as exc:  # any sink failure is retried, never lost
                failed.append((delivery, f"{type(exc).__name__}: {exc}"))
                logger.warning("delivery %s failed: %s", delivery.idempotency_key, exc)
                continue
            if remote_id is not None:
                remote_ids[(delivery.incident_id, sink_name)] = remote_id
            delivered.append((delivery, remote_id))
        for name in {delivery.sink for delivery, _ in delivered}:
            try:
                self.sinks[name].sync()
            except Exception as exc:  # not durable: deliver again (the sink deduplicates)
                failed += [(d, f"sync failed: {exc}") for d, _ in delivered if d.sink == name]
                delivered = [(d, r) for d, r in delivered if d.sink != name]
        with self.session_factory() as session, session.begin():
            service.record_delivered(session, delivered, now=utcnow())
            service.release(session, unattempted, worker_id=self.worker_id)
            for delivery, error in failed:
                service.record_failed(
                    session,
                    delivery.publication_id,
                    error,
                    now=utcnow(),
                    base=self.settings.publish_backoff_seconds,
                    maximum=self.settings.publish_backoff_max_seconds,
                )
        return len(deliveries) - len(unattempted)

    def drain(self, max_batches: int = 1_000) -> int:
        """Run batches until nothing is due; returns how many jobs were attempted."""
        total = 0
        for _ in range(max_batches):
            count = self.run_once()
            if count == 0:
                break
            total += count
        return total

    def run_forever(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; sleeps until the next job is due, a poll, or a wake-up."""
        while not stop.is_set():
            timeout = self.settings.worker_poll_seconds
            try:
                # Look first with a read-only session: an idle worker takes no write lock.
                with self.read_session_factory() as session:
                    due = service.next_due_at(session)
                if due is not None and due <= utcnow():
                    if self.run_once() > 0:
                        continue
                elif due is not None:
                    timeout = max(0.0, min(timeout, (due - utcnow()).total_seconds()))
            except Exception:  # the database may be briefly unavailable: keep going
                logger.exception("publishing worker iteration failed")
            self.wakeup.wait(timeout)
            self.wakeup.clear()

    def close(self) -> None:
        """Release the sinks' connections."""
        for sink in self.sinks.values():
            sink.close()
