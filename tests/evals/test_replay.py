"""Replaying recorded incidents: visibility per checkpoint, embedded service, live replay."""

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from evals.dataset import Checkpoint, RecordedIncident, load_incident
from evals.replay import Draft, LiaisonApi, Step, plan, remaining_reports, replay_live
from evals.runner import embedded_service, migrated_template, replay_incident

T = "2026-03-03T10:{:02d}:00Z"


def small_incident(**changes: Any) -> RecordedIncident:
    data: dict[str, Any] = {
        "id": "small",
        "title": "Delayed SMS notifications",
        "locale": "en",
        "catalog": [{"component": "Notifications", "internal": ["notif-out"]}],
        "transcript": [
            {"at": T.format(1), "author": "ann", "text": "notif-out lag rising"},
            {
                "at": T.format(2),
                "author": "ann",
                "kind": "status-change",
                "status": "investigating",
                "text": "investigating",
            },
            {"at": T.format(5), "author": "bob", "text": "found it: bad config"},
            {
                "at": T.format(6),
                "author": "bob",
                "kind": "status-change",
                "status": "identified",
                "text": "identified",
            },
            {"at": T.format(9), "author": "ann", "text": "after the last checkpoint"},
        ],
        "reports": [
            {"at": T.format(4), "source": "ticket", "text": "no SMS", "group": "sms"},
            {"at": T.format(3), "source": "chat", "text": "SMS late", "group": "sms"},
            {"at": T.format(8), "source": "email", "text": "invoice please"},
        ],
        "checkpoints": [
            {
                "at": T.format(3),
                "channel": "statuspage",
                "expect": {
                    "status": "investigating",
                    "must_mention": [["SMS"]],
                    "forbidden": ["notif-out"],
                },
                "reference": "We are investigating delays to SMS.",
            },
            {
                "at": T.format(6),
                "channel": "social",
                "expect": {"status": "identified", "must_mention": [["SMS"]]},
                "reference": "We have identified the cause of delayed SMS.",
            },
        ],
    }
    data.update(changes)
    return RecordedIncident.model_validate(data)


def test_plan_shows_only_entries_at_or_before_each_checkpoint() -> None:
    first, second = plan(small_incident())
    assert [entry.at.minute for _, entry in first.messages] == [1, 2]
    assert [report.at.minute for _, report in first.reports] == [3]
    assert [entry.at.minute for _, entry in second.messages] == [5, 6]
    assert [report.at.minute for _, report in second.reports] == [4]


def test_plan_status_is_the_last_visible_status_change() -> None:
    assert [step.status for step in plan(small_incident())] == ["investigating", "identified"]


def test_reports_after_the_last_checkpoint_are_sent_for_grouping_only() -> None:
    assert [index for index, _ in remaining_reports(small_incident())] == [2]


def test_plan_of_every_recorded_incident_respects_visibility() -> None:
    incidents_dir = Path(__file__).resolve().parents[2] / "evals" / "incidents"
    for path in sorted(incidents_dir.glob("*.yaml")):
        incident = load_incident(path)
        for step in plan(incident):
            assert all(entry.at <= step.checkpoint.at for _, entry in step.messages)
            assert all(report.at <= step.checkpoint.at for _, report in step.reports)


async def _perfect_drafter(
    api: LiaisonApi, incident_id: int, checkpoint: Checkpoint, locale: str, model: str | None
) -> Draft:
    body = {
        "id": 1,
        "state": "pending_approval",
        "text": checkpoint.reference or "",
        "channel": checkpoint.channel,
        "locale": locale,
        "guard_report": {"blocking": False, "violations": []},
        "fallback_used": False,
    }
    return Draft(body, latency_ms=5.0)


async def test_embedded_replay_shows_the_service_only_what_is_visible(tmp_path: Path) -> None:
    incident = small_incident()
    seen: list[tuple[datetime, list[datetime], str]] = []

    async def inspect(api: LiaisonApi, incident_id: int, step: Step) -> None:
        headers = {"Authorization": f"Bearer {api.liaison_token}"}
        transcript = await api.client.get(
            f"/v1/incidents/{incident_id}/transcript", headers=headers
        )
        current = await api.client.get(f"/v1/incidents/{incident_id}", headers=headers)
        recorded = [
            datetime.fromisoformat(m["at"])
            for m in transcript.json()["messages"]
            if m["external_id"] is not None
        ]
        seen.append((step.checkpoint.at, recorded, current.json()["status"]))

    database = tmp_path / "liaison.db"
    database.write_bytes(migrated_template(tmp_path).read_bytes())
    async with embedded_service(database, tmp_path / "var") as api:
        run = await replay_incident(api, incident, drafter=_perfect_drafter, before_draft=inspect)
    assert [len(times) for _, times, _ in seen] == [2, 4]
    assert all(at <= checkpoint for checkpoint, times, _ in seen for at in times)
    assert [status for _, _, status in seen] == ["investigating", "identified"]
    assert [case.visible_reports for case in run.cases] == [1, 2]
    assert all(case.scores.status_ok and not case.scores.leak for case in run.cases)


async def test_live_replay_sleeps_the_scaled_gaps(tmp_path: Path) -> None:
    incident = small_incident(checkpoints=[])
    slept: list[float] = []
    lines: list[str] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    database = tmp_path / "liaison.db"
    database.write_bytes(migrated_template(tmp_path).read_bytes())
    async with embedded_service(database, tmp_path / "var") as api:
        await replay_live(api, incident, speed=60, ic="eval-ic", sleep=sleep, say=lines.append)
        headers = {"Authorization": f"Bearer {api.liaison_token}"}
        current = await api.client.get("/v1/incidents/1", headers=headers)
    # Events at minutes 1,2,3,4,5,6,8,9: each minute of recorded time is one second at 60x.
    assert slept == pytest.approx([1, 1, 1, 1, 1, 2, 1])
    assert current.json()["status"] == "identified"
    assert any("status -> identified" in line for line in lines)


def test_replay_command_rejects_a_bad_file(tmp_path: Path) -> None:
    from app.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    assert main(["replay", str(bad), "--url", "http://127.0.0.1:9", "--token", "t"]) == 2


def test_reports_route_missing_is_skipped_with_a_note() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": "NotFound", "detail": "Not Found"})

    async def go() -> tuple[bool, list[str]]:
        transport = httpx.MockTransport(handler)
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
            api = LiaisonApi(client, "l", "i")
            incident = small_incident()
            sent = await api.append_reports(1, incident, [(0, incident.reports[0])])
            return sent, api.notes

    import asyncio

    sent, notes = asyncio.run(go())
    assert not sent
    assert "reports endpoint is not available" in notes[0]
