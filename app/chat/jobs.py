"""Work done after a chat request is acknowledged: own sessions, then Web API calls.

The platform wants an answer within 3 seconds, so drafting and message updates run after
the acknowledgement (FastAPI background tasks), each in a session of its own. A failed Web
API call is logged (method and error, never the token) and does not undo the domain change.
"""

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.approvals.service import get_draft
from app.chat import blocks, service
from app.chat.schemas import DraftJob
from app.chat.slack_client import ChatApiError, SlackClient
from app.config import Settings
from app.drafting.pipeline import DraftingPipeline
from app.drafting.service import create_draft
from app.errors import AppError

logger = logging.getLogger("liaison.chat")


def post_draft(
    session_factory: sessionmaker[Session],
    pipeline: DraftingPipeline,
    settings: Settings,
    job: DraftJob,
) -> None:
    """Write the draft, post it to the channel with its buttons, remember where."""
    with session_factory() as session:
        try:
            user = service.principal_for(session, job.chat_user_id)
            draft = create_draft(
                session, user, job.incident_id, job.body, pipeline=pipeline, settings=settings
            )
            session.commit()
        except AppError as exc:
            session.rollback()
            send_ephemerals(
                settings,
                [(job.channel_id, job.chat_user_id, f"Drafting failed: {exc.message}", None)],
            )
            return
        text, message_blocks = blocks.draft_message(service.card_for(session, draft))
        try:
            with SlackClient(settings) as slack:
                ts = slack.post_message(job.channel_id, text, message_blocks)
        except ChatApiError as exc:
            logger.warning("posting draft %s failed: %s", draft.id, exc)
            return
        service.remember_message(session, draft.id, job.channel_id, ts)
        session.commit()


def refresh_messages(
    session_factory: sessionmaker[Session], settings: Settings, draft_ids: Iterable[int]
) -> None:
    """Re-render the channel messages of drafts whose state changed (chat.update)."""
    updates: list[tuple[str, str, str, list[dict[str, Any]]]] = []
    with session_factory() as session:
        for draft_id in draft_ids:
            where = service.message_of(session, draft_id)
            if where is None:
                continue  # drafted over the API: never posted in chat
            text, message_blocks = blocks.draft_message(
                service.card_for(session, get_draft(session, draft_id))
            )
            updates.append((where.channel, where.ts, text, message_blocks))
    if not updates:
        return
    try:
        with SlackClient(settings) as slack:
            for channel, ts, text, message_blocks in updates:
                slack.update_message(channel, ts, text, message_blocks)
    except ChatApiError as exc:
        logger.warning("updating a draft message failed: %s", exc)


def send_ephemerals(
    settings: Settings,
    ephemerals: Iterable[tuple[str, str, str, list[dict[str, Any]] | None]],
) -> None:
    """Private answers through chat.postEphemeral (never through a URL from the request)."""
    items = list(ephemerals)
    if not items:
        return
    try:
        with SlackClient(settings) as slack:
            for channel, user, text, message_blocks in items:
                payload: dict[str, Any] = {"channel": channel, "user": user, "text": text}
                if message_blocks is not None:
                    payload["blocks"] = message_blocks
                slack.call("chat.postEphemeral", payload)
    except ChatApiError as exc:
        logger.warning("a private answer failed: %s", exc)


def announce_signals(
    session_factory: sessionmaker[Session], settings: Settings, incident_id: int
) -> None:
    """Post signals that crossed `slack_signal_threshold` to the incident channel, once each."""
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        return
    with session_factory() as session:
        channel, texts = service.signals_to_announce(session, settings, incident_id)
        session.commit()
    if not texts:
        return
    try:
        with SlackClient(settings) as slack:
            for text in texts:
                slack.post_message(channel, text)
    except ChatApiError as exc:
        logger.warning("announcing signals of incident %s failed: %s", incident_id, exc)


def open_view(settings: Settings, trigger_id: str, view: dict[str, Any]) -> None:
    """Open a modal (views.open); a failure is logged."""
    try:
        with SlackClient(settings) as slack:
            slack.open_view(trigger_id, view)
    except ChatApiError as exc:
        logger.warning("opening the edit modal failed: %s", exc)
