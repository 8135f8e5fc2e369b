"""The run's outputs: results.json (summary, grouping, guards, per incident) and cases.jsonl."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from evals.runner import CaseResult, IncidentRun, RunResult
from evals.scorers import GroupingScores, score_grouping, summarize
from evals.thresholds import Change


def case_record(case: CaseResult) -> dict[str, Any]:
    """One line of cases.jsonl."""
    scores = asdict(case.scores)
    return {
        "incident_id": case.incident_id,
        "checkpoint_at": case.checkpoint_at.isoformat(),
        "channel": case.channel,
        "locale": case.locale,
        "expected_status": case.expected_status,
        "text": case.text,
        "reference": case.reference,
        "guard_report": case.guard_report,
        "fallback_used": case.fallback_used,
        "draft": case.draft,
        "visible_messages": case.visible_messages,
        "visible_reports": case.visible_reports,
        "error": case.error,
        "scores": scores,
    }


def _grouping_dict(scores: GroupingScores | None) -> dict[str, Any]:
    if scores is None:
        return {"ari": None, "nmi": None, "noise_rate": None}
    return {
        "ari": _round(scores.ari),
        "nmi": _round(scores.nmi),
        "noise_rate": _round(scores.noise_rate),
        "labelled_reports": scores.labelled,
        "noise_reports": scores.noise,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def grouping_section(runs: Sequence[IncidentRun]) -> dict[str, Any] | None:
    """Pooled and per-incident grouping scores; None when no incident has reports."""
    with_reports = [run for run in runs if run.incident.reports]
    if not with_reports:
        return None
    measured = [run for run in with_reports if run.report_signals is not None]
    gold: list[str | None] = []
    predicted: list[str | None] = []
    for run in measured:
        assert run.report_signals is not None
        # Pooling keeps incidents apart: the same group name in two incidents is two groups.
        gold += [
            None if report.group is None else f"{run.incident.id}:{report.group}"
            for report in run.incident.reports
        ]
        predicted += [
            None if signal is None else f"{run.incident.id}:{signal}"
            for signal in run.report_signals
        ]
    pooled = score_grouping(gold, predicted) if measured else None
    section: dict[str, Any] = _grouping_dict(pooled)
    section["per_incident"] = {
        run.incident.id: _grouping_dict(run.grouping) for run in with_reports
    }
    if not measured:
        notes = sorted({note for run in with_reports for note in run.notes if "skipped" in note})
        section["note"] = "; ".join(notes) or "no signals were returned"
    return section


def guards_section(result: Any) -> dict[str, dict[str, dict[str, float | int]]]:
    """Precision, recall and F1 per category and locale, pooled over the given corpus files."""
    from evals.guards_eval import CategoryScore

    pooled: dict[tuple[str, str], CategoryScore] = {}
    for result_set in result.sets:
        for key, score in result_set.scores.items():
            total = pooled.setdefault(key, CategoryScore())
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
            total.support += score.support
    section: dict[str, dict[str, dict[str, float | int]]] = {}
    for (category, locale), score in sorted(pooled.items()):
        section.setdefault(category, {})[locale] = {
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "f1": round(score.f1, 4),
            "support": score.support,
        }
    return section


def build_results(
    result: RunResult,
    *,
    paths: Sequence[str],
    guards: Mapping[str, Any] | None = None,
    guard_corpora: Sequence[str] = (),
    changes: Sequence[Change] | None = None,
    baseline_path: str | None = None,
    missed: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The results.json document."""
    cases = result.cases
    document: dict[str, Any] = {
        "run": {
            "started_at": result.started_at.isoformat(),
            "wall_seconds": round(result.wall_seconds, 2),
            "model": result.model,
            "seed": result.seed,
            "paths": list(paths),
            "incidents": len(result.runs),
            "cases": len(cases),
            "errors": sum(case.error is not None for case in cases),
            "notes": sorted({note for run in result.runs for note in run.notes}),
        },
        "summary": summarize([case.scores for case in cases]),
        "incidents": [
            {
                "id": run.incident.id,
                "title": run.incident.title,
                "locale": run.incident.locale,
                "cases": len(run.cases),
                "summary": summarize([case.scores for case in run.cases]),
                "notes": run.notes,
            }
            for run in result.runs
        ],
    }
    grouping = grouping_section(result.runs)
    if grouping is not None:
        document["grouping"] = grouping
    if guards is not None:
        document["guards"] = dict(guards)
        document["run"]["guard_corpora"] = list(guard_corpora)
    if changes is not None:
        document["baseline"] = {
            "path": baseline_path,
            "changes": {
                change.score: {
                    "baseline": change.baseline,
                    "current": change.current,
                    "change": None if change.delta is None else round(change.delta, 4),
                    "regressed": change.regressed,
                }
                for change in changes
            },
        }
    if missed is not None:
        document["thresholds"] = {"missed": list(missed)}
    return document


def write_outputs(out: Path, document: Mapping[str, Any], cases: Sequence[CaseResult]) -> None:
    """Write results.json and cases.jsonl into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    with (out / "cases.jsonl").open("w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case_record(case), ensure_ascii=False) + "\n")


def load_baseline(path: Path) -> dict[str, float | None]:
    """The summary of an earlier results.json."""
    document = json.loads(path.read_text(encoding="utf-8"))
    summary = document.get("summary")
    if not isinstance(summary, dict):
        raise ValueError(f"{path}: not a results.json (no `summary` object)")
    return summary
