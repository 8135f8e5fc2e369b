"""Report ingestion: a 1,000-report batch vs the raw model, one report into 10,000, memory."""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from app.auth import CurrentUser, create_token  # noqa: E402
from app.db import create_db_engine, create_session_factory, run_migrations  # noqa: E402
from app.incidents.schemas import IncidentCreate  # noqa: E402
from app.incidents.service import create_incident  # noqa: E402
from app.signals.embedding import Embedder, load_embedder  # noqa: E402
from app.signals.models import SignalGroup  # noqa: E402
from app.signals.schemas import ReportIn  # noqa: E402
from app.signals.service import add_reports  # noqa: E402

SUBJECTS = ["SMS alerts", "push notifications", "the dashboard", "SSO login", "the API", "exports"]
PROBLEMS = ["are delayed", "fail with an error", "do not load", "time out", "are missing"]
START = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def texts(count: int, offset: int = 0) -> list[str]:
    """Varied report texts (numbered, so no two are identical)."""
    return [
        f"{SUBJECTS[n % len(SUBJECTS)]} {PROBLEMS[(n // 7) % len(PROBLEMS)]} for us (case {n})"
        for n in range(offset, offset + count)
    ]


def reports(items: list[str], offset: int = 0) -> list[ReportIn]:
    return [
        ReportIn(at=START + timedelta(seconds=offset + i), source="ticket", text=text)
        for i, text in enumerate(items)
    ]


class MemoEmbedder(Embedder):
    """Reuses vectors of texts seen before, to fill the 10,000-report incident quickly."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.dimensions = inner.dimensions
        self.memo: dict[str, npt.NDArray[np.float32]] = {}

    def embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        missing = [text for text in dict.fromkeys(texts) if text not in self.memo]
        if missing:
            self.memo.update(zip(missing, self.inner.embed(missing), strict=True))
        return np.stack([self.memo[text] for text in texts])


def new_incident(factory: sessionmaker[Session], user: CurrentUser) -> int:
    with factory() as session, session.begin():
        return create_incident(session, user, IncidentCreate(title="benchmark")).id


def ingest(
    factory: sessionmaker[Session],
    user: CurrentUser,
    incident_id: int,
    batch: list[ReportIn],
    embedder: Embedder,
) -> float:
    started = time.perf_counter()
    with factory() as session, session.begin():
        add_reports(session, user, incident_id, batch, embedder=embedder)
    return time.perf_counter() - started


def main() -> None:
    """Print the three measurements."""
    embedder = load_embedder()
    embedder.embed(texts(64))  # warm-up
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        run_migrations(url)
        factory = create_session_factory(create_db_engine(url))
        with factory() as session, session.begin():
            create_token(session, name="bench", role="liaison")
        user = CurrentUser(id=1, name="bench", role="liaison")

        batch_texts = texts(1000)
        started = time.perf_counter()
        embedder.embed(batch_texts)
        model_seconds = time.perf_counter() - started
        ingest_seconds = ingest(
            factory, user, new_incident(factory, user), reports(batch_texts), embedder
        )
        print(
            f"(a) 1,000 reports in one batch: {ingest_seconds:.2f} s "
            f"(model alone {model_seconds:.2f} s, ratio {ingest_seconds / model_seconds:.2f})"
        )

        big = new_incident(factory, user)
        memo = MemoEmbedder(embedder)
        for chunk in range(10):
            # The same 1,000 texts ten times: realistic repeats, embedded once.
            ingest(factory, user, big, reports(batch_texts, chunk * 1000), memo)
        with factory() as session:
            groups = session.scalar(
                select(func.count()).select_from(SignalGroup).where(SignalGroup.incident_id == big)
            )
        print(f"    the 10,000-report incident has {groups} groups")
        samples = []
        for n in range(100):
            one = reports(texts(1, 20_000 + n), 20_000 + n)
            samples.append(ingest(factory, user, big, one, embedder) * 1000)
        samples.sort()
        print(
            f"(b) one report into an incident with 10,000: p50 {statistics.median(samples):.1f} ms,"
            f" p99 {samples[98]:.1f} ms (100 samples)"
        )

        tracemalloc.start()
        ingest(factory, user, big, reports(texts(1, 30_000), 30_000), embedder)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"(c) peak Python allocations of one add into 10,000: {peak / 1e6:.1f} MB; "
            f"process peak RSS over the run: {rss:.0f} MB (model included)"
        )


if __name__ == "__main__":
    main()
