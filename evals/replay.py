"""Replaying a recorded incident through the public HTTP API.

The plan (what becomes visible at each checkpoint) is pure; `LiaisonApi` makes the calls. Both the
offline runner (embedded app over ASGI) and `liaison replay` (a running service) use them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from evals.dataset import (
    Checkpoint,
    RecordedIncident,
    ReportEntry,
    Status,
    TranscriptEntry,
)

TRANSCRIPT_BATCH = 500


@dataclass(frozen=True)
class Step:
    """What the liaison sees new at one checkpoint, and the status the IC has set by then."""

    checkpoint: Checkpoint
    messages: tuple[tuple[int, TranscriptEntry], ...]
    reports: tuple[tuple[int, ReportEntry], ...]
    status: Status | None


def plan(incident: RecordedIncident) -> list[Step]:
    """Checkpoints in time order with the transcript and reports that became visible since the last.

    Only entries whose `at` is at or before the checkpoint are visible (DESIGN.md); each entry keeps
    its index in the file, which makes its external_id.
    """
    steps: list[Step] = []
    shown_messages: set[int] = set()
    shown_reports: set[int] = set()
    status: Status | None = None
    for checkpoint in sorted(incident.checkpoints, key=lambda c: c.at):
        messages = tuple(
            (index, entry)
            for index, entry in enumerate(incident.transcript)
            if entry.at <= checkpoint.at and index not in shown_messages
        )
        reports = tuple(
            sorted(
                (
                    (index, report)
                    for index, report in enumerate(incident.reports)
                    if report.at <= checkpoint.at and index not in shown_reports
                ),
                key=lambda pair: (pair[1].at, pair[0]),
            )
        )
        shown_messages.update(index for index, _ in messages)
        shown_reports.update(index for index, _ in reports)
        for _, entry in messages:
            if entry.kind == "status-change":
                status = entry.status
        steps.append(Step(checkpoint, messages, reports, status))
    return steps


def remaining_reports(incident: RecordedIncident) -> list[tuple[int, ReportEntry]]:
    """Reports after the last checkpoint (still needed to score grouping over every report)."""
    last = max((c.at for c in incident.checkpoints), default=None)
    late = [
        (index, report)
        for index, report in enumerate(incident.reports)
        if last is None or report.at > last
    ]
    return sorted(late, key=lambda pair: (pair[1].at, pair[0]))


def message_external_id(incident: RecordedIncident, index: int) -> str:
    """Stable external id of a transcript message, so re-sent batches are idempotent."""
    return f"{incident.id}/transcript/{index}"


def report_external_id(incident: RecordedIncident, index: int) -> str:
    """Stable external id of a customer report; grouping results map back through it."""
    return f"{incident.id}/reports/{index}"


class ApiError(RuntimeError):
    """The service answered a replay call with an unexpected status."""

    def __init__(self, call: str, response: httpx.Response) -> None:
        super().__init__(f"{call}: HTTP {response.status_code}: {response.text[:500]}")
        self.status_code = response.status_code


class DraftingUnavailable(ApiError):
    """The service has no drafting endpoint (POST /v1/incidents/{id}/drafts answers 404/405)."""


def _route_missing(response: httpx.Response) -> bool:
    # An unknown path keeps Starlette's bare "Not Found" detail (whatever the error envelope);
    # our own NotFound errors say what is missing ("incident 7 not found: ...").
    if response.status_code == 405:
        return True
    if response.status_code != 404:
        return False
    try:
        body = response.json()
    except ValueError:
        return True
    return not isinstance(body, dict) or body.get("detail") == "Not Found"


@dataclass
class Draft:
    """A draft as the service returned it, and how long the request took."""

    body: dict[str, Any]
    latency_ms: float

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def guard_report(self) -> dict[str, Any]:
        report = self.body.get("guard_report") or {}
        return dict(report)

    @property
    def fallback_used(self) -> bool:
        return bool(self.body.get("fallback_used", False))


@dataclass
class LiaisonApi:
    """The replay's view of the HTTP API: a client, a liaison token and an IC token."""

    client: httpx.AsyncClient
    liaison_token: str
    ic_token: str
    notes: list[str] = field(default_factory=list)
    reports_supported: bool | None = None

    def _headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def _post(self, path: str, body: dict[str, Any], token: str) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self._headers(token))

    async def create_incident(self, incident: RecordedIncident, ic: str | None) -> dict[str, Any]:
        """Open the incident (status investigating) with the recorded title and locale."""
        body: dict[str, Any] = {"title": incident.title, "locale": incident.locale}
        if ic is not None:
            body["ic"] = ic
        response = await self._post("/v1/incidents", body, self.liaison_token)
        if response.status_code != 201:
            raise ApiError("POST /v1/incidents", response)
        created: dict[str, Any] = response.json()
        return created

    async def put_catalog(self, incident_id: int, incident: RecordedIncident) -> None:
        """Replace the incident's own service catalog with the recorded one."""
        body = {
            "components": [
                {"component": entry.component, "internal": list(entry.internal)}
                for entry in incident.catalog
            ],
            "people": [],
        }
        path = f"/v1/incidents/{incident_id}/catalog"
        response = await self.client.put(path, json=body, headers=self._headers(self.liaison_token))
        if response.status_code != 200:
            raise ApiError(f"PUT {path}", response)

    async def append_messages(
        self,
        incident_id: int,
        incident: RecordedIncident,
        messages: Sequence[tuple[int, TranscriptEntry]],
    ) -> None:
        """Append transcript messages in batches, each with its stable external_id."""
        path = f"/v1/incidents/{incident_id}/transcript"
        for start in range(0, len(messages), TRANSCRIPT_BATCH):
            batch = []
            for index, entry in messages[start : start + TRANSCRIPT_BATCH]:
                item: dict[str, Any] = {
                    "at": entry.at.isoformat(),
                    "author": entry.author,
                    "text": entry.text,
                    "kind": entry.kind,
                    "external_id": message_external_id(incident, index),
                }
                if entry.status is not None:
                    item["status"] = entry.status
                batch.append(item)
            response = await self._post(path, {"messages": batch}, self.liaison_token)
            if response.status_code != 201:
                raise ApiError(f"POST {path}", response)

    async def append_reports(
        self,
        incident_id: int,
        incident: RecordedIncident,
        reports: Sequence[tuple[int, ReportEntry]],
    ) -> bool:
        """Append customer reports; False (with a note, once) when the service has no such route."""
        if not reports or self.reports_supported is False:
            return bool(reports) and bool(self.reports_supported)
        path = f"/v1/incidents/{incident_id}/reports"
        batch = []
        for index, report in reports:
            item: dict[str, Any] = {
                "at": report.at.isoformat(),
                "source": report.source,
                "text": report.text,
                "external_id": report_external_id(incident, index),
            }
            if report.customer is not None:
                item["customer"] = report.customer
            batch.append(item)
        response = await self._post(path, {"reports": batch}, self.liaison_token)
        if _route_missing(response):
            self.reports_supported = False
            self.notes.append(
                f"customer reports skipped: POST {path} answered {response.status_code} "
                "(the reports endpoint is not available in this service)"
            )
            return False
        if response.status_code not in (200, 201):
            raise ApiError(f"POST {path}", response)
        self.reports_supported = True
        return True

    async def set_status(self, incident_id: int, current: str, status: Status) -> str:
        """Apply a status as the IC would; leaving 'resolved' (or going back) reopens."""
        if status == current:
            return current
        body: dict[str, Any] = {"status": status}
        if current == "resolved":
            body["reopen"] = True
        path = f"/v1/incidents/{incident_id}/status"
        response = await self._post(path, body, self.ic_token)
        if response.status_code != 200:
            raise ApiError(f"POST {path}", response)
        return str(response.json()["status"])

    async def request_draft(
        self, incident_id: int, channel: str, locale: str, model: str | None
    ) -> Draft:
        """Ask for a draft and time the request."""
        body: dict[str, Any] = {"channel": channel, "locale": locale}
        if model is not None:
            body["model"] = model
        path = f"/v1/incidents/{incident_id}/drafts"
        started = time.perf_counter()
        response = await self._post(path, body, self.liaison_token)
        latency_ms = (time.perf_counter() - started) * 1000
        if _route_missing(response):
            raise DraftingUnavailable(f"POST {path}", response)
        if response.status_code != 201:
            raise ApiError(f"POST {path}", response)
        return Draft(response.json(), latency_ms)

    async def signals(self, incident_id: int) -> list[dict[str, Any]] | None:
        """The incident's impact signals, or None (with a note) when the route does not exist."""
        path = f"/v1/incidents/{incident_id}/signals"
        response = await self.client.get(path, headers=self._headers(self.liaison_token))
        if _route_missing(response):
            self.notes.append(f"grouping skipped: GET {path} answered {response.status_code}")
            return None
        if response.status_code != 200:
            raise ApiError(f"GET {path}", response)
        signals = response.json().get("signals", [])
        return list(signals)


Sleep = Callable[[float], Awaitable[None]]
Say = Callable[[str], None]


def _timeline(
    incident: RecordedIncident,
) -> list[tuple[datetime, int, str, int]]:
    """Messages, reports and checkpoints as (at, order, kind, index), in time order."""
    events: list[tuple[datetime, int, str, int]] = []
    events += [(entry.at, 0, "message", i) for i, entry in enumerate(incident.transcript)]
    events += [(report.at, 1, "report", i) for i, report in enumerate(incident.reports)]
    events += [(cp.at, 2, "checkpoint", i) for i, cp in enumerate(incident.checkpoints)]
    return sorted(events, key=lambda event: (event[0], event[1], event[3]))


async def replay_live(
    api: LiaisonApi,
    incident: RecordedIncident,
    *,
    speed: float,
    ic: str | None,
    drafts: bool = True,
    model: str | None = None,
    sleep: Sleep = asyncio.sleep,
    say: Say = print,
) -> int:
    """Replay one incident against a service, sleeping the recorded gaps divided by `speed`."""
    created = await api.create_incident(incident, ic)
    incident_id = int(created["id"])
    status = str(created.get("status", "investigating"))
    say(f"incident {incident_id} opened: {incident.title}")
    if incident.catalog:
        await api.put_catalog(incident_id, incident)
    previous: datetime | None = None
    for at, _, kind, index in _timeline(incident):
        if previous is not None and speed > 0:
            gap = (at - previous).total_seconds() / speed
            if gap > 0:
                await sleep(gap)
        previous = at
        stamp = at.strftime("%H:%M:%S")
        if kind == "message":
            entry = incident.transcript[index]
            await api.append_messages(incident_id, incident, [(index, entry)])
            say(f"{stamp} {entry.author}: {entry.text[:100]}")
            if entry.kind == "status-change" and entry.status is not None:
                try:
                    status = await api.set_status(incident_id, status, entry.status)
                    say(f"{stamp} status -> {status}")
                except ApiError as error:
                    say(f"{stamp} status change to {entry.status} refused: {error}")
        elif kind == "report":
            report = incident.reports[index]
            if await api.append_reports(incident_id, incident, [(index, report)]):
                say(f"{stamp} report ({report.source}): {report.text[:100]}")
        elif drafts:
            checkpoint = incident.checkpoints[index]
            try:
                draft = await api.request_draft(
                    incident_id, checkpoint.channel, incident.locale, model
                )
            except ApiError as error:
                say(f"{stamp} draft ({checkpoint.channel}) failed: {error}")
                continue
            say(
                f"{stamp} draft ({checkpoint.channel}, {draft.latency_ms:.0f} ms): "
                f"{draft.text[:160]}"
            )
    for note in api.notes:
        say(f"note: {note}")
    return incident_id
