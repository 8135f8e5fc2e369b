"""Fixtures: API tests run on SQLite and PostgreSQL, each in a rolled-back transaction."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from app.llm.providers import QueuedReplies

from app.auth import create_token
from app.config import Settings
from app.db import create_db_engine
from app.drafting.pipeline import DraftingPipeline
from app.main import build_drafting_pipeline, create_app
from app.signals.embedding import Embedder, load_embedder
from tests.fresh_database import fresh_database


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A freshly migrated database of each backend, shared by the session's tests."""
    # A database of our own, so parallel test runs on one server never see each other.
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The embedding model, loaded once for the whole test session."""
    return load_embedder()


@pytest.fixture
def connection(engine) -> Iterator[Connection]:  # type: ignore[no-untyped-def]
    """One outer transaction per test, rolled back at the end."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Each request's commit releases a savepoint inside the test's outer transaction.
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # Tests drive the publishing worker explicitly.
    return Settings(
        database_url=database_url, data_dir=tmp_path / "var", run_worker_in_process=False
    )


@dataclass
class Api:
    """An HTTP client on the app plus tokens for every role."""

    client: httpx.AsyncClient
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def create_incident(self, who: str = "liaison", **body: object) -> dict[str, object]:
        body.setdefault("title", "Delayed SMS notifications")
        response = await self.client.post("/v1/incidents", json=body, headers=self.auth(who))
        assert response.status_code == 201, response.text
        data: dict[str, object] = response.json()
        return data


PRINCIPALS = {
    "admin": "admin",
    "ic": "ic",
    "other_ic": "ic",
    "liaison": "liaison",
    "viewer": "viewer",
}


@pytest.fixture
def tokens(session_factory: sessionmaker[Session]) -> dict[str, str]:
    with session_factory() as session:
        made = {
            name: create_token(session, name=name, role=role) for name, role in PRINCIPALS.items()
        }
        session.commit()
    return made


@pytest.fixture(scope="session")
def drafting_pipeline() -> DraftingPipeline:
    """One pipeline (litellm client, prompt registry) for the whole test session."""
    return build_drafting_pipeline(Settings(llm_timeout_seconds=5.0))


@pytest.fixture(scope="session")
def queued_model(drafting_pipeline: DraftingPipeline) -> "QueuedReplies":
    """A litellm provider `queue/...` answering from canned replies, through the real registry."""
    from app.llm.providers import QueuedReplies

    model = QueuedReplies()
    drafting_pipeline.llm.register_provider("queue", model)
    return model


@pytest.fixture
async def api(
    settings: Settings,
    session_factory: sessionmaker[Session],
    tokens: dict[str, str],
    drafting_pipeline: DraftingPipeline,
    embedder: Embedder,
) -> AsyncIterator[Api]:
    app = create_app(
        settings, session_factory=session_factory, drafting=drafting_pipeline, embedder=embedder
    )
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=transport, base_url="http://liaison.test") as client:
            yield Api(client=client, tokens=tokens)
