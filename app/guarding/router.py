"""HTTP route for checking a message with the guards (thin: parse, call the service, render)."""

from fastapi import APIRouter

from app.auth import CurrentPrincipal
from app.db import SessionDep
from app.guarding import service
from app.guarding.schemas import GuardCheckRead, GuardCheckRequest

router = APIRouter(prefix="/v1/guards", tags=["guards"])


@router.post("/check")
def check_message(
    body: GuardCheckRequest, session: SessionDep, user: CurrentPrincipal
) -> GuardCheckRead:
    """Check a customer message for ETAs, speculation, internal detail and the other guards."""
    return service.check(session, body)
