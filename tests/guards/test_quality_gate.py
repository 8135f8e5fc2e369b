"""Quality gate: the labelled corpus must meet the precision and recall targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.guards_eval import evaluate_guards

CORPUS = Path(__file__).resolve().parents[2] / "evals" / "guards" / "corpus.jsonl"
TARGET = 0.95


@pytest.fixture(scope="module")
def corpus_scores() -> dict[tuple[str, str], tuple[float, float]]:
    result = evaluate_guards([CORPUS])
    [scored] = result.sets
    return {key: (score.precision, score.recall) for key, score in scored.scores.items()}


@pytest.mark.parametrize("locale", ["en", "ja"])
@pytest.mark.parametrize("category", ["eta", "speculation", "internal_detail"])
def test_corpus_meets_precision_and_recall_target(
    corpus_scores: dict[tuple[str, str], tuple[float, float]], category: str, locale: str
) -> None:
    precision, recall = corpus_scores[(category, locale)]
    assert precision >= TARGET, f"{category}/{locale} precision {precision:.3f}"
    assert recall >= TARGET, f"{category}/{locale} recall {recall:.3f}"


def test_corpus_has_enough_cases() -> None:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 400
    assert sum('"locale": "ja"' in line for line in lines) >= 150


def test_real_set_is_skipped_when_data_missing(tmp_path: Path) -> None:
    result = evaluate_guards([CORPUS], tmp_path / "missing")
    assert result.real is None
    assert result.real_skipped_reason is not None
