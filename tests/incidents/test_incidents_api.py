"""Incidents API over HTTP: create, list, get, update, status changes, roles, bad input."""

import pytest
from sqlalchemy import Connection, text

from tests.conftest import Api


async def test_create_incident_returns_201_with_defaults(api: Api) -> None:
    response = await api.client.post(
        "/v1/incidents",
        json={"title": "  SMS delayed  ", "components": ["Notifications", "Notifications"]},
        headers=api.auth("liaison"),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "SMS delayed"
    assert body["status"] == "investigating"
    assert body["severity"] == "SEV2"
    assert body["locale"] == "en"
    assert body["components"] == ["Notifications"]
    assert body["created_by"] == "liaison"
    assert body["update_overdue"] is False
    assert body["next_update_due"] is not None


async def test_get_incident_round_trips(api: Api) -> None:
    created = await api.create_incident(severity="SEV1", locale="ja", ic="ic")
    response = await api.client.get(f"/v1/incidents/{created['id']}", headers=api.auth("viewer"))
    assert response.status_code == 200
    assert response.json()["severity"] == "SEV1"
    assert response.json()["locale"] == "ja"
    assert response.json()["ic"] == "ic"


async def test_unknown_incident_is_404_with_error_body(api: Api) -> None:
    response = await api.client.get("/v1/incidents/999999", headers=api.auth("viewer"))
    assert response.status_code == 404
    assert response.json() == {"error": "NotFound", "detail": "incident 999999 does not exist"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"title": "ok", "severity": "SEV9"}, "severity"),
        ({"title": "ok", "locale": "fr"}, "locale"),
        ({"title": "ok", "unexpected": 1}, "unexpected"),
        ({"title": "bad\u0000title"}, "title"),
    ],
)
async def test_create_incident_rejects_bad_input(
    api: Api, body: dict[str, object], field: str
) -> None:
    response = await api.client.post("/v1/incidents", json=body, headers=api.auth("liaison"))
    assert response.status_code == 422
    error = response.json()
    assert error["error"] == "ValidationError"
    assert any(field in item["loc"] for item in error["detail"])
    listed = await api.client.get("/v1/incidents", headers=api.auth("viewer"))
    assert listed.json()["incidents"] == []


async def test_create_incident_with_unknown_ic_is_422_naming_the_fix(api: Api) -> None:
    response = await api.client.post(
        "/v1/incidents", json={"title": "x", "ic": "nobody"}, headers=api.auth("liaison")
    )
    assert response.status_code == 422
    assert "liaison token create --name nobody --role ic" in response.json()["detail"]


async def test_missing_token_is_401(api: Api) -> None:
    response = await api.client.get("/v1/incidents")
    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_wrong_token_is_401(api: Api) -> None:
    response = await api.client.get(
        "/v1/incidents", headers={"Authorization": "Bearer lsn_not-a-real-token"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "invalid or revoked token"


async def test_viewer_cannot_create_incident(api: Api) -> None:
    response = await api.client.post(
        "/v1/incidents", json={"title": "x"}, headers=api.auth("viewer")
    )
    assert response.status_code == 403
    assert response.json()["error"] == "Forbidden"


async def test_list_filters_by_status_and_paginates(api: Api) -> None:
    ids = [(await api.create_incident(title=f"incident {n}", ic="ic"))["id"] for n in range(5)]
    await api.client.post(
        f"/v1/incidents/{ids[1]}/status", json={"status": "resolved"}, headers=api.auth("ic")
    )
    page = await api.client.get("/v1/incidents?limit=2", headers=api.auth("viewer"))
    first = page.json()
    assert [i["id"] for i in first["incidents"]] == [ids[4], ids[3]]
    seen = [i["id"] for i in first["incidents"]]
    cursor = first["next_cursor"]
    while cursor:
        page = await api.client.get(
            "/v1/incidents", params={"limit": 2, "cursor": cursor}, headers=api.auth("viewer")
        )
        seen += [i["id"] for i in page.json()["incidents"]]
        cursor = page.json()["next_cursor"]
    assert seen == list(reversed(ids))
    resolved = await api.client.get("/v1/incidents?status=resolved", headers=api.auth("viewer"))
    assert [i["id"] for i in resolved.json()["incidents"]] == [ids[1]]


async def test_list_rejects_garbage_cursor_and_status(api: Api) -> None:
    bad_cursor = await api.client.get("/v1/incidents?cursor=%%%", headers=api.auth("viewer"))
    assert bad_cursor.status_code == 422
    bad_status = await api.client.get("/v1/incidents?status=fixed", headers=api.auth("viewer"))
    assert bad_status.status_code == 422


async def test_update_changes_fields_and_audits(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    response = await api.client.patch(
        f"/v1/incidents/{incident['id']}",
        json={"title": "SMS and push delayed", "components": ["Notifications"], "severity": "SEV1"},
        headers=api.auth("liaison"),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "SMS and push delayed"
    assert response.json()["version"] == incident["version"] + 1  # type: ignore[operator]
    audit = await api.client.get(
        f"/v1/incidents/{incident['id']}/audit", headers=api.auth("viewer")
    )
    actions = [e["action"] for e in audit.json()["events"]]
    assert actions == ["incident.created", "incident.updated"]
    assert audit.json()["events"][1]["actor"] == "liaison"


async def test_update_with_stale_version_is_409(api: Api) -> None:
    incident = await api.create_incident()
    response = await api.client.patch(
        f"/v1/incidents/{incident['id']}",
        json={"title": "new", "version": 99},
        headers=api.auth("liaison"),
    )
    assert response.status_code == 409
    again = await api.client.get(f"/v1/incidents/{incident['id']}", headers=api.auth("viewer"))
    assert again.json()["title"] == incident["title"]


async def test_only_the_ic_or_admin_hands_over_command(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    url = f"/v1/incidents/{incident['id']}"
    by_liaison = await api.client.patch(url, json={"ic": "other_ic"}, headers=api.auth("liaison"))
    assert by_liaison.status_code == 403
    by_ic = await api.client.patch(url, json={"ic": "other_ic"}, headers=api.auth("ic"))
    assert by_ic.status_code == 200
    assert by_ic.json()["ic"] == "other_ic"
    by_admin = await api.client.patch(url, json={"ic": "ic"}, headers=api.auth("admin"))
    assert by_admin.json()["ic"] == "ic"


async def test_status_change_by_ic_appends_transcript_and_audit(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    url = f"/v1/incidents/{incident['id']}"
    response = await api.client.post(
        f"{url}/status", json={"status": "identified"}, headers=api.auth("ic")
    )
    assert response.status_code == 200
    assert response.json()["status"] == "identified"
    transcript = await api.client.get(f"{url}/transcript", headers=api.auth("viewer"))
    (message,) = transcript.json()["messages"]
    assert message["kind"] == "status-change"
    assert message["status"] == "identified"
    assert message["author"] == "ic"
    audit = await api.client.get(f"{url}/audit", headers=api.auth("viewer"))
    change = audit.json()["events"][-1]
    assert change["action"] == "incident.status_changed"
    assert change["data"]["from"] == "investigating"
    assert change["data"]["to"] == "identified"


@pytest.mark.parametrize("who", ["liaison", "viewer", "other_ic"])
async def test_status_change_by_others_is_403(api: Api, who: str) -> None:
    incident = await api.create_incident(ic="ic")
    response = await api.client.post(
        f"/v1/incidents/{incident['id']}/status",
        json={"status": "monitoring"},
        headers=api.auth(who),
    )
    assert response.status_code == 403
    again = await api.client.get(f"/v1/incidents/{incident['id']}", headers=api.auth("viewer"))
    assert again.json()["status"] == "investigating"


async def test_admin_may_change_status_of_any_incident(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    response = await api.client.post(
        f"/v1/incidents/{incident['id']}/status",
        json={"status": "monitoring"},
        headers=api.auth("admin"),
    )
    assert response.status_code == 200


async def test_any_ic_may_command_an_unassigned_incident(api: Api) -> None:
    incident = await api.create_incident()
    response = await api.client.post(
        f"/v1/incidents/{incident['id']}/status",
        json={"status": "identified"},
        headers=api.auth("other_ic"),
    )
    assert response.status_code == 200


async def test_leaving_resolved_needs_reopen(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    url = f"/v1/incidents/{incident['id']}/status"
    resolved = await api.client.post(url, json={"status": "resolved"}, headers=api.auth("ic"))
    assert resolved.json()["resolved_at"] is not None
    assert resolved.json()["next_update_due"] is None
    refused = await api.client.post(url, json={"status": "investigating"}, headers=api.auth("ic"))
    assert refused.status_code == 409
    assert "reopen" in refused.json()["detail"]
    reopened = await api.client.post(
        url, json={"status": "investigating", "reopen": True}, headers=api.auth("ic")
    )
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "investigating"
    assert reopened.json()["resolved_at"] is None


async def test_same_status_is_a_no_op(api: Api) -> None:
    incident = await api.create_incident(ic="ic")
    url = f"/v1/incidents/{incident['id']}"
    response = await api.client.post(
        f"{url}/status", json={"status": "investigating"}, headers=api.auth("ic")
    )
    assert response.status_code == 200
    transcript = await api.client.get(f"{url}/transcript", headers=api.auth("viewer"))
    assert transcript.json()["messages"] == []


async def test_chat_channel_links_one_incident_only(api: Api) -> None:
    await api.create_incident(chat_channel="C123")
    response = await api.client.post(
        "/v1/incidents", json={"title": "x", "chat_channel": "C123"}, headers=api.auth("liaison")
    )
    assert response.status_code == 409


async def test_audit_log_is_append_only_in_the_database(api: Api, connection: Connection) -> None:
    await api.create_incident()
    with pytest.raises(Exception, match="append-only"):
        with connection.begin_nested():
            connection.execute(text("UPDATE audit_events SET actor = 'someone else'"))
    with pytest.raises(Exception, match="append-only"):
        with connection.begin_nested():
            connection.execute(text("DELETE FROM audit_events"))


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"


async def test_oversized_body_is_413_before_parsing(api: Api) -> None:
    huge = "x" * 6_000_000
    response = await api.client.post(
        "/v1/incidents",
        content=huge,
        headers={**api.auth("liaison"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "5000000 bytes" in response.json()["detail"]
