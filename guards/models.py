"""Public data types of the guard package."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field

CATEGORIES: tuple[str, ...] = (
    "eta",
    "speculation",
    "internal_detail",
    "pii",
    "length",
    "missing_status",
    "missing_impact",
    "ungrounded",
    "placeholder",
)
BLOCKING_CATEGORIES: frozenset[str] = frozenset(
    {"eta", "speculation", "internal_detail", "pii", "length", "placeholder"}
)
CHANNELS: tuple[str, ...] = ("statuspage", "social", "email", "chat")
LOCALES: tuple[str, ...] = ("en", "ja")
# Guards are regex-based and linear, but a cap keeps one request from monopolising a worker.
MAX_TEXT_CHARS = 100_000


class InvalidGuardInput(ValueError):
    """Raised for an unknown channel or locale, or a text over MAX_TEXT_CHARS."""


class CatalogEntry(BaseModel):
    """One public component and the internal names that refer to it."""

    model_config = ConfigDict(frozen=True)

    component: str
    internal: tuple[str, ...] = ()


class GuardContext(BaseModel):
    """Everything incident-specific the guards need; frozen so guard sets can be cached on it."""

    model_config = ConfigDict(frozen=True)

    catalog: tuple[CatalogEntry, ...] = ()
    people: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    grounding: tuple[str, ...] = ()
    status: str | None = None


class Violation(BaseModel):
    """One problem in a message; `fix` replaces `text` (the span), '' means delete it."""

    category: str
    span: tuple[int, int]
    text: str
    message: str
    fix: str | None = None
    blocking: bool


class GuardReport(BaseModel):
    """All violations found in one message."""

    violations: list[Violation] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def blocking(self) -> bool:
        """Whether any violation blocks approval."""
        return any(violation.blocking for violation in self.violations)

    def categories(self) -> set[str]:
        """The distinct categories that fired."""
        return {violation.category for violation in self.violations}
