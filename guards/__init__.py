"""Customer-message guards: guardrails-ai validators for ETA, speculation, internal detail etc."""

from guards import _offline  # noqa: F401  (must run before guardrails is imported)
from guards.guard_set import GuardSet, build_guard_set, check_message
from guards.models import (
    BLOCKING_CATEGORIES,
    CATEGORIES,
    CHANNELS,
    LOCALES,
    MAX_TEXT_CHARS,
    CatalogEntry,
    GuardContext,
    GuardReport,
    InvalidGuardInput,
    Violation,
)

__all__ = [
    "BLOCKING_CATEGORIES",
    "CATEGORIES",
    "CHANNELS",
    "LOCALES",
    "MAX_TEXT_CHARS",
    "CatalogEntry",
    "GuardContext",
    "GuardReport",
    "GuardSet",
    "InvalidGuardInput",
    "Violation",
    "build_guard_set",
    "check_message",
]
