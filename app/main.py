"""The FastAPI application: create_app() and its lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.approvals.router import router as approvals_router
from app.audit.router import router as audit_router
from app.auth import TokenCache
from app.catalog.router import router as catalog_router
from app.chat.router import router as chat_router
from app.config import Settings, get_settings
from app.db import create_db_engine, create_read_session_factory, create_session_factory
from app.drafting.pipeline import DraftingPipeline
from app.drafting.prompts import PromptRegistry
from app.drafting.router import router as drafts_router
from app.errors import install_error_handlers
from app.guarding.router import router as guarding_router
from app.incidents.router import router as incidents_router
from app.limits import BodySizeLimit
from app.llm import LLMClient
from app.publishing.router import router as publishing_router
from app.publishing.runner import InProcessWorker
from app.publishing.sinks import check_sink_names
from app.signals.embedding import Embedder, load_embedder
from app.signals.router import router as signals_router

ROUTERS = [
    incidents_router,
    catalog_router,
    audit_router,
    drafts_router,
    approvals_router,
    publishing_router,
    guarding_router,
    signals_router,
    chat_router,
]


def build_drafting_pipeline(settings: Settings) -> DraftingPipeline:
    """The LLM client, prompt registry and pipeline: built once per process."""
    llm = LLMClient(
        default_timeout=settings.llm_timeout_seconds,
        api_base=settings.llm_api_base,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        max_tokens=settings.llm_max_tokens,
    )
    return DraftingPipeline(
        llm=llm,
        prompts=PromptRegistry(settings.prompts_dir),
        max_reasks=settings.max_reasks,
        timeout_seconds=settings.llm_timeout_seconds,
    )


def create_app(
    settings: Settings | None = None,
    *,
    session_factory: sessionmaker[Session] | None = None,
    drafting: DraftingPipeline | None = None,
    embedder: Embedder | None = None,
) -> FastAPI:
    """Build the app; given heavy parts (sessions, pipeline, embedder) replace built ones."""
    settings = settings or get_settings()
    check_sink_names(settings.publish_sinks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned: Engine | None = None
        if app.state.drafting is None:
            app.state.drafting = build_drafting_pipeline(settings)
        if app.state.session_factory is None:
            owned = create_db_engine(settings.database_url)
            app.state.session_factory = create_session_factory(owned)
            app.state.read_session_factory = create_read_session_factory(owned)
        if app.state.embedder is None:
            # Once per process: the model takes seconds to load and ~90 MB of memory.
            app.state.embedder = load_embedder()
        publisher: InProcessWorker | None = None
        if settings.run_worker_in_process:
            publisher = InProcessWorker(
                app.state.session_factory, app.state.read_session_factory, settings
            )
            publisher.start()
        app.state.publisher = publisher
        try:
            yield
        finally:
            if publisher is not None:
                publisher.stop()
            if owned is not None:
                owned.dispose()

    app = FastAPI(
        title="Liaison",
        version="0.1.0",
        summary="Guarded, IC-approved customer messages during incidents.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.read_session_factory = session_factory
    app.state.embedder = embedder
    app.state.token_cache = TokenCache(settings.token_cache_seconds)
    app.state.drafting = drafting
    app.state.publisher = None
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], response_model=None)
    async def readyz(request: Request) -> JSONResponse | dict[str, str]:
        """Readiness: the database answers."""
        try:
            with request.app.state.session_factory() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # any database failure means not ready
            return JSONResponse(
                {"error": "NotReady", "detail": f"database unavailable: {type(exc).__name__}"},
                status_code=503,
            )
        return {"status": "ready", "database": "ok"}

    return app
