"""The learned second opinion of the guards (guards/learned.py) and its shipped models."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from guards import check_message
from guards.learned import (
    LEARNED_CATEGORIES,
    MODEL_DIR,
    TRAINING_SETS,
    Chunk,
    NgramModel,
    Thresholds,
    load_model,
    review,
    train,
)
from guards.normalize import normalize
from guards.validators.base import Finding


def _shipped(category: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((MODEL_DIR / f"{category}.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("category", LEARNED_CATEGORIES)
def test_shipped_model_matches_the_training_data(category: str) -> None:
    """Changing a labelled set without retraining (`python -m guards.learned`) fails here."""
    data = _shipped(category)
    texts = []
    for name in TRAINING_SETS:
        for line in (MODEL_DIR.parents[1] / "evals" / "guards" / f"{name}.jsonl").open(
            encoding="utf-8"
        ):
            if line.strip():
                texts.append(normalize(json.loads(line)["text"]).text)
    assert data["trained_on"] == list(TRAINING_SETS)
    assert data["training_sha256"] == hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    # The newest holdouts stay unseen.
    assert not {"holdout11", "holdout12"} & set(TRAINING_SETS)
    thresholds = data["thresholds"]
    assert isinstance(thresholds, dict)
    assert set(thresholds) == {"en", "ja"}


def test_retraining_reproduces_the_shipped_model() -> None:
    """About a minute: the eta file in the repository is what `python -m guards.learned` writes."""
    shipped = _shipped("eta")
    assert isinstance(shipped["thresholds"], dict)
    assert isinstance(shipped["features"], dict)
    thresholds = {
        locale: Thresholds(veto=pair["veto"], cut=pair["cut"])
        for locale, pair in shipped["thresholds"].items()
    }
    retrained = train("eta", thresholds=thresholds, vocabulary=sorted(shipped["features"]))
    assert retrained["features"].keys() == shipped["features"].keys()
    for key in list(shipped["features"])[:300]:
        assert retrained["features"][key] == pytest.approx(shipped["features"][key], abs=1e-4)


def test_model_scores_promises_above_past_statements() -> None:
    model = load_model("eta")
    assert model is not None
    promise = model.probability("Fix is going out now, give it ~15 min and it should be back.")
    past = model.probability("The outage lasted 15 minutes and service has been stable since.")
    assert promise > model.thresholds["en"].cut > past


def _eta_model() -> NgramModel:
    model = load_model("eta")
    assert model is not None
    return model


def _chunk(start: int, end: int) -> Chunk:
    return Chunk((start, end), ((start, end),), ((start, end),), (Counter(), Counter()))


def test_review_vetoes_low_scored_findings_and_adds_high_scored_chunks() -> None:
    chunks = [_chunk(0, 10), _chunk(11, 20), _chunk(21, 30)]
    findings = [Finding(2, 5, "rule"), Finding(12, 15, "rule")]
    opinion = review(
        _eta_model(),
        "x" * 30,
        findings,
        chunks,
        [0.05, 0.9, 0.95].__getitem__,
        Thresholds(veto=0.2, cut=0.8),
    )
    # The first finding's chunk scores under the veto; the second is kept, and its chunk gets
    # no second finding; the third chunk has none and scores over the cut-off.
    assert opinion.kept == [findings[1]]
    assert opinion.added == [(chunks[2], 0)]


def test_review_with_no_veto_and_no_cut_changes_nothing() -> None:
    chunks = [_chunk(0, 10)]
    findings = [Finding(2, 5, "rule")]
    opinion = review(
        _eta_model(), "x" * 10, findings, chunks, [0.0].__getitem__, Thresholds(veto=0.0, cut=1.01)
    )
    assert opinion.kept == findings
    assert opinion.added == []


def test_review_adds_nothing_where_the_guard_refuses_the_sentence() -> None:
    chunks = [_chunk(0, 10)]
    opinion = review(
        _eta_model(),
        "x" * 10,
        [],
        chunks,
        [0.99].__getitem__,
        Thresholds(0.0, 0.5),
        accepts=lambda s: False,
    )
    assert opinion.added == []


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        # Found only by the model: no time pattern or restoration word the rules know.
        ("Quick fix is going out now; give it ~15 min and everything should be back.", "en"),
        ("A fix for the login loop some of you are hitting ships tonight.", "en"),
    ],
)
def test_learned_detector_flags_what_rules_pass(text: str, locale: str) -> None:
    report = check_message(text, channel="chat", locale=locale)
    flagged = [v for v in report.violations if v.category == "eta"]
    assert flagged, report
    # The whole sentence is flagged and replaced by a next-update promise.
    assert flagged[0].span == (0, len(text))
    assert flagged[0].fix == "We will provide another update within 30 minutes."


@pytest.mark.parametrize(
    "text",
    [
        "We will post the next update in 30 minutes.",
        "We do not have an estimated time of recovery yet; next update by 15:00 UTC.",
        "Refunds will be issued within 5 business days.",
        "We resolved the degradation and restored full service by 15:13 UTC.",
        "Maintenance will run on Monday from 12:00 to 16:30 UTC.",
    ],
)
def test_learned_detector_does_not_flag_allowed_times(text: str) -> None:
    report = check_message(text, channel="statuspage", locale="en")
    assert "eta" not in {violation.category for violation in report.violations}


def test_shared_vocabulary_scores_match_the_per_model_scores() -> None:
    """The fast path (one vector per chunk, dot products) gives the model's own probability."""
    from guards.learned import chunks_of, shipped_vocabulary
    from guards.rules import load_rule_pack
    from guards.validators.base import sentence_spans

    vocabulary = shipped_vocabulary()
    assert vocabulary is not None
    text = "Fix is going out now; give it ~15 min. We think the cache is to blame, sorry!"
    normalized = normalize(text)
    spans = sentence_spans(normalized.text, load_rule_pack("en"))
    (chunk,) = chunks_of(normalized, spans, "en", vocabulary)
    assert chunk.vectors is not None
    for category in LEARNED_CATEGORIES:
        model = load_model(category)
        assert model is not None
        assert model.probability_of_vectors(chunk.vectors) == pytest.approx(
            model.probability(text), abs=1e-9
        )
