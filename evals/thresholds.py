"""Absolute minimums and regression tolerances for the summary scores (evals/thresholds.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from evals.scorers import SUMMARY_KEYS

DEFAULT_THRESHOLDS = Path(__file__).parent / "thresholds.yaml"


class ScoreRule(BaseModel):
    """Which way a score improves, how far it may worsen against a baseline, its absolute bounds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    better: Literal["higher", "lower"]
    tolerance: float = Field(default=0.0, ge=0)
    relative_tolerance: float | None = Field(default=None, ge=0)
    min: float | None = None
    max: float | None = None


class Thresholds(BaseModel):
    """Rules per summary score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scores: dict[str, ScoreRule]


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> Thresholds:
    """Read and validate a thresholds file; every rule must name a summary score."""
    thresholds = Thresholds.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    unknown = sorted(set(thresholds.scores) - set(SUMMARY_KEYS))
    if unknown:
        raise ValueError(f"{path}: unknown score(s) {', '.join(unknown)}")
    return thresholds


@dataclass(frozen=True)
class Change:
    """One score against its baseline value."""

    score: str
    baseline: float | None
    current: float | None
    regressed: bool

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


def _allowed_worsening(rule: ScoreRule, baseline: float) -> float:
    if rule.relative_tolerance is not None:
        return max(rule.tolerance, abs(baseline) * rule.relative_tolerance)
    return rule.tolerance


def compare(
    current: Mapping[str, float | None],
    baseline: Mapping[str, float | None],
    thresholds: Thresholds,
) -> list[Change]:
    """Every summary score's change; `regressed` when it worsened beyond its tolerance."""
    changes = []
    for score in SUMMARY_KEYS:
        now, before = current.get(score), baseline.get(score)
        rule = thresholds.scores.get(score)
        regressed = False
        if rule is not None and now is not None and before is not None:
            worsening = before - now if rule.better == "higher" else now - before
            regressed = worsening > _allowed_worsening(rule, before) + 1e-9
        changes.append(Change(score, before, now, regressed))
    return changes


def missed_minimums(summary: Mapping[str, float | None], thresholds: Thresholds) -> list[str]:
    """A sentence per score that misses its absolute bound (a missing score misses it too)."""
    missed = []
    for score, rule in thresholds.scores.items():
        if rule.min is None and rule.max is None:
            continue
        value = summary.get(score)
        if value is None:
            missed.append(f"{score}: no value (no draft was scored)")
        elif rule.min is not None and value < rule.min - 1e-9:
            missed.append(f"{score} = {value:g}, below the minimum {rule.min:g}")
        elif rule.max is not None and value > rule.max + 1e-9:
            missed.append(f"{score} = {value:g}, above the maximum {rule.max:g}")
    return missed
