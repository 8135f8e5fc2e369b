"""Transcript API over HTTP: batches, idempotent retries, limits, pagination."""

from typing import Any

import httpx
import pytest

from tests.conftest import Api


def _message(n: int, **extra: Any) -> dict[str, Any]:
    return {"at": f"2026-03-01T10:{n:02d}:00Z", "author": "alice", "text": f"message {n}", **extra}


async def _append(
    api: Api, incident_id: object, messages: list[dict[str, Any]], who: str = "liaison"
) -> httpx.Response:
    return await api.client.post(
        f"/v1/incidents/{incident_id}/transcript",
        json={"messages": messages},
        headers=api.auth(who),
    )


async def _all_messages(api: Api, incident_id: object) -> list[dict[str, Any]]:
    response = await api.client.get(
        f"/v1/incidents/{incident_id}/transcript?limit=500", headers=api.auth("viewer")
    )
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


async def test_append_batch_returns_201_and_stores_in_time_order(api: Api) -> None:
    incident = await api.create_incident()
    response = await _append(
        api,
        incident["id"],
        [
            _message(5),
            _message(2, kind="call-note"),
            _message(7, kind="status-change", status="identified"),
        ],
    )
    assert response.status_code == 201
    assert response.json()["created"] == 3
    assert response.json()["duplicates"] == 0
    stored = await _all_messages(api, incident["id"])
    assert [m["text"] for m in stored] == ["message 2", "message 5", "message 7"]
    assert stored[0]["kind"] == "call-note"
    assert stored[2]["status"] == "identified"
    assert stored[0]["at"].startswith("2026-03-01T10:02:00")


async def test_retry_with_same_external_ids_appends_nothing_twice(api: Api) -> None:
    incident = await api.create_incident()
    batch = [_message(1, external_id="slack-1"), _message(2, external_id="slack-2")]
    first = await _append(api, incident["id"], batch)
    retry = await _append(api, incident["id"], [*batch, _message(3, external_id="slack-3")])
    assert retry.status_code == 201
    assert retry.json()["created"] == 1
    assert retry.json()["duplicates"] == 2
    assert [m["id"] for m in retry.json()["messages"][:2]] == [
        m["id"] for m in first.json()["messages"]
    ]
    assert len(await _all_messages(api, incident["id"])) == 3


async def test_duplicate_external_id_within_one_batch_is_stored_once(api: Api) -> None:
    incident = await api.create_incident()
    response = await _append(
        api, incident["id"], [_message(1, external_id="x"), _message(2, external_id="x")]
    )
    assert response.json()["created"] == 1
    assert len(await _all_messages(api, incident["id"])) == 1


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({"at": "yesterday"}, "at"),
        ({"at": "2026-03-01T10:00:00"}, "timezone"),
        ({"text": ""}, "text"),
        ({"text": "x" * 20_001}, "20000"),
        ({"text": "nul\u0000byte"}, "NUL"),
        ({"author": ""}, "author"),
        ({"kind": "tweet"}, "kind"),
        ({"kind": "status-change"}, "needs a status"),
        ({"status": "resolved"}, "only a status-change"),
    ],
)
async def test_one_bad_message_fails_the_whole_batch(
    api: Api, bad: dict[str, Any], needle: str
) -> None:
    incident = await api.create_incident()
    response = await _append(api, incident["id"], [_message(1), {**_message(2), **bad}])
    assert response.status_code == 422
    assert needle in response.text
    assert await _all_messages(api, incident["id"]) == []


async def test_batch_over_the_limit_is_413_naming_it(api: Api) -> None:
    incident = await api.create_incident()
    messages = [_message(n % 60, text="m") for n in range(1001)]
    response = await _append(api, incident["id"], messages)
    assert response.status_code == 413
    assert "at most 1000 messages" in response.json()["detail"]
    assert await _all_messages(api, incident["id"]) == []


async def test_empty_batch_is_422(api: Api) -> None:
    incident = await api.create_incident()
    response = await _append(api, incident["id"], [])
    assert response.status_code == 422


async def test_invalid_utf8_body_is_rejected_cleanly(api: Api) -> None:
    incident = await api.create_incident()
    response = await api.client.post(
        f"/v1/incidents/{incident['id']}/transcript",
        content=b'{"messages": [{"at": "2026-03-01T10:00:00Z", "author": "a", "text": "\xff"}]}',
        headers={**api.auth("liaison"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "BadRequest"
    assert "UTF-8" in response.json()["detail"]
    assert await _all_messages(api, incident["id"]) == []


async def test_lone_surrogate_is_rejected(api: Api) -> None:
    incident = await api.create_incident()
    response = await api.client.post(
        f"/v1/incidents/{incident['id']}/transcript",
        content=b'{"messages": [{"at": "2026-03-01T10:00:00Z", "author": "a", "text": "\\ud800"}]}',
        headers={**api.auth("liaison"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "unicode" in response.text


async def test_viewer_cannot_append(api: Api) -> None:
    incident = await api.create_incident()
    response = await _append(api, incident["id"], [_message(1)], who="viewer")
    assert response.status_code == 403


async def test_append_to_unknown_incident_is_404(api: Api) -> None:
    response = await _append(api, 424242, [_message(1)])
    assert response.status_code == 404


async def test_cursor_pagination_walks_every_message_once(api: Api) -> None:
    incident = await api.create_incident()
    # Same timestamps on purpose: ties are broken by arrival order.
    await _append(api, incident["id"], [_message(n // 2) for n in range(9)])
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        page = await api.client.get(
            f"/v1/incidents/{incident['id']}/transcript", params=params, headers=api.auth("viewer")
        )
        seen += [m["id"] for m in page.json()["messages"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 9
    assert len(set(seen)) == 9


async def test_since_filters_by_message_time(api: Api) -> None:
    incident = await api.create_incident()
    await _append(api, incident["id"], [_message(n) for n in range(6)])
    page = await api.client.get(
        f"/v1/incidents/{incident['id']}/transcript",
        params={"since": "2026-03-01T10:03:00+00:00"},
        headers=api.auth("viewer"),
    )
    assert [m["text"] for m in page.json()["messages"]] == ["message 3", "message 4", "message 5"]


async def test_transcript_append_is_audited(api: Api) -> None:
    incident = await api.create_incident()
    await _append(api, incident["id"], [_message(1), _message(2)])
    audit = await api.client.get(
        f"/v1/incidents/{incident['id']}/audit", headers=api.auth("viewer")
    )
    event = audit.json()["events"][-1]
    assert event["action"] == "transcript.appended"
    assert event["actor"] == "liaison"
    assert event["data"]["count"] == 2
