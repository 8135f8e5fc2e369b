"""The offline evaluation runner: replay recorded incidents through a fresh embedded service each.

Each incident gets its own SQLite file (copied from one migrated template), the real app over
`httpx.ASGITransport` inside its lifespan, and two principals (an IC and a liaison). Results are
collected in file order whatever the completion order, so runs are comparable.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from evals.dataset import Checkpoint, RecordedIncident
from evals.replay import (
    ApiError,
    Draft,
    DraftingUnavailable,
    LiaisonApi,
    Step,
    plan,
    remaining_reports,
    report_external_id,
)
from evals.scorers import (
    CaseScores,
    Embedder,
    GroupingScores,
    failed_case,
    score_draft,
    score_grouping,
    similarities,
)

IC_NAME = "eval-ic"
LIAISON_NAME = "eval-liaison"
SEED = 20260301

Drafter = Callable[[LiaisonApi, int, Checkpoint, str, "str | None"], Awaitable[Draft]]
BeforeDraft = Callable[[LiaisonApi, int, Step], Awaitable[None]]


async def request_draft(
    api: LiaisonApi, incident_id: int, checkpoint: Checkpoint, locale: str, model: str | None
) -> Draft:
    """The real drafter: POST /v1/incidents/{id}/drafts."""
    return await api.request_draft(incident_id, checkpoint.channel, locale, model)


@dataclass
class CaseResult:
    """One checkpoint: what was asked, what came back, and its scores."""

    incident_id: str
    checkpoint_at: datetime
    channel: str
    locale: str
    expected_status: str
    reference: str | None
    text: str | None
    guard_report: dict[str, Any]
    fallback_used: bool
    draft: dict[str, Any]
    scores: CaseScores
    visible_messages: int
    visible_reports: int
    error: str | None = None


@dataclass
class IncidentRun:
    """Everything one incident's replay produced."""

    incident: RecordedIncident
    cases: list[CaseResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The signal each report joined, by report index (None: none); None when not measured.
    report_signals: list[str | None] | None = None
    grouping: GroupingScores | None = None


def migrated_template(directory: Path) -> Path:
    """One migrated SQLite file; each incident starts from a copy (migrating is the slow part)."""
    from app.db import run_migrations

    path = directory / "template.db"
    run_migrations(f"sqlite:///{path}")
    return path


@asynccontextmanager
async def embedded_service(database: Path, data_dir: Path) -> AsyncIterator[LiaisonApi]:
    """The real app on its own database, inside its lifespan, with an IC and a liaison token."""
    from app.auth import create_token
    from app.config import Settings
    from app.db import create_db_engine, create_session_factory
    from app.main import create_app

    url = f"sqlite:///{database}"
    engine = create_db_engine(url)
    try:
        with create_session_factory(engine)() as session, session.begin():
            ic_token = create_token(session, name=IC_NAME, role="ic")
            liaison_token = create_token(session, name=LIAISON_NAME, role="liaison")
    finally:
        engine.dispose()
    app = create_app(Settings(database_url=url, data_dir=data_dir))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=transport, base_url="http://liaison.eval", timeout=120
        ) as client:
            yield LiaisonApi(client=client, liaison_token=liaison_token, ic_token=ic_token)


async def replay_incident(
    api: LiaisonApi,
    incident: RecordedIncident,
    *,
    model: str | None = None,
    drafter: Drafter = request_draft,
    before_draft: BeforeDraft | None = None,
    on_checkpoint: Callable[[], None] = lambda: None,
) -> IncidentRun:
    """Replay one incident checkpoint by checkpoint, drafting and scoring at each."""
    run = IncidentRun(incident)
    created = await api.create_incident(incident, IC_NAME)
    incident_id = int(created["id"])
    status = str(created["status"])
    if incident.catalog:
        await api.put_catalog(incident_id, incident)
    messages_seen = reports_seen = 0
    for step in plan(incident):
        await api.append_messages(incident_id, incident, step.messages)
        await api.append_reports(incident_id, incident, step.reports)
        messages_seen += len(step.messages)
        reports_seen += len(step.reports)
        if step.status is not None:
            status = await api.set_status(incident_id, status, step.status)
        if before_draft is not None:
            await before_draft(api, incident_id, step)
        run.cases.append(await _draft_and_score(api, incident, incident_id, step, model, drafter))
        run.cases[-1].visible_messages = messages_seen
        run.cases[-1].visible_reports = reports_seen
        on_checkpoint()
    if incident.reports:
        await api.append_reports(incident_id, incident, remaining_reports(incident))
        if api.reports_supported:
            signals = await api.signals(incident_id)
            if signals is not None:
                run.report_signals = assign_reports(incident, signals)
                run.grouping = score_grouping(
                    [report.group for report in incident.reports], run.report_signals
                )
    run.notes.extend(api.notes)
    return run


async def _draft_and_score(
    api: LiaisonApi,
    incident: RecordedIncident,
    incident_id: int,
    step: Step,
    model: str | None,
    drafter: Drafter,
) -> CaseResult:
    checkpoint = step.checkpoint
    base = {
        "incident_id": incident.id,
        "checkpoint_at": checkpoint.at,
        "channel": checkpoint.channel,
        "locale": incident.locale,
        "expected_status": checkpoint.expect.status,
        "reference": checkpoint.reference,
        "visible_messages": 0,
        "visible_reports": 0,
    }
    try:
        draft = await drafter(api, incident_id, checkpoint, incident.locale, model)
    except DraftingUnavailable:
        raise
    except ApiError as error:
        return CaseResult(
            **base,  # type: ignore[arg-type]
            text=None,
            guard_report={},
            fallback_used=False,
            draft={},
            scores=failed_case(),
            error=str(error),
        )
    scores = score_draft(
        text=draft.text,
        locale=incident.locale,
        channel=checkpoint.channel,
        expect=checkpoint.expect,
        guard_report=draft.guard_report,
        fallback_used=draft.fallback_used,
        latency_ms=draft.latency_ms,
    )
    return CaseResult(
        **base,  # type: ignore[arg-type]
        text=draft.text,
        guard_report=draft.guard_report,
        fallback_used=draft.fallback_used,
        draft={key: draft.body.get(key) for key in ("id", "state", "model", "channel", "locale")},
        scores=scores,
    )


def _member_keys(item: Any) -> list[str]:
    if isinstance(item, dict):
        return [str(item[key]) for key in ("external_id", "id", "text") if item.get(key)]
    return [str(item)]


def assign_reports(
    incident: RecordedIncident, signals: Sequence[dict[str, Any]]
) -> list[str | None]:
    """The signal each recorded report joined, matched by external_id, then id, then text.

    Signals list their members under `reports`, `report_ids`, `members` or (at least) `examples`;
    when only examples are listed, reports not shown as an example count as in no signal.
    """
    by_key: dict[str, str] = {}
    for position, signal in enumerate(signals):
        label = str(signal.get("id", position))
        for key in ("reports", "report_ids", "members", "examples"):
            for item in signal.get(key) or []:
                for member in _member_keys(item):
                    by_key.setdefault(member, label)
    assigned: list[str | None] = []
    for index, report in enumerate(incident.reports):
        external_id = report_external_id(incident, index)
        assigned.append(by_key.get(external_id) or by_key.get(report.text))
    return assigned


@dataclass
class RunResult:
    """A whole run: every incident's cases, and how long it took."""

    runs: list[IncidentRun]
    started_at: datetime
    wall_seconds: float
    model: str | None
    seed: int

    @property
    def cases(self) -> list[CaseResult]:
        return [case for run in self.runs for case in run.cases]


def seed_everything(seed: int) -> None:
    """Seed every random source a draft could depend on."""
    import numpy as np

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def run_incidents(
    incidents: Sequence[RecordedIncident],
    *,
    model: str | None = None,
    jobs: int = 1,
    embedder: Embedder | None = None,
    drafter: Drafter = request_draft,
    on_checkpoint: Callable[[], None] = lambda: None,
    seed: int = SEED,
) -> RunResult:
    """Replay every incident (in threads when jobs > 1), then score similarity in one batch."""
    seed_everything(seed)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="liaison-eval-") as scratch:
        root = Path(scratch)
        template = migrated_template(root)

        def one(position: int, incident: RecordedIncident) -> IncidentRun:
            directory = root / f"{position:04d}"
            directory.mkdir()
            database = directory / "liaison.db"
            shutil.copyfile(template, database)

            async def go() -> IncidentRun:
                async with embedded_service(database, directory / "var") as api:
                    return await replay_incident(
                        api, incident, model=model, drafter=drafter, on_checkpoint=on_checkpoint
                    )

            return asyncio.run(go())

        if jobs <= 1:
            runs = [one(position, incident) for position, incident in enumerate(incidents)]
        else:
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="eval") as pool:
                futures = [pool.submit(one, pos, inc) for pos, inc in enumerate(incidents)]
                runs = [future.result() for future in futures]
    _score_similarity(runs, embedder)
    return RunResult(runs, started_at, time.perf_counter() - started, model, seed)


def _score_similarity(runs: Sequence[IncidentRun], embedder: Embedder | None) -> None:
    scored = [
        case
        for run in runs
        for case in run.cases
        if case.reference and case.text is not None and case.error is None
    ]
    if not scored:
        return
    if embedder is None:
        from evals.scorers import SentenceEmbedder

        embedder = SentenceEmbedder()
    values = similarities(embedder, [(case.text or "", case.reference or "") for case in scored])
    for case, value in zip(scored, values, strict=True):
        case.scores.similarity = round(value, 4)
