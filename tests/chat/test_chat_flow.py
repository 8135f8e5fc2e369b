"""End to end over HTTP: events -> /liaison draft -> buttons -> approve -> published in chat."""

import json
import time
from typing import Any

from app.publishing.worker import Worker
from tests.chat.conftest import BOT_TOKEN, CHANNEL, Chat


def _ts(offset: float = 0.0) -> str:
    return f"{time.time() - 600 + offset:.6f}"


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def _action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def _incident_with_transcript(chat: Chat) -> int:
    answer = await chat.command("start Delayed SMS notifications", who="ic")
    assert answer["response_type"] == "in_channel"
    incident_id = int(answer["text"].split("#", 1)[1].split(" ", 1)[0])
    for number, text in enumerate(
        [
            "customers report SMS notifications delayed by up to 10 minutes since 10:05",
            "email notifications are not affected",
        ]
    ):
        response = await chat.say(text, ts=_ts(number), event_id=f"Ev{number}")
        assert response.status_code == 200, response.text
    return incident_id


async def _draft(chat: Chat) -> tuple[int, dict[str, Any]]:
    answer = await chat.command("draft statuspage en")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Drafting a statuspage message")
    posted = chat.slack.of("chat.postMessage")[-1].body
    draft_id = int(posted["blocks"][0]["text"]["text"].split("#", 1)[1].split("*", 1)[0])
    return draft_id, posted


async def test_events_draft_approve_publish_updates_the_channel_message(
    chat: Chat, worker: Worker
) -> None:
    incident_id = await _incident_with_transcript(chat)
    transcript = await chat.api.client.get(
        f"/v1/incidents/{incident_id}/transcript", headers=chat.api.auth("viewer")
    )
    assert [m["author"] for m in transcript.json()["messages"]] == ["liaison", "liaison"]

    draft_id, posted = await _draft(chat)
    assert posted["channel"] == CHANNEL
    assert "link_names" not in posted
    assert _action_ids(posted["blocks"]) == [
        "liaison.draft.approve",
        "liaison.draft.edit",
        "liaison.draft.reject",
    ]
    assert chat.slack.of("chat.postMessage")[-1].authorization == f"Bearer {BOT_TOKEN}"
    draft = (
        await chat.api.client.get(f"/v1/drafts/{draft_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert draft["state"] == "pending_approval"
    assert draft["text"].splitlines()[0] in _texts(posted["blocks"])

    # A liaison may not approve: a private answer, nothing changes.
    response = await chat.click("liaison.draft.approve", draft_id, who="liaison")
    assert response.status_code == 200
    private = chat.slack.of("chat.postEphemeral")[-1].body
    assert private["user"] == "ULIAISON"
    assert private["text"].startswith("Only the incident's IC can approve")
    assert chat.slack.of("chat.update") == []

    response = await chat.click("liaison.draft.approve", draft_id, who="ic")
    assert response.status_code == 200
    update = chat.slack.of("chat.update")[-1].body
    assert update["ts"] == posted_ts(chat)
    assert "Approved" in _texts(update["blocks"])
    assert "Publishing to: file, chat" in _texts(update["blocks"])
    assert _action_ids(update["blocks"]) == []

    assert worker.drain() == 2
    notice = chat.slack.of("chat.postMessage")[-1].body
    assert notice["channel"] == CHANNEL
    assert notice["text"].startswith(":mega: Published draft")
    final = chat.slack.of("chat.update")[-1].body
    assert "Published to: file, chat" in _texts(final["blocks"])
    draft = (
        await chat.api.client.get(f"/v1/drafts/{draft_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert draft["state"] == "published"
    assert draft["decided_by"] == "ic"
    assert {p["sink"]: p["state"] for p in draft["publications"]} == {
        "file": "delivered",
        "chat": "delivered",
    }

    audit = (
        await chat.api.client.get(
            f"/v1/incidents/{incident_id}/audit?limit=500", headers=chat.api.auth("viewer")
        )
    ).json()["events"]
    approved = [e for e in audit if e["action"] == "chat.draft_approved"]
    assert approved[0]["actor"] == "ic"
    assert approved[0]["data"]["chat_user_id"] == "UIC"
    refused = [e for e in audit if e["action"] == "chat.refused"]
    assert refused[0]["data"]["chat_user_id"] == "ULIAISON"


def posted_ts(chat: Chat) -> str:
    """The ts the fake Web API gave the first draft message."""
    return str(chat.slack.of("chat.update")[-1].body["ts"])


async def test_edit_opens_a_modal_and_a_submission_makes_a_guarded_revision(chat: Chat) -> None:
    await _incident_with_transcript(chat)
    draft_id, _ = await _draft(chat)

    response = await chat.click("liaison.draft.edit", draft_id, who="liaison")
    assert response.status_code == 200
    view = chat.slack.of("views.open")[-1].body
    assert view["trigger_id"] == "12466734323.1395872398.trigger"
    assert view["view"]["callback_id"] == "liaison.draft.edit"

    eta = "We are investigating delayed SMS notifications. This will be fixed within 10 minutes."
    response = await chat.submit_edit(draft_id, eta)
    assert response.status_code == 200
    assert response.json() == {}
    draft = (
        await chat.api.client.get(f"/v1/drafts/{draft_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert (draft["revision"], draft["text"]) == (2, eta)
    assert "eta" in {v["category"] for v in draft["guard_report"]["violations"]}
    update = chat.slack.of("chat.update")[-1].body
    assert "revision 2" in _texts(update["blocks"])
    assert "*eta*" in _texts(update["blocks"])

    # Blocking violations: approving from chat explains what to do, privately.
    await chat.click("liaison.draft.approve", draft_id, who="ic")
    private = chat.slack.of("chat.postEphemeral")[-1].body["text"]
    assert "blocking guard violations (eta)" in private


async def test_viewer_cannot_edit_and_the_modal_reports_errors(chat: Chat) -> None:
    await _incident_with_transcript(chat)
    draft_id, _ = await _draft(chat)
    response = await chat.submit_edit(draft_id, "Hello", who="viewer")
    assert response.json()["response_action"] == "errors"
    assert "read-only" in response.json()["errors"]["draft_text"]


async def test_ic_rejects_and_the_message_loses_its_buttons(chat: Chat) -> None:
    await _incident_with_transcript(chat)
    draft_id, _ = await _draft(chat)
    await chat.click("liaison.draft.reject", draft_id, who="other_ic")  # not this incident's IC
    assert (
        chat.slack.of("chat.postEphemeral")[-1]
        .body["text"]
        .startswith("Only the incident's IC can reject")
    )
    await chat.click("liaison.draft.reject", draft_id, who="ic")
    update = chat.slack.of("chat.update")[-1].body
    assert "Rejected" in _texts(update["blocks"])
    assert _action_ids(update["blocks"]) == []
    draft = (
        await chat.api.client.get(f"/v1/drafts/{draft_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert draft["state"] == "rejected"


async def test_stale_draft_asks_before_approving(chat: Chat) -> None:
    await _incident_with_transcript(chat)
    draft_id, _ = await _draft(chat)
    await chat.say("push notifications are delayed too", ts=_ts(30), event_id="EvLate")

    await chat.click("liaison.draft.approve", draft_id, who="ic")
    prompt = chat.slack.of("chat.postEphemeral")[-1].body
    assert "is stale" in prompt["text"]
    assert "1 new transcript message" in prompt["text"]
    assert _action_ids(prompt["blocks"]) == ["liaison.draft.approve_stale"]

    await chat.click("liaison.draft.approve_stale", draft_id, who="ic")
    draft = (
        await chat.api.client.get(f"/v1/drafts/{draft_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert draft["state"] == "approved"


async def test_status_is_for_the_ic_only(chat: Chat) -> None:
    incident_id = await _incident_with_transcript(chat)
    answer = await chat.command("status identified", who="liaison")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("Only the incident's IC can change the status")
    answer = await chat.command("status identified", who="ic")
    assert answer["response_type"] == "in_channel"
    assert "*identified*" in answer["text"]
    incident = (
        await chat.api.client.get(f"/v1/incidents/{incident_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert incident["status"] == "identified"
