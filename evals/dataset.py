"""Recorded incidents for the evaluation suite: models, loading and the visibility rule.

The file format is specified in DESIGN.md ("Recorded incident format (evals)").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

Status = Literal["investigating", "identified", "monitoring", "resolved"]
Channel = Literal["statuspage", "social", "email", "chat"]
Source = Literal["ticket", "email", "phone", "chat"]
Locale = Literal["en", "ja"]
MessageKind = Literal["chat", "call-note", "status-change"]

INCIDENT_SUFFIXES = (".yaml", ".yml")


class DatasetError(ValueError):
    """A recorded incident file (or a set of them) is not in the DESIGN.md format."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogEntry(_Strict):
    """One public component and the internal names (hosts, services, queues, repos) behind it."""

    component: str = Field(min_length=1)
    internal: list[str] = Field(default_factory=list)


class TranscriptEntry(_Strict):
    """One message of the incident channel or a call note."""

    at: AwareDatetime
    author: str = Field(min_length=1)
    text: str
    kind: MessageKind = "chat"
    status: Status | None = None

    @model_validator(mode="after")
    def _status_only_on_status_change(self) -> TranscriptEntry:
        if self.kind == "status-change" and self.status is None:
            raise ValueError("a status-change message needs a `status`")
        if self.kind != "status-change" and self.status is not None:
            raise ValueError("`status` is only allowed on messages with kind: status-change")
        return self


class ReportEntry(_Strict):
    """One customer report; `group` is the gold signal label, None for noise."""

    at: AwareDatetime
    source: Source
    customer: str | None = None
    text: str = Field(min_length=1)
    group: str | None = None


class Expectation(_Strict):
    """What a good draft at a checkpoint says, and what it must not say."""

    status: Status
    must_mention: list[list[str]] = Field(default_factory=list)
    must_not_mention: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_empty_terms(self) -> Expectation:
        for group in self.must_mention:
            if not group:
                raise ValueError("a must_mention group must list at least one term")
        terms = [term for group in self.must_mention for term in group]
        terms += self.must_not_mention + self.forbidden
        if any(not term.strip() for term in terms):
            raise ValueError("expectation terms must not be empty")
        return self


class Checkpoint(_Strict):
    """A moment the liaison asks for a draft on one channel."""

    at: AwareDatetime
    channel: Channel
    expect: Expectation
    reference: str | None = None


class RecordedIncident(_Strict):
    """One recorded incident: transcript, customer reports and draft checkpoints."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    locale: Locale
    catalog: list[CatalogEntry] = Field(default_factory=list)
    transcript: list[TranscriptEntry] = Field(default_factory=list)
    reports: list[ReportEntry] = Field(default_factory=list)
    checkpoints: list[Checkpoint] = Field(default_factory=list)

    @model_validator(mode="after")
    def _chronological(self) -> RecordedIncident:
        _require_sorted("transcript", [entry.at for entry in self.transcript])
        _require_sorted("checkpoints", [checkpoint.at for checkpoint in self.checkpoints])
        return self


def _require_sorted(field: str, times: list[datetime]) -> None:
    for index in range(1, len(times)):
        if times[index] < times[index - 1]:
            raise ValueError(
                f"{field} must be in chronological order: {field}[{index}] "
                f"({times[index].isoformat()}) is before {field}[{index - 1}] "
                f"({times[index - 1].isoformat()})"
            )


def _format_location(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(top level)"


def _describe(error: ValidationError) -> str:
    lines = []
    for detail in error.errors():
        lines.append(f"  {_format_location(tuple(detail['loc']))}: {detail['msg']}")
    return "\n".join(lines)


def load_incident(path: Path) -> RecordedIncident:
    """Load and validate one recorded incident file; DatasetError names the file and field."""
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DatasetError(f"{path}: cannot read file: {error}") from error
    except yaml.YAMLError as error:
        raise DatasetError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise DatasetError(f"{path}: expected a mapping at the top level, got {type(raw).__name__}")
    try:
        return RecordedIncident.model_validate(raw)
    except ValidationError as error:
        raise DatasetError(f"{path}: invalid recorded incident:\n{_describe(error)}") from error


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    child
                    for child in path.iterdir()
                    if child.is_file() and child.suffix in INCIDENT_SUFFIXES
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            raise DatasetError(f"{path}: no such file or directory")
    return files


def load_incidents(paths: Sequence[Path]) -> list[RecordedIncident]:
    """Load files and directories (every *.yaml / *.yml inside, sorted); ids must be unique."""
    incidents: list[RecordedIncident] = []
    seen: dict[str, Path] = {}
    for file in _expand(paths):
        incident = load_incident(file)
        if incident.id in seen:
            raise DatasetError(
                f"{file}: id: duplicate incident id {incident.id!r}, "
                f"already used by {seen[incident.id]}"
            )
        seen[incident.id] = file
        incidents.append(incident)
    return incidents


def visible_at(
    incident: RecordedIncident, at: datetime
) -> tuple[list[TranscriptEntry], list[ReportEntry], Status | None]:
    """Transcript, reports and status visible at `at` (entries with `at` at or before it)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("visible_at needs a timezone-aware datetime")
    transcript = [entry for entry in incident.transcript if entry.at <= at]
    reports = [report for report in incident.reports if report.at <= at]
    status: Status | None = None
    for entry in transcript:
        if entry.kind == "status-change":
            status = entry.status
    return transcript, reports, status
