"""`liaison chat link`: a principal acts for a chat user."""

from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli
from app.auth import Principal, create_token
from app.config import Settings
from app.db import create_db_engine, create_session_factory, run_migrations


def test_chat_link_sets_and_clears_the_chat_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'liaison.db'}"
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(database_url=url))
    run_migrations(url)
    engine = create_db_engine(url)
    factory = create_session_factory(engine)
    with factory() as session, session.begin():
        create_token(session, name="oncall-ic", role="ic")

    def linked() -> str | None:
        with factory() as session:
            return session.scalar(
                select(Principal.chat_user_id).where(Principal.name == "oncall-ic")
            )

    try:
        assert cli.main(["chat", "link", "--name", "oncall-ic", "--chat-user", "U0123"]) == 0
        assert linked() == "U0123"
        assert cli.main(["chat", "link", "--name", "oncall-ic", "--chat-user", "<@x>"]) == 2
        assert cli.main(["chat", "link", "--name", "nobody", "--chat-user", "U9"]) == 2
        assert cli.main(["chat", "link", "--name", "oncall-ic", "--unlink"]) == 0
        assert linked() is None
    finally:
        engine.dispose()
