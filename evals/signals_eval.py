"""Grouping quality: the incremental grouping against the gold `group` labels of reports.

ARI and NMI are computed over reports that carry a `group`; `noise_rate` is the share of noise
reports (no `group`) that ended in a group of at least `min_reports` reports, i.e. a signal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from app.signals.embedding import Embedder
from app.signals.grouping import (
    GroupIndex,
    GroupingParameters,
    IncidentStats,
    Matrix,
    embedding_dimensions,
    raw_features,
)
from evals.dataset import RecordedIncident


@dataclass(frozen=True)
class GroupingScore:
    """Scores of one incident, or pooled over several (labels prefixed by incident)."""

    name: str
    locale: str
    reports: int
    ari: float
    nmi: float
    noise_reports: int
    noise_in_signals: int
    signals: int

    @property
    def noise_rate(self) -> float:
        return self.noise_in_signals / self.noise_reports if self.noise_reports else 0.0


@dataclass
class GroupingResult:
    """Per-incident scores and pooled scores per locale and overall."""

    incidents: list[GroupingScore] = field(default_factory=list)
    pooled: list[GroupingScore] = field(default_factory=list)


@dataclass
class _Assignment:
    incident: RecordedIncident
    gold: list[str | None]
    predicted: list[str]
    sizes: Counter[str]


def group_incident(
    incident: RecordedIncident, embedder: Embedder, parameters: GroupingParameters
) -> list[int]:
    """The final group key of each report, fed one at a time in file order as the API does."""
    texts = [report.text for report in incident.reports]
    return group_rows(raw_features(texts, embedder.embed(texts)), parameters)


def group_rows(rows: Matrix, parameters: GroupingParameters) -> list[int]:
    """Feed raw feature rows one per batch, re-grouping the latest window when due, exactly as
    `app.signals.service.add_reports` does; returns each row's final group key."""
    index = GroupIndex(parameters, IncidentStats.empty(embedding_dimensions(rows.shape[1])))
    keys: list[int] = []
    for row in rows:
        keys.append(index.assign_batch(row[None, :])[0].key)
        if index.regroup_due():
            start = max(0, len(keys) - parameters.regroup_window)
            keys[start:] = index.regroup(keys[start:], rows[start : len(keys)])
    return keys


def _score(name: str, locale: str, items: Sequence[_Assignment], min_reports: int) -> GroupingScore:
    gold: list[str] = []
    predicted: list[str] = []
    noise = noisy = 0
    signals = 0
    for item in items:
        signals += sum(1 for size in item.sizes.values() if size >= min_reports)
        for label, key in zip(item.gold, item.predicted, strict=True):
            if label is None:
                noise += 1
                noisy += item.sizes[key] >= min_reports
            else:
                gold.append(f"{item.incident.id}/{label}")
                predicted.append(key)
    return GroupingScore(
        name=name,
        locale=locale,
        reports=len(gold),
        ari=float(adjusted_rand_score(gold, predicted)) if gold else 0.0,
        nmi=float(normalized_mutual_info_score(gold, predicted)) if gold else 0.0,
        noise_reports=noise,
        noise_in_signals=noisy,
        signals=signals,
    )


def evaluate_grouping(
    incidents: Sequence[RecordedIncident],
    embedder: Embedder,
    *,
    parameters: GroupingParameters | None = None,
    min_reports: int = 2,
) -> GroupingResult:
    """Group each incident's reports and score them per incident, per locale and pooled."""
    parameters = parameters or GroupingParameters()
    assignments = []
    for incident in incidents:
        if not incident.reports:
            continue
        keys = group_incident(incident, embedder, parameters)
        predicted = [f"{incident.id}/{key}" for key in keys]
        assignments.append(
            _Assignment(
                incident=incident,
                gold=[report.group for report in incident.reports],
                predicted=predicted,
                sizes=Counter(predicted),
            )
        )
    result = GroupingResult()
    for item in assignments:
        result.incidents.append(_score(item.incident.id, item.incident.locale, [item], min_reports))
    for locale in sorted({item.incident.locale for item in assignments}):
        chosen = [item for item in assignments if item.incident.locale == locale]
        result.pooled.append(_score(f"pooled {locale}", locale, chosen, min_reports))
    if assignments:
        result.pooled.append(_score("pooled all", "all", assignments, min_reports))
    return result


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def format_grouping_eval(result: GroupingResult) -> str:
    """Render the result as a plain-text table (per incident, then pooled and mean per locale)."""
    header = (
        f"{'incident':<28} {'locale':<6} {'n':>4} {'ARI':>6} {'NMI':>6} {'noise':>9} {'signals':>7}"
    )
    lines = [header, "-" * len(header)]

    def row(score: GroupingScore) -> str:
        noise = f"{score.noise_in_signals}/{score.noise_reports}"
        return (
            f"{score.name[:28]:<28} {score.locale:<6} {score.reports:4d} {score.ari:6.3f} "
            f"{score.nmi:6.3f} {noise:>9} {score.signals:7d}"
        )

    lines += [row(score) for score in result.incidents]
    lines.append("-" * len(header))
    lines += [row(score) for score in result.pooled]
    lines.append("-" * len(header))
    for locale in sorted({score.locale for score in result.incidents}):
        scores = [score for score in result.incidents if score.locale == locale]
        noise = sum(s.noise_in_signals for s in scores) / max(
            sum(s.noise_reports for s in scores), 1
        )
        lines.append(
            f"mean {locale}: ARI {_mean([s.ari for s in scores]):.3f}  "
            f"NMI {_mean([s.nmi for s in scores]):.3f}  noise_rate {noise:.3f}"
        )
    return "\n".join(lines)
