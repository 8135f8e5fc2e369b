"""Chat commands, buttons and events, mapped onto the domain services. Never commits.

Chat users act as the principal linked to their chat user id, so roles apply exactly as
over HTTP; every successful action also writes a `chat.*` audit event with the chat user id.
"""

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.approvals import service as approvals
from app.approvals.schemas import ApproveBody, EditBody, RejectBody
from app.audit.service import record
from app.auth import CurrentUser, Principal, require_admin, require_writer
from app.chat import blocks
from app.chat.models import ChatDraftMessage, ChatEvent, ChatSignalNotice
from app.chat.schemas import DraftJob, Outcome, SlashCommand
from app.config import Settings
from app.drafting.models import Draft
from app.drafting.schemas import DraftCreate
from app.errors import (
    AppError,
    BlockedByGuards,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleDraft,
)
from app.guarding.schemas import CHANNELS, LOCALES
from app.guarding.service import check_text, context_for_incident
from app.incidents import service as incidents
from app.incidents.models import Incident
from app.incidents.schemas import (
    MAX_MESSAGE_CHARS,
    STATUSES,
    IncidentCreate,
    IncidentUpdate,
    StatusChange,
    TranscriptMessageIn,
)
from app.publishing.service import publications_of
from app.signals.service import list_signals

# Transcript messages from the Events API are appended on the platform's behalf.
EVENTS_ACTOR = CurrentUser(id=0, name="chat-events", role="liaison")
# Message subtypes that are people talking; every other subtype (joins, bots...) is skipped.
CONVERSATION_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})


def _not_linked(chat_user_id: str) -> Forbidden:
    return Forbidden(
        f"your chat account ({chat_user_id}) is not linked to a Liaison principal: ask an admin "
        f"to run `liaison chat link --name <principal> --chat-user {chat_user_id}`"
    )


def principal_for(session: Session, chat_user_id: str) -> CurrentUser:
    """The principal linked to a chat user, or Forbidden saying how to link one."""
    row = session.execute(
        select(Principal.id, Principal.name, Principal.role).where(
            Principal.chat_user_id == chat_user_id
        )
    ).first()
    if row is None:
        raise _not_linked(chat_user_id)
    return CurrentUser(id=row.id, name=row.name, role=row.role)


def incident_for_channel(session: Session, channel_id: str) -> Incident:
    """The incident linked to a chat channel, or NotFound saying how to link one."""
    incident = session.scalar(select(Incident).where(Incident.chat_channel == channel_id))
    if incident is None:
        raise NotFound(
            "this channel is not linked to an incident: `/liaison start <title>` opens one, "
            "`/liaison link <incident id>` links an existing one"
        )
    return incident


def incident_id_for_channel(session: Session, channel_id: str) -> int | None:
    """The linked incident's id, if any (for audit events of refused requests)."""
    return session.scalar(select(Incident.id).where(Incident.chat_channel == channel_id))


def set_chat_user(
    session: Session, name: str, chat_user_id: str | None, *, actor: str
) -> Principal:
    """Link (or with None unlink) a principal to a chat user id; audited."""
    principal = session.scalar(select(Principal).where(Principal.name == name))
    if principal is None:
        raise NotFound(
            f"principal {name!r} does not exist: create it with liaison token create --name {name}"
        )
    if chat_user_id is not None:
        owner = session.scalar(select(Principal.name).where(Principal.chat_user_id == chat_user_id))
        if owner is not None and owner != name:
            raise Conflict(
                f"chat user {chat_user_id} is already linked to principal {owner!r}: "
                "unlink it first"
            )
    before = principal.chat_user_id
    principal.chat_user_id = chat_user_id
    session.flush()
    record(
        session,
        actor=actor,
        action="principal.chat_user_linked",
        subject_type="principal",
        subject_id=principal.name,
        data={"before": before, "after": chat_user_id},
    )
    return principal


def link_chat_user(
    session: Session, user: CurrentUser, name: str, chat_user_id: str | None
) -> Principal:
    """The admin API's link (or unlink) of a principal's chat user id."""
    require_admin(user)
    return set_chat_user(session, name, chat_user_id, actor=user.name)


def _audit(
    session: Session,
    user: CurrentUser,
    chat_user_id: str,
    action: str,
    incident_id: int | None,
    **data: Any,
) -> None:
    record(
        session,
        actor=user.name,
        action=f"chat.{action}",
        subject_type="incident" if incident_id is not None else "chat",
        subject_id=incident_id,
        incident_id=incident_id,
        data={"chat_user_id": chat_user_id, **data},
    )


def record_refusal(
    session: Session, chat_user_id: str, channel_id: str, action: str, reason: str
) -> None:
    """Audit a refused chat request (in its own transaction: the request's was rolled back)."""
    record(
        session,
        actor=f"chat:{chat_user_id[:100]}",
        action="chat.refused",
        subject_type="chat",
        incident_id=incident_id_for_channel(session, channel_id[:100]),
        data={
            "chat_user_id": chat_user_id[:100],
            "channel": channel_id[:100],
            "action": action,
            "reason": reason[:500],
        },
    )


def refusal_text(exc: AppError, action: str) -> str:
    """The private answer to a refused request."""
    what = {"approve": "approve drafts", "reject": "reject drafts", "status": "change the status"}
    if isinstance(exc, Forbidden) and action in what:
        return f"Only the incident's IC can {what[action]}: {exc.message}"
    return f"Cannot {action}: {exc.message}"


# --- slash commands ---------------------------------------------------------------------


def handle_command(session: Session, settings: Settings, command: SlashCommand) -> Outcome:
    """Run one `/liaison` subcommand; AppErrors are the caller's to turn into a private answer."""
    words = command.text.split()
    name = words[0].lower() if words else "help"
    rest = command.text.strip()[len(words[0]) :].strip() if words else ""
    if name == "help":
        return Outcome(reply=blocks.ephemeral(blocks.USAGE))
    if name == "start":
        return _start(session, command, rest)
    if name == "link":
        return _link(session, command, rest)
    if name == "draft":
        return _draft(session, command, words[1:])
    if name == "status":
        return _status(session, command, words[1:])
    if name == "signals":
        return _signals(session, command)
    if name == "check":
        return _check(session, command, rest)
    return Outcome(
        reply=blocks.ephemeral(f"Unknown command `{blocks.escape(name[:50])}`.\n\n{blocks.USAGE}")
    )


def _usage(message: str) -> Outcome:
    return Outcome(reply=blocks.ephemeral(f"{message}\n\n{blocks.USAGE}"))


def _start(session: Session, command: SlashCommand, title: str) -> Outcome:
    user = principal_for(session, command.user_id)
    if not title:
        return _usage("`/liaison start` needs a title.")
    try:
        body = IncidentCreate(
            title=blocks.unescape(title),
            chat_channel=command.channel_id,
            # An IC who opens the incident commands it; anyone else leaves it unassigned.
            ic=user.name if user.role == "ic" else None,
        )
    except ValidationError as exc:
        raise InvalidInput(_first_error(exc)) from exc
    incident = incidents.create_incident(session, user, body)
    _audit(
        session, user, command.user_id, "incident_started", incident.id, channel=command.channel_id
    )
    ic = blocks.escape(incident.ic) if incident.ic else "unassigned (any IC may command it)"
    return Outcome(
        reply=blocks.in_channel(
            f"Incident #{incident.id} opened by {blocks.escape(user.name)}: "
            f"*{blocks.escape(incident.title)}* (investigating). IC: {ic}. "
            "Messages in this channel now feed its transcript."
        )
    )


def _link(session: Session, command: SlashCommand, argument: str) -> Outcome:
    user = principal_for(session, command.user_id)
    if not argument.lstrip("#").isdigit():
        return _usage("`/liaison link` needs an incident id, e.g. `/liaison link 12`.")
    incident = incidents.update_incident(
        session,
        user,
        int(argument.lstrip("#")),
        IncidentUpdate(chat_channel=command.channel_id),
    )
    _audit(
        session, user, command.user_id, "channel_linked", incident.id, channel=command.channel_id
    )
    return Outcome(
        reply=blocks.in_channel(
            f"This channel is now linked to incident #{incident.id}: "
            f"*{blocks.escape(incident.title)}*."
        )
    )


def _draft(session: Session, command: SlashCommand, arguments: list[str]) -> Outcome:
    channel = "statuspage"
    locale: str | None = None
    for word in (w.lower() for w in arguments):
        if word in CHANNELS:
            channel = word
        elif word in LOCALES:
            locale = word
        else:
            return _usage(f"`/liaison draft`: unknown option `{blocks.escape(word[:50])}`.")
    user = principal_for(session, command.user_id)
    require_writer(user)
    incident = incident_for_channel(session, command.channel_id)
    body = DraftCreate.model_validate({"channel": channel, "locale": locale})
    _audit(
        session,
        user,
        command.user_id,
        "draft_requested",
        incident.id,
        channel=channel,
        locale=locale or incident.locale,
    )
    return Outcome(
        reply=blocks.ephemeral(
            f"Drafting a {channel} message ({locale or incident.locale}) for incident "
            f"#{incident.id}… it will be posted here for the IC's approval."
        ),
        draft_job=DraftJob(incident.id, command.user_id, command.channel_id, body),
    )


def _status(session: Session, command: SlashCommand, arguments: list[str]) -> Outcome:
    if len(arguments) != 1 or arguments[0].lower() not in STATUSES:
        return _usage("`/liaison status` needs one of: " + ", ".join(STATUSES) + ".")
    status = arguments[0].lower()
    user = principal_for(session, command.user_id)
    incident = incident_for_channel(session, command.channel_id)
    before = incident.status
    incident = incidents.change_status(session, user, incident.id, StatusChange(status=status))
    _audit(session, user, command.user_id, "status_changed", incident.id, to=status)
    if before == status:
        return Outcome(reply=blocks.ephemeral(f"Incident #{incident.id} is already {status}."))
    return Outcome(
        reply=blocks.in_channel(
            f"Incident #{incident.id} is now *{status}* (was {before}), "
            f"set by {blocks.escape(user.name)}. Drafts written before this are stale."
        )
    )


def _signals(session: Session, command: SlashCommand) -> Outcome:
    user = principal_for(session, command.user_id)
    incident = incident_for_channel(session, command.channel_id)
    signals = list_signals(session, incident.id)
    _audit(session, user, command.user_id, "signals_listed", incident.id)
    answer = blocks.signals_answer(incident.id, [s.model_dump(mode="json") for s in signals])
    return Outcome(reply=blocks.ephemeral(answer))


def _check(session: Session, command: SlashCommand, rest: str) -> Outcome:
    user = principal_for(session, command.user_id)
    words = rest.split(maxsplit=1)
    channel = "statuspage"
    if words and words[0].lower() in CHANNELS:
        channel = words[0].lower()
        rest = words[1] if len(words) > 1 else ""
    text = blocks.unescape(rest).strip()
    if not text:
        return _usage("`/liaison check` needs the text to check.")
    incident_id = incident_id_for_channel(session, command.channel_id)
    locale = "en"
    if incident_id is not None:
        locale = incidents.get_incident(session, incident_id).locale
    report = check_text(
        text, channel=channel, locale=locale, context=context_for_incident(session, incident_id)
    )
    _audit(session, user, command.user_id, "text_checked", incident_id, channel=channel)
    violations = [violation.model_dump(mode="json") for violation in report.violations]
    return Outcome(reply=blocks.ephemeral(blocks.check_answer(text, violations, report.blocking)))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}"


# --- drafts in the channel --------------------------------------------------------------


def card_for(session: Session, draft: Draft) -> blocks.DraftCard:
    """Everything the draft's channel message shows, read from the database."""
    incident = incidents.get_incident(session, draft.incident_id)
    jobs = publications_of(session, [draft.id])[draft.id]
    violations = [
        violation
        for violation in (draft.guard_report or {}).get("violations", [])
        if isinstance(violation, dict)
    ]
    return blocks.DraftCard(
        draft_id=draft.id,
        incident_id=incident.id,
        incident_title=incident.title,
        channel=draft.channel,
        locale=draft.locale,
        state=draft.state,
        text=draft.text,
        revision=draft.revision,
        violations=violations,
        staleness=approvals.staleness(session, draft) if draft.state == "pending_approval" else {},
        fallback_used=draft.fallback_used,
        decided_by=draft.decided_by,
        decision_reason=draft.decision_reason,
        override_reason=draft.override_reason,
        sinks=[job.sink for job in jobs if job.state != "cancelled"],
        delivered=[job.sink for job in jobs if job.state == "delivered"],
    )


def remember_message(session: Session, draft_id: int, channel: str, ts: str) -> None:
    """Store where a draft was posted, so later state changes update it in place."""
    existing = session.get(ChatDraftMessage, draft_id)
    if existing is None:
        session.add(ChatDraftMessage(draft_id=draft_id, channel=channel, ts=ts))
    else:
        existing.channel, existing.ts = channel, ts
    session.flush()


def message_of(session: Session, draft_id: int) -> ChatDraftMessage | None:
    """Where the draft was posted in chat, if it was."""
    return session.get(ChatDraftMessage, draft_id)


def drafts_to_refresh(session: Session, draft: Draft) -> list[int]:
    """The draft and the older drafts of its channel that were posted in chat (superseded)."""
    ids = session.scalars(
        select(Draft.id)
        .join(ChatDraftMessage, ChatDraftMessage.draft_id == Draft.id)
        .where(
            Draft.incident_id == draft.incident_id,
            Draft.channel == draft.channel,
            Draft.id < draft.id,
            Draft.state == "superseded",
        )
    ).all()
    return [draft.id, *ids]


# --- interactions -----------------------------------------------------------------------


def handle_action(
    session: Session, settings: Settings, payload: dict[str, Any]
) -> tuple[Outcome, str]:
    """A button click (block_actions); returns the outcome and the action's short name."""
    actions = payload.get("actions") or []
    action = actions[0] if actions and isinstance(actions[0], dict) else {}
    action_id = str(action.get("action_id", ""))
    chat_user_id = str((payload.get("user") or {}).get("id", ""))
    channel_id = str((payload.get("channel") or {}).get("id", ""))
    try:
        draft_id = int(str(action.get("value", "")))
    except ValueError as exc:
        raise InvalidInput("the button carries no draft id") from exc
    if action_id in (blocks.APPROVE, blocks.APPROVE_STALE):
        return _approve(
            session, settings, chat_user_id, channel_id, draft_id, action_id == blocks.APPROVE_STALE
        ), "approve"
    if action_id == blocks.REJECT:
        user = principal_for(session, chat_user_id)
        draft = approvals.reject_draft(
            session, user, draft_id, RejectBody(reason=f"rejected in chat by {user.name}")
        )
        _audit(session, user, chat_user_id, "draft_rejected", draft.incident_id, draft_id=draft.id)
        return Outcome(refresh_drafts=[draft.id]), "reject"
    if action_id == blocks.EDIT:
        user = principal_for(session, chat_user_id)
        require_writer(user)
        draft = approvals.get_draft(session, draft_id)
        if draft.state != "pending_approval":
            raise Conflict(f"draft {draft.id} is {draft.state}; only a pending draft can be edited")
        trigger_id = str(payload.get("trigger_id", ""))
        view = blocks.edit_view(draft.id, draft.text, {"channel": channel_id})
        return Outcome(open_view=(trigger_id, view)), "edit"
    raise InvalidInput(f"unknown action {action_id[:100]!r}")


def _approve(
    session: Session,
    settings: Settings,
    chat_user_id: str,
    channel_id: str,
    draft_id: int,
    confirm_stale: bool,
) -> Outcome:
    user = principal_for(session, chat_user_id)
    try:
        draft = approvals.approve_draft(
            session,
            user,
            draft_id,
            ApproveBody(confirm_stale=confirm_stale),
            publish_sinks=settings.publish_sinks,
        )
    except StaleDraft as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {}
        prompt = blocks.stale_prompt(draft_id, detail)
        return Outcome(ephemerals=[(channel_id, chat_user_id, prompt["text"], prompt["blocks"])])
    except BlockedByGuards as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {}
        categories = ", ".join(detail.get("categories", []))
        text = (
            f"Draft #{draft_id} has blocking guard violations ({blocks.escape(categories)}). "
            "Edit it (the Edit button), or approve it with an override_reason over the API: "
            f"POST /v1/drafts/{draft_id}/approve."
        )
        return Outcome(ephemerals=[(channel_id, chat_user_id, text, None)])
    _audit(
        session,
        user,
        chat_user_id,
        "draft_approved",
        draft.incident_id,
        draft_id=draft.id,
        revision=draft.revision,
        confirm_stale=confirm_stale,
    )
    return Outcome(refresh_drafts=drafts_to_refresh(session, draft), wake_publisher=True)


def handle_view_submission(session: Session, payload: dict[str, Any]) -> tuple[Outcome, str]:
    """The Edit modal was submitted: a new revision through the approvals service."""
    view = payload.get("view") or {}
    if view.get("callback_id") != blocks.EDIT_CALLBACK:
        raise InvalidInput("unknown modal")
    chat_user_id = str((payload.get("user") or {}).get("id", ""))
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
        draft_id = int(metadata["draft_id"])
        text = view["state"]["values"][blocks.EDIT_BLOCK][blocks.EDIT_INPUT]["value"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("the modal carries no draft id or text") from exc
    user = principal_for(session, chat_user_id)
    try:
        body = EditBody(text=str(text or ""))
    except ValidationError as exc:
        raise InvalidInput(_first_error(exc)) from exc
    draft = approvals.edit_draft(session, user, draft_id, body)
    _audit(
        session,
        user,
        chat_user_id,
        "draft_edited",
        draft.incident_id,
        draft_id=draft.id,
        revision=draft.revision,
    )
    return Outcome(refresh_drafts=[draft.id]), "edit"


# --- events -----------------------------------------------------------------------------


def _at(ts: str) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC)


def _author(session: Session, chat_user_id: str) -> str:
    name = session.scalar(select(Principal.name).where(Principal.chat_user_id == chat_user_id))
    return name or chat_user_id or "unknown"


def claim_event(session: Session, event_id: str) -> bool:
    """Remember an Events API delivery; False when it was processed before (a retry)."""
    if not event_id:
        return True
    if session.get(ChatEvent, event_id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ChatEvent(event_id=event_id[:100]))
    except IntegrityError:
        return False  # a concurrent delivery of the same event got there first
    return True


def handle_event(session: Session, envelope: dict[str, Any]) -> int:
    """An Events API callback; returns how many transcript messages it appended.

    `message` events of a linked channel become transcript messages with external_id
    `client_msg_id` (or `channel:ts`), so platform retries never append twice. Bot messages
    and non-conversation subtypes are skipped. An edit (`message_changed`) appends the new
    text as a new message marked "(edited)": the transcript is append-only and an edit is new
    material the IC may want drafts to reflect. Deletions are not mirrored.
    """
    if not claim_event(session, str(envelope.get("event_id", ""))):
        return 0
    event = envelope.get("event")
    if not isinstance(event, dict) or event.get("type") != "message":
        return 0
    channel = str(event.get("channel", ""))
    subtype = event.get("subtype")
    if subtype == "message_changed":
        message = event.get("message")
        if not isinstance(message, dict):
            return 0
        edited = message.get("edited") or {}
        edited_ts = str(edited.get("ts") or event.get("ts") or "")
        external_id = f"{channel}:{message.get('ts')}:edited:{edited_ts}"
        return _append(session, channel, message, external_id, prefix="(edited) ", at=edited_ts)
    if subtype not in CONVERSATION_SUBTYPES:
        return 0
    external_id = str(event.get("client_msg_id") or f"{channel}:{event.get('ts')}")
    return _append(session, channel, event, external_id)


def _append(
    session: Session,
    channel: str,
    message: dict[str, Any],
    external_id: str,
    *,
    prefix: str = "",
    at: str | None = None,
) -> int:
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return 0
    incident_id = incident_id_for_channel(session, channel)
    if incident_id is None:
        return 0
    text = blocks.unescape(str(message.get("text") or "")).strip()
    if not text:
        return 0
    try:
        item = TranscriptMessageIn(
            at=_at(str(at or message.get("ts") or "0")),
            author=_author(session, str(message.get("user") or "")),
            text=(prefix + text)[:MAX_MESSAGE_CHARS],
            external_id=external_id[:200],
        )
    except (ValidationError, ValueError, OverflowError):
        return 0  # nothing a person could act on (malformed timestamp or text)
    created, duplicates = incidents.append_transcript(session, EVENTS_ACTOR, incident_id, [item])
    return len(created) - duplicates


# --- signals ----------------------------------------------------------------------------


def signals_to_announce(
    session: Session, settings: Settings, incident_id: int
) -> tuple[str, list[str]]:
    """Signals that reached the threshold and were not announced yet: (channel, texts).

    Each signal is announced once: the notice row is written before the post, so a failed
    post is not retried (at most once; the IC still sees it in `/liaison signals`).
    """
    incident = session.get(Incident, incident_id)
    if incident is None or incident.chat_channel is None:
        return "", []
    threshold = settings.slack_signal_threshold
    announced = set(
        session.scalars(
            select(ChatSignalNotice.signal_id).where(ChatSignalNotice.incident_id == incident_id)
        ).all()
    )
    ic_chat_user = None
    if incident.ic is not None:
        ic_chat_user = session.scalar(
            select(Principal.chat_user_id).where(Principal.name == incident.ic)
        )
    texts = []
    for signal in list_signals(session, incident_id):
        if signal.count < threshold or signal.id in announced:
            continue
        try:
            with session.begin_nested():
                session.add(
                    ChatSignalNotice(
                        incident_id=incident_id, signal_id=signal.id, count=signal.count
                    )
                )
        except IntegrityError:
            continue  # another process announces it
        texts.append(
            blocks.signal_notice(
                incident_id, signal.label, signal.count, len(signal.customers), ic_chat_user
            )
        )
    return incident.chat_channel, texts
