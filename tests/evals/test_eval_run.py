"""`liaison eval run` from the command line, end to end over one small recorded incident."""

import json
from pathlib import Path

import yaml

from app.cli import main
from evals.guards_eval import evaluate_guards
from evals.results import guards_section
from evals.scorers import SUMMARY_KEYS

SMALL = {
    "id": "e2e-small",
    "title": "Delayed SMS notifications",
    "locale": "en",
    "catalog": [{"component": "Notifications", "internal": ["notif-sms-worker"]}],
    "transcript": [
        {"at": "2026-03-03T10:00:00Z", "author": "ann", "text": "notif-sms-worker lag rising"},
        {
            "at": "2026-03-03T10:01:00Z",
            "author": "ann",
            "text": "customer impact: SMS notifications delayed by about 10 minutes",
        },
        {
            "at": "2026-03-03T10:02:00Z",
            "author": "ann",
            "kind": "status-change",
            "status": "investigating",
            "text": "investigating",
        },
    ],
    "checkpoints": [
        {
            "at": "2026-03-03T10:03:00Z",
            "channel": "statuspage",
            "expect": {
                "status": "investigating",
                "must_mention": [["SMS"]],
                "forbidden": ["notif-sms-worker", "ann"],
            },
            "reference": "We are investigating delays to SMS notifications.",
        },
    ],
}


def test_eval_run_end_to_end(tmp_path: Path) -> None:
    incident = tmp_path / "e2e-small.yaml"
    incident.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    status = main(["eval", "run", str(incident), "--out", str(out), "--no-guards"])
    assert status == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert list(results["summary"]) == list(SUMMARY_KEYS)
    assert results["run"]["errors"] == 0
    cases = (out / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(cases) == 1
    assert json.loads(cases[0])["text"]
    assert "e2e-small" in (out / "report.html").read_text(encoding="utf-8")


def test_guard_corpus_scores_per_category_and_locale(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {
            "text": "We expect this to be fixed within 10 minutes.",
            "locale": "en",
            "channel": "statuspage",
            "labels": ["eta"],
        },
        {
            "text": "We are investigating delays to SMS notifications.",
            "locale": "en",
            "channel": "statuspage",
            "labels": [],
        },
    ]
    corpus.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    section = guards_section(evaluate_guards([corpus]))
    assert set(section["eta"]["en"]) == {"precision", "recall", "f1", "support"}
    assert section["eta"]["en"]["recall"] == 1.0
