"""Signals over HTTP: grouping, noise, floods, new markers, coverage, PII-free examples."""

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.drafting.models import Draft
from tests.conftest import Api
from tests.signals.test_reports_api import _add, _report, _signals

SMS = [
    "None of our drivers got the SMS pickup alerts",
    "SMS one-time passcodes are not arriving",
    "Still no SMS alerts, is there an outage?",
]
LOGIN = [
    "Our staff cannot log in with SSO",
    "SSO login fails for everyone in our org",
    "Single sign-on login is broken since this morning",
]


async def test_similar_reports_form_signals_and_noise_does_not(api: Api) -> None:
    incident = await api.create_incident()
    texts = [*SMS, *LOGIN, "Can you send me last month's invoice as PDF?"]
    await _add(api, incident["id"], [_report(i, text) for i, text in enumerate(texts)])
    signals = await _signals(api, incident["id"])
    assert sorted(s["count"] for s in signals) == [3, 3]
    assert all("invoice" not in example for s in signals for example in s["examples"])


async def test_flood_of_identical_reports_raises_count_without_new_groups(api: Api) -> None:
    incident = await api.create_incident()
    await _add(api, incident["id"], [_report(i % 60, SMS[0]) for i in range(200)])
    response = await _add(api, incident["id"], [_report(59, SMS[0])])
    groups = {r["group_id"] for r in response.json()["reports"]}
    signals = await _signals(api, incident["id"])
    assert [s["count"] for s in signals] == [201]
    assert groups == {signals[0]["id"]}


async def test_signal_fields_count_customers_times_and_trend(api: Api) -> None:
    incident = await api.create_incident()
    reports = [
        _report(0, SMS[0], customer="acme"),
        _report(20, SMS[1], customer="globex"),
        _report(21, SMS[2], customer="acme"),
        _report(22, SMS[0], customer="initech"),
    ]
    await _add(api, incident["id"], reports)
    (signal,) = await _signals(api, incident["id"])
    assert signal["count"] == 4
    assert signal["customers"] == ["acme", "globex", "initech"]
    assert signal["first_seen"].startswith("2026-03-01T10:00")
    assert signal["last_seen"].startswith("2026-03-01T10:22")
    assert (signal["last_5m"], signal["last_15m"]) == (3, 3)
    assert signal["trend"] == "rising"
    assert signal["label"]
    assert len(signal["examples"]) == 3


async def test_examples_have_emails_phones_and_customer_names_removed(api: Api) -> None:
    incident = await api.create_incident()
    await _add(
        api,
        incident["id"],
        [
            _report(
                1,
                "Acme Logistics: SMS alerts not arriving, mail bob@acme.example",
                customer="Acme Logistics",
            ),
            _report(2, "SMS alerts not arriving, call +1 415 555 0100", customer="Globex"),
        ],
    )
    (signal,) = await _signals(api, incident["id"])
    joined = " ".join(signal["examples"]) + signal["label"]
    for secret in ("bob@acme.example", "555 0100", "Acme Logistics"):
        assert secret not in joined


async def test_new_is_true_until_the_caller_has_looked(api: Api) -> None:
    incident = await api.create_incident()
    await _add(api, incident["id"], [_report(1, SMS[0]), _report(2, SMS[1])])
    assert [s["new"] for s in await _signals(api, incident["id"])] == [True]
    assert [s["new"] for s in await _signals(api, incident["id"])] == [False]
    assert [s["new"] for s in await _signals(api, incident["id"], who="ic")] == [True]
    await _add(api, incident["id"], [_report(3, LOGIN[0]), _report(4, LOGIN[1])])
    by_count = {s["label"]: s["new"] for s in await _signals(api, incident["id"])}
    assert sorted(by_count.values()) == [False, True]


async def test_covered_when_the_approved_message_speaks_of_the_signal(
    api: Api, session_factory: sessionmaker[Session]
) -> None:
    incident = await api.create_incident()
    await _add(api, incident["id"], [_report(i, text) for i, text in enumerate(SMS + LOGIN)])
    with session_factory() as session:
        session.add(_draft(incident["id"], "We are investigating delays to SMS alerts."))
        session.commit()
    signals = await _signals(api, incident["id"])
    covered = {s["examples"][0] in SMS: s["covered"] for s in signals}
    assert covered == {True: True, False: False}


async def test_viewer_may_read_signals(api: Api) -> None:
    incident = await api.create_incident()
    response = await api.client.get(
        f"/v1/incidents/{incident['id']}/signals", headers=api.auth("viewer")
    )
    assert response.status_code == 200
    assert response.json() == {"signals": []}


async def test_signals_of_unknown_incident_is_404(api: Api) -> None:
    response = await api.client.get("/v1/incidents/999999/signals", headers=api.auth("viewer"))
    assert response.status_code == 404


def _draft(incident_id: Any, text: str) -> Draft:
    return Draft(
        incident_id=incident_id,
        channel="statuspage",
        locale="en",
        state="approved",
        text=text,
        incident_status="investigating",
        model="local/template",
        prompt_version="test",
        created_by="liaison",
    )
