"""Database engine, sessions and migrations (SQLAlchemy 2.x, Alembic)."""

import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from alembic import command
from alembic.config import Config
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as UTC on every backend (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


READ_ONLY_OPTION = "liaison_read_only"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOLDS_WRITE_LOCK = "liaison_holds_write_lock"


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # Take transaction control from pysqlite, whose implicit BEGIN breaks SAVEPOINTs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets readers proceed during a write; busy_timeout makes writers queue, not fail.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    # One writer at a time per process, queued on a lock instead of SQLite's busy handler,
    # which polls with sleeps of up to 100 ms and makes concurrent writers' tail latency
    # explode. Other processes still queue through busy_timeout.
    write_lock = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
        # writes, fails at once with SQLITE_BUSY when another writer got in between.
        # Read-only requests need no lock at all (WAL readers never block).
        if connection.get_execution_options().get(READ_ONLY_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        write_lock.acquire()
        connection.info[_HOLDS_WRITE_LOCK] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection)
            raise

    def _release(connection: Any) -> None:
        if connection.info.pop(_HOLDS_WRITE_LOCK, False):
            write_lock.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


def ensure_sqlite_folder(database_url: str) -> None:
    """Create the folder of a SQLite file (./var on a fresh checkout) so it can be opened."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def create_db_engine(database_url: str) -> Engine:
    """An engine for the URL; SQLite files get their folder created and sane pragmas."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        ensure_sqlite_folder(database_url)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, pool_size=8
        )
        _prepare_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def create_session_factory(bind: Any) -> sessionmaker[Session]:
    """Sessions that never expire objects on commit (responses are built after commit)."""
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


def create_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for requests that only read: on SQLite they take no write lock."""
    return create_session_factory(engine.execution_options(**{READ_ONLY_OPTION: True}))


def alembic_config(database_url: str) -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", "app:migrations")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def run_migrations(database_url: str) -> None:
    """Bring the database schema to the newest revision."""
    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), "head")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request, committed once at the end, rolled back on any error.

    Read requests (GET) run their handlers on the event loop: their queries are small, indexed
    and never wait on a lock (SQLite WAL readers, PostgreSQL MVCC), and skipping the thread
    hop doubles throughput. Writes run in the threadpool, since they may wait for a lock.
    """
    read_only = request.method in SAFE_METHODS
    state = request.app.state
    factory: sessionmaker[Session] = (
        state.read_session_factory if read_only else state.session_factory
    )
    session = factory()
    try:
        yield session
        if read_only:
            # A read transaction has nothing to commit; ending it is cheap, no thread hop.
            session.close()
        else:
            await run_in_threadpool(session.commit)
    except BaseException:
        await run_in_threadpool(session.rollback)
        raise
    finally:
        session.close()


# scope="function" commits before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
