"""Chat endpoints (Slack-compatible) and the principal chat-user link (thin: verify, delegate)."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from app.auth import CurrentPrincipal
from app.chat import blocks, jobs, service
from app.chat.schemas import ChatUserLink, Outcome, PrincipalRead, SlashCommand
from app.chat.signing import verify
from app.config import Settings
from app.db import SessionDep
from app.errors import AppError, InvalidInput, ServiceUnavailable
from app.publishing.runner import wake_worker

router = APIRouter(tags=["chat"])


async def _verified_body(request: Request) -> bytes:
    """The raw body, once its signature checks out (503 when chat is not configured)."""
    settings: Settings = request.app.state.settings
    if settings.slack_signing_secret is None:
        raise ServiceUnavailable(
            "chat is not configured: set LIAISON_SLACK_SIGNING_SECRET and "
            "LIAISON_SLACK_BOT_TOKEN (see docs/chat.md)"
        )
    body = await request.body()
    verify(
        settings.slack_signing_secret.get_secret_value(),
        timestamp=request.headers.get("x-slack-request-timestamp"),
        signature_header=request.headers.get("x-slack-signature"),
        body=body,
    )
    return body


def _run(
    factory: sessionmaker[Session],
    work: Callable[[Session], Outcome],
    *,
    chat_user_id: str,
    channel_id: str,
    action: str,
) -> tuple[Outcome | None, AppError | None]:
    """Run `work` in one transaction; a refused request is rolled back and audited."""
    with factory() as session:
        try:
            outcome = work(session)
            session.commit()
            return outcome, None
        except AppError as exc:
            session.rollback()
            error = exc
        except BaseException:
            session.rollback()
            raise
        service.record_refusal(session, chat_user_id, channel_id, action, error.message)
        session.commit()
        return None, error


def _schedule(request: Request, background: BackgroundTasks, outcome: Outcome) -> None:
    app = request.app
    settings: Settings = app.state.settings
    if outcome.draft_job is not None:
        background.add_task(
            jobs.post_draft,
            app.state.session_factory,
            app.state.drafting,
            settings,
            outcome.draft_job,
        )
    if outcome.refresh_drafts:
        background.add_task(
            jobs.refresh_messages, app.state.session_factory, settings, outcome.refresh_drafts
        )
    if outcome.ephemerals:
        background.add_task(jobs.send_ephemerals, settings, outcome.ephemerals)
    if outcome.wake_publisher:
        background.add_task(wake_worker, app)


@router.post("/slack/commands")
async def slash_command(request: Request, background: BackgroundTasks) -> dict[str, Any]:
    """The `/liaison` slash command (form-encoded); answers within the platform's 3 seconds."""
    body = await _verified_body(request)
    form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)

    def field(name: str) -> str:
        return form.get(name, [""])[0]

    command = SlashCommand(
        text=field("text"),
        user_id=field("user_id"),
        channel_id=field("channel_id"),
        trigger_id=field("trigger_id"),
    )
    settings: Settings = request.app.state.settings
    name = (command.text.split() or ["help"])[0].lower()
    outcome, error = await run_in_threadpool(
        _run,
        request.app.state.session_factory,
        lambda session: service.handle_command(session, settings, command),
        chat_user_id=command.user_id,
        channel_id=command.channel_id,
        action=name,
    )
    if error is not None:
        return blocks.ephemeral(service.refusal_text(error, name))
    assert outcome is not None
    _schedule(request, background, outcome)
    return outcome.reply


@router.post("/slack/interactions", response_model=None)
async def interaction(request: Request, background: BackgroundTasks) -> dict[str, Any]:
    """Buttons (block_actions) and the Edit modal (view_submission); `payload=` JSON."""
    body = await _verified_body(request)
    form = parse_qs(body.decode("utf-8", errors="replace"))
    try:
        payload = json.loads(form.get("payload", [""])[0])
    except ValueError as exc:
        raise InvalidInput("the payload form field is not JSON") from exc
    if not isinstance(payload, dict):
        raise InvalidInput("the payload form field is not a JSON object")
    settings: Settings = request.app.state.settings
    factory: sessionmaker[Session] = request.app.state.session_factory
    chat_user_id = str((payload.get("user") or {}).get("id", ""))
    channel_id = str((payload.get("channel") or {}).get("id", ""))
    kind = payload.get("type")
    if kind == "block_actions":
        action_name = str(((payload.get("actions") or [{}])[0] or {}).get("action_id", ""))
        short = action_name.rsplit(".", 1)[-1].replace("approve_stale", "approve")
        outcome, error = await run_in_threadpool(
            _run,
            factory,
            lambda session: service.handle_action(session, settings, payload)[0],
            chat_user_id=chat_user_id,
            channel_id=channel_id,
            action=short,
        )
        if error is not None:
            outcome = Outcome(
                ephemerals=[(channel_id, chat_user_id, service.refusal_text(error, short), None)]
            )
        assert outcome is not None
        if outcome.open_view is not None:
            # The trigger expires within seconds: open the modal before answering.
            trigger_id, view = outcome.open_view
            await run_in_threadpool(jobs.open_view, settings, trigger_id, view)
        _schedule(request, background, outcome)
        return {}
    if kind == "view_submission":
        outcome, error = await run_in_threadpool(
            _run,
            factory,
            lambda session: service.handle_view_submission(session, payload)[0],
            chat_user_id=chat_user_id,
            channel_id=channel_id,
            action="edit",
        )
        if error is not None:
            # Shown under the text field; the modal stays open.
            return {
                "response_action": "errors",
                "errors": {blocks.EDIT_BLOCK: service.refusal_text(error, "edit")[:150]},
            }
        assert outcome is not None
        _schedule(request, background, outcome)
        return {}
    return {}


@router.post("/slack/events")
async def event(request: Request, background: BackgroundTasks) -> dict[str, Any]:
    """Events API: URL verification, and channel messages appended to the transcript."""
    body = await _verified_body(request)
    try:
        envelope = json.loads(body)
    except ValueError as exc:
        raise InvalidInput("the body is not JSON") from exc
    if not isinstance(envelope, dict):
        raise InvalidInput("the body is not a JSON object")
    if envelope.get("type") == "url_verification":
        return {"challenge": str(envelope.get("challenge", ""))}
    if envelope.get("type") != "event_callback":
        return {"ok": True}
    factory: sessionmaker[Session] = request.app.state.session_factory

    def append() -> int:
        with factory() as session:
            try:
                count = service.handle_event(session, envelope)
                session.commit()
                return count
            except BaseException:
                session.rollback()
                raise

    appended = await run_in_threadpool(append)
    return {"ok": True, "appended": appended}


@router.put("/v1/principals/{name}/chat-user")
def link_chat_user(
    name: str, body: ChatUserLink, session: SessionDep, user: CurrentPrincipal
) -> PrincipalRead:
    """Link a principal to a chat user id (admin only): chat actions then act as it."""
    principal = service.link_chat_user(session, user, name, body.chat_user_id)
    return PrincipalRead.model_validate(principal)
