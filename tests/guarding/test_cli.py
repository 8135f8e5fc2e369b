"""`liaison check` and `liaison eval guards`: exit codes in a subprocess, output in-process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.db import run_migrations

ROOT = Path(__file__).resolve().parents[2]
LIAISON = [sys.executable, "-m", "app.cli"]


def _run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LIAISON_DATABASE_URL=f"sqlite:///{tmp_path / 'liaison.db'}")
    return subprocess.run(
        [*LIAISON, *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_check_exits_1_on_a_blocking_violation(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "Logins fail. We expect a fix within 10 minutes.")
    assert result.returncode == 1
    assert "eta (blocking)" in result.stdout
    assert "within 10 minutes" in result.stdout
    assert "fix:" in result.stdout


def test_check_exits_0_on_a_clean_message_read_from_stdin(tmp_path: Path) -> None:
    text = "We are investigating delayed SMS notifications. Next update in 30 minutes.\n"
    result = _run(tmp_path, "check", "--channel", "social", stdin=text)
    assert result.returncode == 0, result.stdout
    assert "no violations" in result.stdout


def test_check_rejects_an_unknown_channel_with_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "--channel", "fax", "hi")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_check_with_unknown_incident_is_a_usage_error(tmp_path: Path) -> None:
    run_migrations(f"sqlite:///{tmp_path / 'liaison.db'}")
    result = _run(tmp_path, "check", "--incident", "42", "hi")
    assert result.returncode == 2
    assert "incident 42 does not exist" in result.stderr


def test_check_prints_json_for_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", "--locale", "ja", "--json", "原因は設定変更と思われます。"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert report["blocking"] is True
    assert "speculation" in {violation["category"] for violation in report["violations"]}


def test_check_over_the_limit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", "x" * 100_001])
    assert status == 2
    assert "the limit is 100,000" in capsys.readouterr().err


def test_eval_guards_scores_a_corpus_and_notes_missing_real_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "tiny.jsonl"
    rows = [
        {"text": "Fixed within the hour, we expect.", "locale": "en", "labels": ["eta"]},
        {"text": "We are investigating.", "locale": "en", "labels": []},
    ]
    corpus.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    status = main(["eval", "guards", "--corpus", str(corpus), "--real", str(tmp_path / "none")])
    out = capsys.readouterr().out
    assert status == 0
    assert "== tiny (2 cases)" in out
    assert "eta" in out
    assert "real updates: skipped" in out


def test_eval_guards_names_the_line_of_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text('{"text": "Fixed soon.", "locale": "en", "labels": ["eta"]}\n', "utf-8")
    labels = tmp_path / "labels.jsonl"  # a labelled set where published updates belong
    labels.write_text(corpus.read_text("utf-8"), "utf-8")
    status = main(["eval", "guards", "--corpus", str(corpus), "--real", str(labels)])
    assert status == 2
    assert f"{labels}, line 1: no 'body' text field" in capsys.readouterr().err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "ok", "locale": "en"}\n{"locale": "en"\n', "utf-8")
    status = main(["eval", "guards", "--corpus", str(broken), "--real", str(tmp_path / "none")])
    assert status == 2
    assert f"{broken}, line 2: not JSON" in capsys.readouterr().err


def test_eval_group_is_shared_with_other_suites() -> None:
    import argparse

    from app.guarding.cli import register

    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    other = commands.add_parser("eval").add_subparsers(dest="eval_command")
    other.add_parser("drafts")
    register(commands)
    assert parser.parse_args(["eval", "drafts"]).eval_command == "drafts"
    assert parser.parse_args(["eval", "guards"]).eval_command == "guards"


def test_default_eval_covers_every_labelled_set_in_order() -> None:
    from app.guarding.cli import DEFAULT_CORPORA

    on_disk = {p.name for p in (ROOT / "evals" / "guards").glob("*.jsonl")}
    assert {p.name for p in DEFAULT_CORPORA} == on_disk - {"real_labels.jsonl"}
    names = [p.stem for p in DEFAULT_CORPORA]
    assert names[0] == "corpus"
    assert names.index("dev2") < names.index("dev10") < names.index("holdout")
    assert names.index("holdout9") < names.index("holdout10") < names.index("holdout12")
