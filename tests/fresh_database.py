"""A migrated database of its own for tests that span processes (no rolled-back transaction)."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app.db import run_migrations

DEFAULT_TEST_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    """The server tests create their databases on (LIAISON_TEST_DATABASE_URL)."""
    return os.environ.get("LIAISON_TEST_DATABASE_URL", DEFAULT_TEST_POSTGRES)


@contextmanager
def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a new, migrated database; PostgreSQL ones are dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'liaison.db'}"
        run_migrations(url)
        yield url
        return
    admin_url = make_url(postgres_admin_url())
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(f"CI requires PostgreSQL. {reason}")
        pytest.skip(reason)
    name = f"liaison_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin_url.set(database=name).render_as_string(hide_password=False)
        run_migrations(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database several processes share, on each backend."""
    with fresh_database(request.param, tmp_path) as url:
        yield url
