"""Service catalog API: team-wide and per-incident, merged view."""

from tests.conftest import Api

TEAM = {
    "components": [{"component": "Notifications", "internal": ["notification-router", "kafka"]}],
    "people": ["alice"],
}


async def test_team_catalog_starts_empty_and_is_replaced_whole(api: Api) -> None:
    empty = await api.client.get("/v1/catalog", headers=api.auth("viewer"))
    assert empty.json() == {"scope": "global", "components": [], "people": []}
    put = await api.client.put("/v1/catalog", json=TEAM, headers=api.auth("liaison"))
    assert put.status_code == 200
    assert put.json()["components"][0]["internal"] == ["notification-router", "kafka"]
    replaced = await api.client.put(
        "/v1/catalog", json={"components": [], "people": ["bob"]}, headers=api.auth("liaison")
    )
    assert replaced.json()["components"] == []
    assert replaced.json()["people"] == ["bob"]


async def test_incident_catalog_merges_with_team_catalog(api: Api) -> None:
    await api.client.put("/v1/catalog", json=TEAM, headers=api.auth("admin"))
    incident = await api.create_incident()
    url = f"/v1/incidents/{incident['id']}/catalog"
    own = {
        "components": [
            {"component": "notifications", "internal": ["notif-out"]},
            {"component": "Login", "internal": ["sso-gw-1"]},
        ],
        "people": ["carol", "alice"],
    }
    assert (await api.client.put(url, json=own, headers=api.auth("liaison"))).status_code == 200
    merged = await api.client.get(f"{url}?effective=true", headers=api.auth("viewer"))
    components = {c["component"]: c["internal"] for c in merged.json()["components"]}
    assert components == {
        "Notifications": ["notification-router", "kafka", "notif-out"],
        "Login": ["sso-gw-1"],
    }
    assert merged.json()["people"] == ["alice", "carol"]


async def test_catalog_rejects_duplicate_components_and_viewers(api: Api) -> None:
    twice = {"components": [{"component": "A"}, {"component": "a"}]}
    response = await api.client.put("/v1/catalog", json=twice, headers=api.auth("liaison"))
    assert response.status_code == 422
    assert "listed twice" in response.text
    forbidden = await api.client.put("/v1/catalog", json=TEAM, headers=api.auth("viewer"))
    assert forbidden.status_code == 403


async def test_catalog_of_unknown_incident_is_404(api: Api) -> None:
    response = await api.client.get("/v1/incidents/9999/catalog", headers=api.auth("viewer"))
    assert response.status_code == 404
