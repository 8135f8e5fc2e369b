"""Bearer tokens -> principals with roles; role and per-incident IC checks."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal, get_args

from fastapi import Depends, Request
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from app.db import Base, UTCDateTime, utcnow
from app.errors import Forbidden, InvalidInput, Unauthorized

Role = Literal["admin", "ic", "liaison", "viewer"]
ROLES: tuple[str, ...] = get_args(Role)
TOKEN_PREFIX = "lsn_"


class Principal(Base):
    """A person or integration that calls the API."""

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    chat_user_id: Mapped[str | None] = mapped_column(String(100), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (tokens are 256-bit random, not passwords)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


@dataclass(frozen=True)
class CurrentUser:
    """The authenticated caller of one request."""

    id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, *, name: str, role: str) -> str:
    """Create (or reuse) the principal `name` with `role` and return a new token, shown once."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name must be 1 to 200 characters")
    principal = session.scalar(select(Principal).where(Principal.name == name))
    if principal is None:
        principal = Principal(name=name, role=role)
        session.add(principal)
        session.flush()
    elif principal.role != role:
        raise InvalidInput(
            f"principal {name!r} already exists with role {principal.role!r}; "
            "pick another name or revoke that principal first"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(principal_id=principal.id, token_hash=hash_token(token)))
    session.flush()
    return token


def revoke_tokens(session: Session, *, name: str) -> int:
    """Revoke every active token of principal `name`; returns how many."""
    principal = session.scalar(select(Principal).where(Principal.name == name))
    if principal is None:
        return 0
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.principal_id == principal.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
    return len(tokens)


def resolve_token(session: Session, token: str) -> CurrentUser | None:
    """The principal behind an active token, or None."""
    row = session.execute(
        select(Principal.id, Principal.name, Principal.role)
        .join(ApiToken, ApiToken.principal_id == Principal.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    return CurrentUser(id=row.id, name=row.name, role=row.role)


class TokenCache:
    """Resolved tokens for a few seconds: a token lookup is most of a small request's cost.

    Revoking a token therefore takes effect within `ttl_seconds` on every API process.
    Only successful look-ups are cached, so a new token works at once.
    """

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, CurrentUser]] = {}

    def get(self, token: str) -> CurrentUser | None:
        entry = self._entries.get(hash_token(token))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token: str, user: CurrentUser) -> None:
        if self.ttl_seconds <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[hash_token(token)] = (time.monotonic() + self.ttl_seconds, user)


async def get_current_user(request: Request) -> CurrentUser:
    """Authenticate the request's bearer token.

    Runs on the event loop on purpose: one indexed read in a read-only session never waits on
    a lock (SQLite WAL, PostgreSQL MVCC), and it saves a thread hop on every request.
    """
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token: send 'Authorization: Bearer <token>'")
    cache: TokenCache = request.app.state.token_cache
    token = token.strip()
    user = cache.get(token)
    if user is None:
        factory: sessionmaker[Session] = request.app.state.read_session_factory
        with factory() as session:
            user = resolve_token(session, token)
        if user is not None:
            cache.put(token, user)
    if user is None:
        raise Unauthorized("invalid or revoked token")
    return user


CurrentPrincipal = Annotated[CurrentUser, Depends(get_current_user)]

# What each role may do, outside the per-incident IC check.
WRITERS = frozenset({"admin", "ic", "liaison"})


def require_writer(user: CurrentUser) -> None:
    """Viewers read; everyone else may write incident material."""
    if user.role not in WRITERS:
        raise Forbidden(f"role {user.role!r} is read-only; this needs liaison, ic or admin")


def require_admin(user: CurrentUser) -> None:
    """Only admins may do this."""
    if not user.is_admin:
        raise Forbidden("only an admin may do this")


def is_incident_commander(user: CurrentUser, incident_ic: str | None) -> bool:
    """Whether `user` commands an incident: its named IC, any admin, or any `ic` when unassigned."""
    if user.is_admin:
        return True
    if incident_ic is None:
        return user.role == "ic"
    return user.role == "ic" and user.name == incident_ic


def require_incident_commander(user: CurrentUser, incident_ic: str | None) -> None:
    """Raise Forbidden unless `user` may command the incident."""
    if not is_incident_commander(user, incident_ic):
        who = f"its IC ({incident_ic})" if incident_ic else "a principal with role 'ic'"
        raise Forbidden(f"only {who} or an admin may do this")
