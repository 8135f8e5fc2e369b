"""results.json shape, thresholds and regressions, and the self-contained report.html."""

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.cli import main
from evals.dataset import RecordedIncident
from evals.report import highlight, render_report
from evals.results import build_results, case_record, write_outputs
from evals.runner import RunResult, run_incidents
from evals.scorers import SUMMARY_KEYS
from evals.thresholds import Thresholds, compare, load_thresholds, missed_minimums
from tests.evals.test_replay import _perfect_drafter, small_incident

GOOD: dict[str, float | None] = {
    "leak_rate": 0.0,
    "blocked_rate": 0.0,
    "status_accuracy": 1.0,
    "mention_recall": 0.9,
    "false_claim_rate": 0.0,
    "length_ok_rate": 1.0,
    "similarity": 0.7,
    "fallback_rate": 0.0,
    "latency_ms_p50": 100.0,
    "latency_ms_p95": 200.0,
}


class FlatEmbedder:
    def encode(self, texts: Any) -> Any:
        return np.ones((len(texts), 3))


def _second_incident() -> RecordedIncident:
    return small_incident(id="small-ja", locale="ja", title="通知の遅延", reports=[])


@pytest.fixture(scope="module")
def run_result() -> RunResult:
    return run_incidents(
        [small_incident(), _second_incident()], drafter=_perfect_drafter, embedder=FlatEmbedder()
    )


def test_summary_has_exactly_the_score_names(run_result: RunResult) -> None:
    document = build_results(run_result, paths=["x"])
    assert list(document["summary"]) == list(SUMMARY_KEYS)
    assert document["summary"]["similarity"] == 1.0
    assert [incident["id"] for incident in document["incidents"]] == ["small", "small-ja"]


def test_grouping_present_when_reports_are(run_result: RunResult) -> None:
    grouping = build_results(run_result, paths=["x"])["grouping"]
    assert set(grouping) >= {"ari", "nmi", "noise_rate", "per_incident"}
    assert list(grouping["per_incident"]) == ["small"]


def test_guards_section_per_category_and_locale(run_result: RunResult) -> None:
    guards = {"eta": {"en": {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2}}}
    document = build_results(run_result, paths=["x"], guards=guards)
    assert document["guards"]["eta"]["en"]["f1"] == 0.667


def test_outputs_written(run_result: RunResult, tmp_path: Path) -> None:
    document = build_results(run_result, paths=["x"])
    write_outputs(tmp_path, document, run_result.cases)
    loaded = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    lines = (tmp_path / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert loaded["summary"] == document["summary"]
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert {"incident_id", "checkpoint_at", "channel", "text", "guard_report", "scores"} <= set(
        first
    )


def test_report_is_self_contained_and_lists_every_incident(run_result: RunResult) -> None:
    document = build_results(run_result, paths=["x"])
    cases = [json.loads(json.dumps(case_record(c))) for c in run_result.cases]
    html = render_report(document, cases)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "<link" not in html
    assert "<script" not in html
    assert "<svg" in html
    for incident in ("small", "small-ja"):
        assert f'id="{incident}"' in html


def test_report_shows_changes_against_a_baseline(run_result: RunResult) -> None:
    baseline = dict(GOOD, similarity=1.2)
    changes = compare(
        build_results(run_result, paths=["x"])["summary"], baseline, load_thresholds()
    )
    document = build_results(run_result, paths=["x"], changes=changes, baseline_path="b.json")
    html = render_report(document, [case_record(c) for c in run_result.cases])
    assert document["baseline"]["changes"]["similarity"]["regressed"]
    assert "(regression)" in html


def test_highlight_marks_violation_spans() -> None:
    violations = [{"category": "eta", "span": [10, 20], "blocking": True, "message": "no ETA"}]
    marked = highlight("Fixed by <10 minutes> today", violations)
    assert '<mark class="blocking" title="eta: no ETA">10 minutes</mark>&gt;' in marked
    assert marked.startswith("Fixed by &lt;")


def test_default_thresholds_hold_the_absolute_minimums() -> None:
    scores = load_thresholds().scores
    assert scores["leak_rate"].max == 0.0
    assert scores["status_accuracy"].min == 0.95
    assert scores["mention_recall"].min == 0.8
    assert scores["false_claim_rate"].max == 0.05
    assert scores["length_ok_rate"].min == 1.0
    assert scores["fallback_rate"].max == 0.1


def test_minimums_pass_and_miss() -> None:
    thresholds = load_thresholds()
    assert missed_minimums(GOOD, thresholds) == []
    missed = missed_minimums(dict(GOOD, leak_rate=0.1, status_accuracy=0.9), thresholds)
    assert [line.split(" ")[0] for line in missed] == ["leak_rate", "status_accuracy"]


def test_regression_beyond_tolerance_only() -> None:
    thresholds = Thresholds.model_validate(
        {
            "scores": {
                "mention_recall": {"better": "higher", "tolerance": 0.05},
                "leak_rate": {"better": "lower"},
                "latency_ms_p95": {"better": "lower", "relative_tolerance": 0.5},
            }
        }
    )
    current = dict(GOOD, mention_recall=0.86, leak_rate=0.0, latency_ms_p95=290.0)
    regressed = {c.score for c in compare(current, GOOD, thresholds) if c.regressed}
    assert regressed == set()
    current = dict(GOOD, mention_recall=0.84, leak_rate=0.01, latency_ms_p95=310.0)
    regressed = {c.score for c in compare(current, GOOD, thresholds) if c.regressed}
    assert regressed == {"mention_recall", "leak_rate", "latency_ms_p95"}


def test_improvement_is_not_a_regression() -> None:
    current = dict(GOOD, status_accuracy=1.0, leak_rate=0.0, latency_ms_p50=10.0)
    assert not any(change.regressed for change in compare(current, GOOD, load_thresholds()))


def test_unknown_score_in_thresholds_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("scores:\n  speed: {better: higher}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown score"):
        load_thresholds(path)


def test_fail_on_regression_needs_a_baseline(tmp_path: Path) -> None:
    incident = tmp_path / "i.yaml"
    incident.write_text("id: a\ntitle: t\nlocale: en\n", encoding="utf-8")
    assert main(["eval", "run", str(incident), "--fail-on-regression", "--no-guards"]) == 2
