"""Property: no sequence of API calls publishes an unapproved draft, or any draft twice."""

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import utcnow
from app.drafting.models import Draft
from app.main import create_app
from app.publishing import service as publishing
from app.publishing.models import Publication
from app.publishing.worker import Worker
from tests.approvals.conftest import ETA_TEXT, GOOD_TEXT, insert_draft

TEXTS = [GOOD_TEXT, ETA_TEXT, GOOD_TEXT + " We apologise for the disruption."]
ROLES = ["ic", "other_ic", "admin", "liaison", "viewer"]
# Approvals are weighted towards succeeding, so publishing happens in most runs.
APPROVERS = ["ic", "ic", "admin", *ROLES]
COMMANDERS = {"ic", "admin"}


def test_no_api_sequence_publishes_unapproved_or_twice(
    settings: Settings, session_factory: sessionmaker[Session], tokens: dict[str, str]
) -> None:
    app = create_app(settings, session_factory=session_factory)
    published_file = Path(settings.data_dir) / "published.jsonl"

    def _auth(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    with TestClient(app) as client:
        worker = Worker(session_factory, settings)

        class Approvals(RuleBasedStateMachine):
            drafts = Bundle("drafts")

            @initialize()
            def open_incident(self) -> None:
                response = client.post(
                    "/v1/incidents", json={"title": "Delayed SMS", "ic": "ic"}, headers=_auth("ic")
                )
                assert response.status_code == 201
                self.incident_id: int = response.json()["id"]
                # draft id -> the text its IC approved
                self.approved: dict[int, str] = {}

            @rule(
                target=drafts,
                channel=st.sampled_from(["statuspage", "email"]),
                text=st.sampled_from(TEXTS),
            )
            def new_draft(self, channel: str, text: str) -> int:
                with session_factory() as session:
                    draft = insert_draft(session, self.incident_id, channel=channel, text=text)
                    session.commit()
                    return draft.id

            @rule(
                draft=drafts,
                who=st.sampled_from(APPROVERS),
                confirm_stale=st.sampled_from([True, True, False]),
                override=st.sampled_from([None, "accepted by the IC", "accepted by the IC"]),
            )
            def approve(
                self, draft: int, who: str, confirm_stale: bool, override: str | None
            ) -> None:
                body: dict[str, Any] = {"confirm_stale": confirm_stale}
                if override:
                    body["override_reason"] = override
                response = client.post(f"/v1/drafts/{draft}/approve", json=body, headers=_auth(who))
                assert response.status_code in (200, 403, 409), response.text
                if response.status_code == 200:
                    assert who in COMMANDERS
                    assert draft not in self.approved
                    self.approved[draft] = response.json()["text"]

            @rule(draft=drafts, who=st.sampled_from(ROLES), text=st.sampled_from(TEXTS))
            def edit(self, draft: int, who: str, text: str) -> None:
                response = client.post(
                    f"/v1/drafts/{draft}/edit", json={"text": text}, headers=_auth(who)
                )
                assert response.status_code in (200, 403, 409), response.text

            @rule(draft=drafts, who=st.sampled_from(ROLES))
            def reject(self, draft: int, who: str) -> None:
                response = client.post(
                    f"/v1/drafts/{draft}/reject", json={"reason": "no"}, headers=_auth(who)
                )
                assert response.status_code in (200, 403, 409), response.text

            @rule(status=st.sampled_from(["investigating", "identified", "monitoring"]))
            def change_status(self, status: str) -> None:
                response = client.post(
                    f"/v1/incidents/{self.incident_id}/status",
                    json={"status": status},
                    headers=_auth("ic"),
                )
                assert response.status_code == 200, response.text

            @rule()
            def transcript_message(self) -> None:
                message = {"at": utcnow().isoformat(), "author": "alice", "text": "still delayed"}
                response = client.post(
                    f"/v1/incidents/{self.incident_id}/transcript",
                    json={"messages": [message]},
                    headers=_auth("liaison"),
                )
                assert response.status_code == 201

            @rule()
            def run_worker(self) -> None:
                worker.drain()

            @rule()
            def worker_dies_after_delivering(self) -> None:
                with session_factory() as session, session.begin():
                    deliveries = publishing.claim_due(
                        session, worker_id="doomed", limit=10, lease_seconds=0, now=utcnow()
                    )
                for delivery in deliveries:
                    worker.sinks[delivery.sink].deliver(delivery)
                # ... and never records it; its zero lease makes it due again at once.

            @invariant()
            def only_approved_text_is_published_once(self) -> None:
                lines = published_file.read_text().splitlines() if published_file.exists() else []
                # Earlier examples' incidents share the file; look at this one's records.
                records = [json.loads(line) for line in lines]
                records = [r for r in records if r["incident_id"] == self.incident_id]
                keys = [record["idempotency_key"] for record in records]
                assert len(keys) == len(set(keys)), "a draft was published twice to a sink"
                for record in records:
                    assert record["draft_id"] in self.approved, "published without IC approval"
                    assert record["text"] == self.approved[record["draft_id"]]
                    assert record["approved_by"] in COMMANDERS

            @invariant()
            def states_agree_with_approvals(self) -> None:
                with session_factory() as session:
                    rows = session.execute(
                        select(Draft.id, Draft.state).where(Draft.incident_id == self.incident_id)
                    ).all()
                    jobs = session.scalars(
                        select(Publication.draft_id).where(
                            Publication.incident_id == self.incident_id
                        )
                    ).all()
                for draft_id, state in rows:
                    if state in ("approved", "published"):
                        assert draft_id in self.approved
                assert set(jobs) <= set(self.approved)
                assert len(jobs) == len(set(jobs))  # one job per draft (one sink configured)

        run_state_machine_as_test(
            Approvals,
            settings=hypothesis_settings(
                max_examples=30,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
