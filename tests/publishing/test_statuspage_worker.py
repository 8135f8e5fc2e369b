"""The statuspage sink through the worker: one remote incident per incident, then updates."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings
from tests.approvals.conftest import Flow, MakeDraft
from tests.receiver import Receiver, receiver


@pytest.fixture
def statuspage() -> Iterator[Receiver]:
    with receiver() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, database_url: str, statuspage: Receiver) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "var",
        run_worker_in_process=False,
        publish_sinks=["file", "statuspage"],
        statuspage_base_url=statuspage.url,
        statuspage_page_id="page1",
        statuspage_api_key=SecretStr("key"),
    )


async def test_statuspage_drafts_create_then_update_one_remote_incident(
    flow: Flow, make_draft: MakeDraft, statuspage: Receiver
) -> None:
    incident_id = await flow.incident()
    email = make_draft(incident_id, channel="email")
    first = make_draft(incident_id)
    await flow.approve(email)
    await flow.approve(first)
    flow.worker.drain()
    await flow.api.client.post(
        f"/v1/incidents/{incident_id}/status",
        json={"status": "monitoring"},
        headers=flow.api.auth("ic"),
    )
    second = make_draft(incident_id, text="A fix is deployed; we are monitoring SMS delivery.")
    assert (await flow.approve(second)).status_code == 200
    flow.worker.drain()

    assert [(r.method, r.path) for r in statuspage.requests] == [
        ("POST", "/v1/pages/page1/incidents"),
        ("PATCH", "/v1/pages/page1/incidents/remote-1"),
    ]
    assert statuspage.requests[1].json()["incident"]["status"] == "monitoring"
    jobs = (await flow.get(f"/v1/drafts/{first}/publications"))["publications"]
    assert {job["sink"]: job["remote_id"] for job in jobs} == {
        "file": None,
        "statuspage": "remote-1",
    }
    email_jobs = (await flow.get(f"/v1/drafts/{email}/publications"))["publications"]
    assert [job["sink"] for job in email_jobs] == ["file"]
