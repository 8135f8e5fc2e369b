"""Guard checks of free text. Never commits, never raises HTTP errors."""

from sqlalchemy.orm import Session

from app.drafting.guard_context import guard_context_for
from app.errors import PayloadTooLarge
from app.guarding.schemas import GuardCheckRead, GuardCheckRequest, ViolationRead
from app.incidents.service import get_incident
from guards import MAX_TEXT_CHARS, GuardContext, GuardReport, check_message


def ensure_checkable(text: str) -> None:
    """Raise PayloadTooLarge for text over the guard limit, before any work is done."""
    if len(text) > MAX_TEXT_CHARS:
        raise PayloadTooLarge(
            f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}. "
            "Shorten the message and check it again."
        )


def context_for_incident(session: Session, incident_id: int | None) -> GuardContext | None:
    """The guard context of the incident, None without one; NotFound for an unknown id."""
    if incident_id is None:
        return None
    return guard_context_for(session, get_incident(session, incident_id))


def check_text(
    text: str, *, channel: str, locale: str, context: GuardContext | None = None
) -> GuardReport:
    """Run every guard on the text."""
    ensure_checkable(text)
    return check_message(text, channel=channel, locale=locale, context=context)


def check(session: Session, body: GuardCheckRequest) -> GuardCheckRead:
    """Check a message, with the incident's context when `incident_id` is given."""
    ensure_checkable(body.text)
    context = context_for_incident(session, body.incident_id)
    report = check_text(body.text, channel=body.channel, locale=body.locale, context=context)
    return to_read(report)


def to_read(report: GuardReport) -> GuardCheckRead:
    """The API view of a guard report."""
    return GuardCheckRead(
        blocking=report.blocking,
        violations=[
            ViolationRead.model_validate(violation.model_dump()) for violation in report.violations
        ],
    )
