"""Slash commands, events ingestion, signal announcements and the chat-user link."""

import time
from datetime import UTC, datetime

from tests.chat.conftest import CHANNEL, Chat


def _ts(offset: float = 0.0) -> str:
    return f"{time.time() - 600 + offset:.6f}"


async def _transcript(chat: Chat, incident_id: int) -> list[dict[str, object]]:
    response = await chat.api.client.get(
        f"/v1/incidents/{incident_id}/transcript", headers=chat.api.auth("viewer")
    )
    messages: list[dict[str, object]] = response.json()["messages"]
    return messages


async def _start(chat: Chat) -> int:
    answer = await chat.command("start Delayed SMS notifications", who="ic")
    return int(answer["text"].split("#", 1)[1].split(" ", 1)[0])


async def test_help_unknown_and_unlinked_users_answer_privately(chat: Chat) -> None:
    assert (await chat.command(""))["text"].startswith("*Liaison*")
    unknown = await chat.command("frobnicate now")
    assert unknown["response_type"] == "ephemeral"
    assert "Unknown command `frobnicate`" in unknown["text"]
    stranger = await chat.command("start Outage", who="UNOBODY")
    assert stranger["response_type"] == "ephemeral"
    assert "liaison chat link --name <principal> --chat-user UNOBODY" in stranger["text"]
    bad_option = await chat.command("draft tweet")
    assert "unknown option `tweet`" in bad_option["text"]


async def test_start_links_the_channel_and_names_the_ic(chat: Chat) -> None:
    incident_id = await _start(chat)
    incident = (
        await chat.api.client.get(f"/v1/incidents/{incident_id}", headers=chat.api.auth("viewer"))
    ).json()
    assert (incident["chat_channel"], incident["ic"]) == (CHANNEL, "ic")
    again = await chat.command("start Another", who="ic")
    assert again["response_type"] == "ephemeral"
    assert "already linked" in again["text"]


async def test_link_attaches_an_existing_incident(chat: Chat) -> None:
    incident = await chat.api.create_incident(title="Made over the API")
    answer = await chat.command(f"link {incident['id']}", channel="C0OTHER")
    assert answer["response_type"] == "in_channel"
    read = (
        await chat.api.client.get(
            f"/v1/incidents/{incident['id']}", headers=chat.api.auth("viewer")
        )
    ).json()
    assert read["chat_channel"] == "C0OTHER"


async def test_events_are_appended_once_and_bots_and_other_channels_skipped(chat: Chat) -> None:
    incident_id = await _start(chat)
    ts = _ts()
    first = await chat.say("SMS delayed &amp; &lt;b&gt;", ts=ts, event_id="Ev1")
    assert first.json() == {"ok": True, "appended": 1}
    # A platform retry (same event id), and the same message under another event id.
    assert (await chat.say("SMS delayed &amp; &lt;b&gt;", ts=ts, event_id="Ev1")).json()[
        "appended"
    ] == 0
    assert (
        await chat.say(
            "SMS delayed &amp; &lt;b&gt;", ts=ts, event_id="Ev1b", client_msg_id="msg-Ev1"
        )
    ).json()["appended"] == 0
    await chat.say("bot says hi", ts=_ts(1), event_id="Ev2", bot_id="B1", subtype="bot_message")
    await chat.say("joined", ts=_ts(2), event_id="Ev3", subtype="channel_join")
    other = {"type": "message", "channel": "C0ELSE", "user": "UIC", "text": "x", "ts": _ts(3)}
    assert (await chat.event(other, "Ev4")).json()["appended"] == 0

    messages = await _transcript(chat, incident_id)
    assert [m["text"] for m in messages] == ["SMS delayed & <b>"]
    assert messages[0]["author"] == "liaison"
    assert messages[0]["external_id"] == "msg-Ev1"
    at = datetime.fromisoformat(str(messages[0]["at"]))
    assert abs(at - datetime.fromtimestamp(float(ts), UTC)).total_seconds() < 0.01


async def test_an_edited_message_is_appended_as_an_edit(chat: Chat) -> None:
    incident_id = await _start(chat)
    ts = _ts()
    await chat.say("SMS delayed 5 min", ts=ts, event_id="Ev1")
    edited_ts = _ts(5)
    changed = {
        "type": "message",
        "subtype": "message_changed",
        "channel": CHANNEL,
        "ts": edited_ts,
        "message": {
            "type": "message",
            "user": "ULIAISON",
            "text": "SMS delayed 15 min",
            "ts": ts,
            "edited": {"user": "ULIAISON", "ts": edited_ts},
        },
        "previous_message": {
            "type": "message",
            "user": "ULIAISON",
            "text": "SMS delayed 5 min",
            "ts": ts,
        },
    }
    assert (await chat.event(changed, "Ev2")).json()["appended"] == 1
    assert (await chat.event(changed, "Ev2-retry")).json()["appended"] == 0
    texts = [m["text"] for m in await _transcript(chat, incident_id)]
    assert texts == ["SMS delayed 5 min", "(edited) SMS delayed 15 min"]


async def test_signals_crossing_the_threshold_are_posted_once(chat: Chat) -> None:
    incident_id = await _start(chat)
    reports = [
        {
            "at": f"2026-03-01T10:0{i}:00Z",
            "source": "ticket",
            "customer": f"c{i}",
            "text": "SMS alerts are not arriving",
        }
        for i in range(4)
    ]
    for batch in (reports[:2], reports[2:3], reports[3:]):
        response = await chat.api.client.post(
            f"/v1/incidents/{incident_id}/reports",
            json={"reports": batch},
            headers=chat.api.auth("liaison"),
        )
        assert response.status_code == 201, response.text
    notices = [
        c.body for c in chat.slack.of("chat.postMessage") if "New impact signal" in c.body["text"]
    ]
    assert len(notices) == 1
    assert notices[0]["channel"] == CHANNEL
    assert notices[0]["text"].startswith("<@UIC>")
    answer = await chat.command("signals", who="viewer")
    assert answer["response_type"] == "ephemeral"
    assert "4 reports" in answer["text"]


async def test_linking_chat_users_is_admin_only_and_unique(chat: Chat) -> None:
    response = await chat.api.client.put(
        "/v1/principals/liaison/chat-user",
        json={"chat_user_id": "UNEW"},
        headers=chat.api.auth("ic"),
    )
    assert response.status_code == 403
    response = await chat.api.client.put(
        "/v1/principals/liaison/chat-user",
        json={"chat_user_id": "UIC"},
        headers=chat.api.auth("admin"),
    )
    assert response.status_code == 409
    response = await chat.api.client.put(
        "/v1/principals/liaison/chat-user",
        json={"chat_user_id": "<@bad>"},
        headers=chat.api.auth("admin"),
    )
    assert response.status_code == 422
    response = await chat.api.client.put(
        "/v1/principals/liaison/chat-user",
        json={"chat_user_id": None},
        headers=chat.api.auth("admin"),
    )
    assert response.json() == {"name": "liaison", "role": "liaison", "chat_user_id": None}
