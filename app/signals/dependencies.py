"""Dependencies of the signals routes: the shared embedder and a write session for GETs."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from app.errors import ServiceUnavailable
from app.signals.embedding import Embedder


async def get_embedder(request: Request) -> Embedder:
    """The embedder loaded once in the lifespan."""
    embedder: Embedder | None = getattr(request.app.state, "embedder", None)
    if embedder is None:
        raise ServiceUnavailable("the embedding model is not loaded yet: retry in a few seconds")
    return embedder


async def get_write_session(request: Request) -> AsyncIterator[Session]:
    """A read-write session committed at the end, even for GET (signals update a view marker)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
        await run_in_threadpool(session.commit)
    except BaseException:
        await run_in_threadpool(session.rollback)
        raise
    finally:
        session.close()


EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
