"""Rendering chat messages (Block Kit). Every untrusted text passes through `escape`."""

import json
from dataclasses import dataclass, field
from typing import Any

# Slack limits: a section's text holds 3,000 characters, a plain-text input 3,000.
SECTION_LIMIT = 3_000
INPUT_LIMIT = 3_000
EDIT_CALLBACK = "liaison.draft.edit"
EDIT_BLOCK = "draft_text"
EDIT_INPUT = "text"

APPROVE = "liaison.draft.approve"
APPROVE_STALE = "liaison.draft.approve_stale"
EDIT = "liaison.draft.edit"
REJECT = "liaison.draft.reject"

USAGE = """*Liaison* — customer messages held until the IC approves them.
`/liaison start <title>` open an incident linked to this channel
`/liaison link <incident id>` link this channel to an existing incident
`/liaison draft [statuspage|social|email|chat] [en|ja]` draft a customer message
`/liaison status <investigating|identified|monitoring|resolved>` change the status (IC only)
`/liaison signals` impact signals from customer reports
`/liaison check [statuspage|social|email|chat] <text>` run the guards on any text (only you see it)
`/liaison help` this help"""

STATE_LABELS = {
    "pending_approval": ":hourglass_flowing_sand: Waiting for the IC's approval",
    "approved": ":white_check_mark: Approved",
    "published": ":mega: Published",
    "rejected": ":x: Rejected",
    "superseded": ":fast_forward: Superseded by a newer draft",
}


def escape(text: str) -> str:
    """Neutralise mrkdwn control sequences: links, `<!channel>`, `<!here>`, `<@U…>` pings.

    Slack parses `<…>` as links and mentions; escaping `&`, `<` and `>` (as Slack documents)
    makes them plain text, so text from chat or a model can never ping or link anyone.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The plain text of a message as the platform sends it (it escapes `&`, `<`, `>`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_LIMIT)}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(text, 2_000)}]}


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in escape(text).splitlines() or [""])


def ephemeral(text: str) -> dict[str, Any]:
    """A slash-command answer only the caller sees."""
    return {"response_type": "ephemeral", "text": text}


def in_channel(text: str) -> dict[str, Any]:
    """A slash-command answer everyone in the channel sees."""
    return {"response_type": "in_channel", "text": text}


@dataclass
class DraftCard:
    """What the draft message in the channel shows."""

    draft_id: int
    incident_id: int
    incident_title: str
    channel: str
    locale: str
    state: str
    text: str
    revision: int
    # None: not shown (the published message was approved with whatever it had).
    violations: list[dict[str, Any]] | None
    staleness: dict[str, Any]
    fallback_used: bool = False
    decided_by: str | None = None
    decision_reason: str | None = None
    override_reason: str | None = None
    sinks: list[str] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)


def _violation_lines(violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for violation in violations[:10]:
        mark = ":no_entry:" if violation.get("blocking") else ":warning:"
        line = (
            f"{mark} *{escape(str(violation.get('category', '')))}* "
            f"“{escape(str(violation.get('text', '')))}” — "
            f"{escape(str(violation.get('message', '')))}"
        )
        fix = violation.get("fix")
        if fix is not None:
            line += f" Fix: “{escape(str(fix))}”" if fix else " Fix: delete it."
        lines.append(line)
    if len(violations) > 10:
        lines.append(f"…and {len(violations) - 10} more")
    return lines


def _staleness_lines(changes: dict[str, Any]) -> list[str]:
    lines = []
    if "status_changed" in changes:
        moved = changes["status_changed"]
        lines.append(
            f":warning: The status changed from {escape(str(moved.get('from')))} to "
            f"{escape(str(moved.get('to')))} since this draft was written."
        )
    if changes.get("new_messages"):
        lines.append(
            f":warning: {int(changes['new_messages'])} new transcript message(s) since this draft."
        )
    for signal in changes.get("new_signals", [])[:5]:
        lines.append(
            f":warning: New impact signal: {escape(str(signal.get('label')))} "
            f"({int(signal.get('count', 0))} reports)."
        )
    return lines


def draft_message(card: DraftCard) -> tuple[str, list[dict[str, Any]]]:
    """The fallback text and blocks of a draft's channel message, for its current state."""
    header = (
        f"*Draft #{card.draft_id}* · {escape(card.channel)} · {escape(card.locale)} · "
        f"revision {card.revision} · incident #{card.incident_id} {escape(card.incident_title)}"
    )
    state = STATE_LABELS.get(card.state, escape(card.state))
    if card.decided_by and card.state in ("approved", "published", "rejected"):
        verb = "rejected" if card.state == "rejected" else "approved"
        state += f" — {verb} by {escape(card.decided_by)}"
    blocks: list[dict[str, Any]] = [_section(header), _section(_quote(card.text))]
    if len(escape(card.text)) > SECTION_LIMIT - 100:
        blocks.append(_context(f"Text clipped here; full text: GET /v1/drafts/{card.draft_id}"))
    if card.violations is None:
        pass
    elif card.violations:
        blocks.append(_section("*Guard report*\n" + "\n".join(_violation_lines(card.violations))))
    else:
        blocks.append(_context(":white_check_mark: Guards: no violations."))
    if card.fallback_used:
        blocks.append(_context(":warning: The prepared default message was used."))
    if card.state == "pending_approval" and card.staleness:
        blocks.append(_section("\n".join(_staleness_lines(card.staleness))))
    status_lines = [state]
    if card.decision_reason and card.state == "rejected":
        status_lines.append(f"Reason: {escape(card.decision_reason)}")
    if card.override_reason:
        status_lines.append(f"Guard override: {escape(card.override_reason)}")
    if card.state == "approved" and card.sinks:
        status_lines.append("Publishing to: " + ", ".join(escape(s) for s in card.sinks))
    if card.state == "published":
        where = card.delivered or card.sinks
        status_lines.append("Published to: " + (", ".join(escape(s) for s in where) or "—"))
    blocks.append(_section("\n".join(status_lines)))
    if card.state == "pending_approval":
        value = str(card.draft_id)
        blocks.append(
            {
                "type": "actions",
                "block_id": f"draft_{card.draft_id}",
                "elements": [
                    _button("Approve", APPROVE, value, "primary"),
                    _button("Edit", EDIT, value, None),
                    _button("Reject", REJECT, value, "danger"),
                ],
            }
        )
    text = f"Draft #{card.draft_id} ({escape(card.channel)}): {STATE_LABELS.get(card.state, '')}"
    return text, blocks


def _button(label: str, action_id: str, value: str, style: str | None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        button["style"] = style
    return button


def stale_prompt(draft_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    """An ephemeral answer: the draft is stale; approve anyway or ask for a new draft."""
    lines = [f"Draft #{draft_id} is stale: the incident changed since it was written.", ""]
    lines += _staleness_lines(changes)
    lines.append("Ask for a new draft (`/liaison draft`), or approve this one anyway.")
    return {
        "response_type": "ephemeral",
        "replace_original": False,
        "text": "\n".join(lines),
        "blocks": [
            _section("\n".join(lines)),
            {
                "type": "actions",
                "elements": [
                    _button("Approve anyway", APPROVE_STALE, str(draft_id), "danger"),
                ],
            },
        ],
    }


def edit_view(draft_id: int, text: str, source: dict[str, str]) -> dict[str, Any]:
    """The Edit modal: the current text; submitting creates a new revision."""
    return {
        "type": "modal",
        "callback_id": EDIT_CALLBACK,
        "private_metadata": json.dumps({"draft_id": draft_id, **source}),
        "title": {"type": "plain_text", "text": f"Edit draft #{draft_id}"[:24]},
        "submit": {"type": "plain_text", "text": "Save revision"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": EDIT_BLOCK,
                "label": {"type": "plain_text", "text": "Customer message"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": EDIT_INPUT,
                    "multiline": True,
                    "initial_value": text[:INPUT_LIMIT],
                    "max_length": INPUT_LIMIT,
                },
            },
            _context("Guards run again on save; the IC approves the new revision."),
        ],
    }


def check_answer(text: str, violations: list[dict[str, Any]], blocking: bool) -> str:
    """The private answer to `/liaison check`."""
    if not violations:
        return ":white_check_mark: No guard violations in:\n" + _quote(text)
    verdict = ":no_entry: Blocking violations" if blocking else ":warning: Warnings only"
    return f"{verdict} in:\n{_quote(text)}\n" + "\n".join(_violation_lines(violations))


def signals_answer(incident_id: int, signals: list[dict[str, Any]]) -> str:
    """The private answer to `/liaison signals`."""
    if not signals:
        return f"No impact signals yet for incident #{incident_id}."
    lines = [f"*Impact signals of incident #{incident_id}*"]
    for signal in signals[:10]:
        covered = "covered" if signal.get("covered") else "*not covered by an approved message*"
        lines.append(
            f"• {escape(str(signal.get('label')))} — {int(signal.get('count', 0))} reports, "
            f"{len(signal.get('customers', []))} customers, {escape(str(signal.get('trend')))}, "
            f"{covered}"
        )
    return "\n".join(lines)


def signal_notice(
    incident_id: int, label: str, count: int, customers: int, ic_chat_user: str | None
) -> str:
    """A new impact signal, announced in the incident channel for the IC."""
    # The mention comes from our own principal table, never from report text.
    to = f"<@{ic_chat_user}> " if ic_chat_user else "IC: "
    return (
        f"{to}:rotating_light: New impact signal on incident #{incident_id}: "
        f"*{escape(label)}* — {count} reports from {customers} customer(s). "
        "`/liaison signals` lists them; `/liaison draft` writes an update."
    )


def published_notice(draft_id: int, channel: str, text: str, approved_by: str) -> str:
    """What the chat sink posts when an approved message goes out."""
    return (
        f":mega: Published draft #{draft_id} ({escape(channel)}), approved by "
        f"{escape(approved_by)}:\n{_quote(text)}"
    )
