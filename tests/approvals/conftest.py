"""Drafts made directly through the ORM (the drafting pipeline is another domain)."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.drafting.guard_context import guard_context_for
from app.drafting.models import Draft, DraftRevision
from app.incidents.models import Incident, TranscriptMessage
from app.publishing.worker import Worker
from guards import check_message
from tests.conftest import Api

GOOD_TEXT = (
    "We are investigating delays to SMS notifications. Email is not affected. "
    "Next update in 30 minutes."
)
ETA_TEXT = "We are investigating delays to SMS notifications. This will be fixed within 10 minutes."


def insert_draft(
    session: Session,
    incident_id: int,
    *,
    text: str = GOOD_TEXT,
    channel: str = "statuspage",
    locale: str = "en",
    author: str = "liaison",
) -> Draft:
    """A draft as the pipeline leaves it: pending, first revision, real guard report."""
    incident = session.get_one(Incident, incident_id)
    report = check_message(
        text, channel=channel, locale=locale, context=guard_context_for(session, incident)
    ).model_dump(mode="json")
    cursor = session.scalar(
        select(func.coalesce(func.max(TranscriptMessage.id), 0)).where(
            TranscriptMessage.incident_id == incident_id
        )
    )
    draft = Draft(
        incident_id=incident_id,
        channel=channel,
        locale=locale,
        state="pending_approval",
        text=text,
        revision=1,
        guard_report=report,
        incident_status=incident.status,
        transcript_cursor=int(cursor or 0),
        model="local/template",
        prompt_version="test-1",
        created_by=author,
    )
    session.add(draft)
    session.flush()
    session.add(
        DraftRevision(
            draft_id=draft.id,
            number=1,
            text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            guard_report=report,
            source="engine",
            author=author,
        )
    )
    session.flush()
    return draft


MakeDraft = Callable[..., int]


@pytest.fixture
def make_draft(session_factory: sessionmaker[Session]) -> MakeDraft:
    def make(incident_id: Any, **options: Any) -> int:
        with session_factory() as session:
            draft = insert_draft(session, int(incident_id), **options)
            session.commit()
            return draft.id

    return make


@dataclass
class Flow:
    """The API plus the publishing worker the test drives."""

    api: Api
    worker: Worker
    settings: Settings

    async def incident(self, **body: Any) -> int:
        body.setdefault("ic", "ic")
        return int(str((await self.api.create_incident(**body))["id"]))

    async def approve(self, draft_id: int, who: str = "ic", **body: Any) -> Any:
        return await self.api.client.post(
            f"/v1/drafts/{draft_id}/approve", json=body, headers=self.api.auth(who)
        )

    async def edit(self, draft_id: int, text: str, who: str = "liaison") -> Any:
        return await self.api.client.post(
            f"/v1/drafts/{draft_id}/edit", json={"text": text}, headers=self.api.auth(who)
        )

    async def reject(self, draft_id: int, reason: str = "not yet", who: str = "ic") -> Any:
        return await self.api.client.post(
            f"/v1/drafts/{draft_id}/reject", json={"reason": reason}, headers=self.api.auth(who)
        )

    async def get(self, path: str, who: str = "viewer") -> Any:
        response = await self.api.client.get(path, headers=self.api.auth(who))
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def worker(session_factory: sessionmaker[Session], settings: Settings) -> Worker:
    return Worker(session_factory, settings)


@pytest.fixture
def flow(api: Api, worker: Worker, settings: Settings) -> Flow:
    return Flow(api=api, worker=worker, settings=settings)
