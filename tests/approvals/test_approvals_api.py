"""Approve, edit, reject over HTTP: roles, transitions, staleness, guard overrides, audit."""

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from app.db import utcnow
from app.incidents.models import Incident
from tests.approvals.conftest import ETA_TEXT, GOOD_TEXT, Flow, MakeDraft


async def _audit(flow: Flow, incident_id: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = (await flow.get(f"/v1/incidents/{incident_id}/audit"))["events"]
    return events


async def test_approved_draft_is_published_once_by_the_worker(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    draft_id = make_draft(incident_id)
    response = await flow.approve(draft_id)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "approved"
    assert body["decided_by"] == "ic"
    assert [p["sink"] for p in body["publications"]] == ["file"]
    assert body["publications"][0]["state"] == "pending"

    assert flow.worker.drain() == 1
    assert flow.worker.drain() == 0
    draft = await flow.get(f"/v1/drafts/{draft_id}/publications")
    assert draft["publications"][0]["state"] == "delivered"
    assert draft["publications"][0]["attempts"] == 1
    lines = (flow.settings.data_dir / "published.jsonl").read_text().splitlines()
    assert len(lines) == 1
    published = json.loads(lines[0])
    assert published["text"] == GOOD_TEXT
    assert published["draft_id"] == draft_id
    assert published["approved_by"] == "ic"


@pytest.mark.parametrize(
    ("who", "status"),
    [("ic", 200), ("admin", 200), ("other_ic", 403), ("liaison", 403), ("viewer", 403)],
)
async def test_only_the_incident_commander_or_an_admin_approves(
    flow: Flow, make_draft: MakeDraft, who: str, status: int
) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.approve(draft_id, who=who)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"] == "Forbidden"


@pytest.mark.parametrize(
    ("who", "status"),
    [("ic", 200), ("admin", 200), ("other_ic", 403), ("liaison", 403), ("viewer", 403)],
)
async def test_only_the_incident_commander_or_an_admin_rejects(
    flow: Flow, make_draft: MakeDraft, who: str, status: int
) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.reject(draft_id, "too vague", who=who)
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["state"] == "rejected"
        assert response.json()["decision_reason"] == "too vague"


@pytest.mark.parametrize(
    ("who", "status"),
    [("liaison", 200), ("ic", 200), ("other_ic", 200), ("admin", 200), ("viewer", 403)],
)
async def test_writers_edit_and_viewers_only_read(
    flow: Flow, make_draft: MakeDraft, who: str, status: int
) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.edit(draft_id, GOOD_TEXT + " We apologise.", who=who)
    assert response.status_code == status, response.text
    revisions = await flow.get(f"/v1/drafts/{draft_id}/revisions")
    assert len(revisions["revisions"]) == (2 if status == 200 else 1)


async def test_unassigned_incident_is_approved_by_any_ic(flow: Flow, make_draft: MakeDraft) -> None:
    incident_id = int(str((await flow.api.create_incident())["id"]))
    draft_id = make_draft(incident_id)
    assert (await flow.approve(draft_id, who="other_ic")).status_code == 200


async def test_edit_keeps_the_old_revision_and_reruns_guards(
    flow: Flow, make_draft: MakeDraft
) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.edit(draft_id, ETA_TEXT)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["revision"] == 2
    assert body["text"] == ETA_TEXT
    assert body["state"] == "pending_approval"
    assert "eta" in {v["category"] for v in body["guard_report"]["violations"]}
    revisions = (await flow.get(f"/v1/drafts/{draft_id}/revisions"))["revisions"]
    assert [(r["number"], r["source"], r["author"]) for r in revisions] == [
        (1, "engine", "liaison"),
        (2, "edit", "liaison"),
    ]
    assert revisions[0]["text"] == GOOD_TEXT
    assert revisions[0]["guard_report"]["blocking"] is False


async def test_edit_with_the_same_text_makes_no_revision(flow: Flow, make_draft: MakeDraft) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.edit(draft_id, GOOD_TEXT)
    assert response.status_code == 200
    assert response.json()["revision"] == 1


async def test_blocking_violation_needs_an_override_reason(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    draft_id = make_draft(incident_id, text=ETA_TEXT)
    blocked = await flow.approve(draft_id)
    assert blocked.status_code == 409
    assert blocked.json()["error"] == "BlockedByGuards"
    assert blocked.json()["detail"]["categories"] == ["eta"]
    assert blocked.json()["detail"]["violations"][0]["text"].startswith("This will be fixed")

    approved = await flow.approve(draft_id, override_reason="the vendor committed to it")
    assert approved.status_code == 200, approved.text
    assert approved.json()["override_reason"] == "the vendor committed to it"
    event = [e for e in await _audit(flow, incident_id) if e["action"] == "draft.approved"][0]
    assert event["data"]["override_reason"] == "the vendor committed to it"
    assert event["data"]["overridden"] == ["eta"]


async def test_override_reason_is_not_recorded_when_nothing_blocks(
    flow: Flow, make_draft: MakeDraft
) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.approve(draft_id, override_reason="just in case")
    assert response.status_code == 200
    assert response.json()["override_reason"] is None


async def test_status_change_makes_the_draft_stale(flow: Flow, make_draft: MakeDraft) -> None:
    incident_id = await flow.incident()
    draft_id = make_draft(incident_id)
    changed = await flow.api.client.post(
        f"/v1/incidents/{incident_id}/status",
        json={"status": "identified"},
        headers=flow.api.auth("ic"),
    )
    assert changed.status_code == 200
    stale = await flow.approve(draft_id)
    assert stale.status_code == 409
    assert stale.json()["error"] == "StaleDraft"
    detail = stale.json()["detail"]
    assert detail["status_changed"] == {"from": "investigating", "to": "identified"}
    assert detail["new_messages"] == 1

    confirmed = await flow.approve(draft_id, confirm_stale=True)
    assert confirmed.status_code == 200, confirmed.text
    event = [e for e in await _audit(flow, incident_id) if e["action"] == "draft.approved"][0]
    assert event["data"]["stale_confirmed"]["status_changed"]["to"] == "identified"


async def test_new_transcript_messages_make_the_draft_stale(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    draft_id = make_draft(incident_id)
    messages = [
        {"at": utcnow().isoformat(), "author": "alice", "text": f"update {n}"} for n in range(3)
    ]
    appended = await flow.api.client.post(
        f"/v1/incidents/{incident_id}/transcript",
        json={"messages": messages},
        headers=flow.api.auth("liaison"),
    )
    assert appended.status_code == 201
    stale = await flow.approve(draft_id)
    assert stale.status_code == 409
    assert stale.json()["detail"]["new_messages"] == 3
    assert "status_changed" not in stale.json()["detail"]


async def test_messages_before_the_draft_do_not_make_it_stale(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    await flow.api.client.post(
        f"/v1/incidents/{incident_id}/transcript",
        json={"messages": [{"at": utcnow().isoformat(), "author": "a", "text": "SMS delayed"}]},
        headers=flow.api.auth("liaison"),
    )
    draft_id = make_draft(incident_id)
    assert (await flow.approve(draft_id)).status_code == 200


@pytest.mark.parametrize("first", ["approve", "reject"])
async def test_decided_draft_refuses_every_transition_naming_its_state(
    flow: Flow, make_draft: MakeDraft, first: str
) -> None:
    draft_id = make_draft(await flow.incident())
    done = await (flow.approve(draft_id) if first == "approve" else flow.reject(draft_id))
    assert done.status_code == 200
    state = done.json()["state"]
    for attempt in (flow.approve(draft_id), flow.reject(draft_id), flow.edit(draft_id, "x y z")):
        response = await attempt
        assert response.status_code == 409
        assert response.json()["error"] == "Conflict"
        assert f"is {state}" in response.json()["detail"]


async def test_published_draft_refuses_transitions(flow: Flow, make_draft: MakeDraft) -> None:
    draft_id = make_draft(await flow.incident())
    await flow.approve(draft_id)
    flow.worker.drain()
    response = await flow.reject(draft_id)
    assert response.status_code == 409
    assert "is published" in response.json()["detail"]


async def test_approving_a_newer_draft_supersedes_older_ones_of_the_channel(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    pending = make_draft(incident_id)
    approved = make_draft(incident_id)
    assert (await flow.approve(approved)).status_code == 200
    other_channel = make_draft(incident_id, channel="email")
    newer = make_draft(incident_id, text=GOOD_TEXT + " We apologise.")
    # The older approved draft is still unpublished (no worker ran): it gives way too.
    assert (await flow.approve(newer)).status_code == 200

    older = await flow.get(f"/v1/drafts/{approved}/publications")
    assert older["publications"][0]["state"] == "cancelled"
    assert (
        (await flow.approve(pending)).json()["detail"].startswith(f"draft {pending} is superseded")
    )
    assert (await flow.approve(other_channel)).status_code == 200
    flow.worker.drain()
    lines = (flow.settings.data_dir / "published.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["draft_id"] for line in lines) == [other_channel, newer]
    actions = [(e["action"], e["subject_id"]) for e in await _audit(flow, incident_id)]
    assert ("draft.superseded", str(pending)) in actions
    assert ("draft.superseded", str(approved)) in actions


async def test_every_transition_is_an_audit_event(flow: Flow, make_draft: MakeDraft) -> None:
    incident_id = await flow.incident()
    draft_id = make_draft(incident_id)
    await flow.edit(draft_id, GOOD_TEXT + " We apologise.")
    await flow.approve(draft_id)
    flow.worker.drain()
    events = [e for e in await _audit(flow, incident_id) if e["subject_type"] == "draft"]
    assert [(e["action"], e["actor"], e["data"]["from"], e["data"]["to"]) for e in events] == [
        ("draft.edited", "liaison", "pending_approval", "pending_approval"),
        ("draft.approved", "ic", "pending_approval", "approved"),
        ("draft.published", "publisher", "approved", "published"),
    ]
    assert len({e["data"]["text_sha256"] for e in events}) == 1
    assert all(len(e["data"]["text_sha256"]) == 64 for e in events)


async def test_publishing_moves_the_update_reminder(
    flow: Flow, make_draft: MakeDraft, session_factory: sessionmaker[Session]
) -> None:
    incident_id = await flow.incident(severity="SEV1")
    with session_factory() as session:
        session.execute(
            update(Incident)
            .where(Incident.id == incident_id)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
        session.commit()
    before = await flow.get(f"/v1/incidents/{incident_id}")
    assert before["update_overdue"] is True
    await flow.approve(make_draft(incident_id))
    assert (await flow.get(f"/v1/incidents/{incident_id}"))["update_overdue"] is True
    flow.worker.drain()
    after = await flow.get(f"/v1/incidents/{incident_id}")
    assert after["update_overdue"] is False
    assert after["last_customer_update_at"] is not None


async def test_diff_against_previous_revision_and_last_published(
    flow: Flow, make_draft: MakeDraft
) -> None:
    incident_id = await flow.incident()
    first = make_draft(incident_id, text="We are investigating delays to SMS notifications.")
    nothing = await flow.get(f"/v1/drafts/{first}/diff?against=published")
    assert nothing["base_text"] is None
    assert "+We are investigating" in nothing["diff"]
    await flow.approve(first)
    flow.worker.drain()

    second = make_draft(incident_id, text="We are investigating delays to SMS notifications.")
    await flow.edit(second, "We identified the cause of delays to SMS notifications.")
    previous = await flow.get(f"/v1/drafts/{second}/diff?against=previous")
    assert previous["base_revision"] == 1
    assert "-We are investigating delays to SMS notifications." in previous["diff"]
    assert "+We identified the cause of delays to SMS notifications." in previous["diff"]
    published = await flow.get(f"/v1/drafts/{second}/diff?against=published")
    assert published["base_draft_id"] == first
    assert "+We identified" in published["diff"]


async def test_unknown_draft_is_404(flow: Flow) -> None:
    for response in (
        await flow.approve(999999),
        await flow.api.client.get("/v1/drafts/999999/revisions", headers=flow.api.auth("viewer")),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "NotFound"


async def test_approve_rejects_unknown_fields(flow: Flow, make_draft: MakeDraft) -> None:
    draft_id = make_draft(await flow.incident())
    response = await flow.approve(draft_id, confirm=True)
    assert response.status_code == 422
