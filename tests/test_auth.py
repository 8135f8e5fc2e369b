"""Tokens: hashed at rest, revocable, cached only briefly."""

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth import ApiToken, create_token, revoke_tokens
from app.config import Settings
from app.main import create_app


async def test_revoked_token_is_refused(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    settings.token_cache_seconds = 0
    with session_factory() as session:
        token = create_token(session, name="temp", role="viewer")
        session.commit()
    app = create_app(settings, session_factory=session_factory)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        assert (await client.get("/v1/incidents", headers=headers)).status_code == 200
        with session_factory() as session:
            assert revoke_tokens(session, name="temp") == 1
            session.commit()
        assert (await client.get("/v1/incidents", headers=headers)).status_code == 401


def test_tokens_are_stored_hashed(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        token = create_token(session, name="hashed", role="ic")
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored
    assert all(len(value) == 64 for value in stored)
