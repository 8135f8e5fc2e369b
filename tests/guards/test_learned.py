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
    assert not {"holdout15", "holdout16", "holdout17", "holdout18"} & set(TRAINING_SETS)
    thresholds = data["thresholds"]
    assert isinstance(thresholds, dict)
    assert set(thresholds) == {"en", "ja"}


def test_retraining_reproduces_the_shipped_model() -> None:
    """About a minute: the eta file in the repository is what `python -m guards.learned` writes."""
    shipped = _shipped("eta")
    assert isinstance(shipped["thresholds"], dict)
    assert isinstance(shipped["features"], dict)
    thresholds = {locale: Thresholds(**pair) for locale, pair in shipped["thresholds"].items()}
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


def _two_sentence_chunk() -> Chunk:
    return Chunk((0, 21), ((0, 10), (11, 21)), ((0, 10), (11, 21)), (Counter(), Counter()))


def test_review_scores_sentences_alone_inside_a_low_scored_chunk() -> None:
    chunks = [_two_sentence_chunk()]
    alone = {(0, 0): 0.01, (0, 1): 0.92}
    thresholds = Thresholds(veto=0.0, cut=0.7, sentence_cut=0.9, strong=1.01)
    opinion = review(
        _eta_model(), "x" * 21, [], chunks, [0.05].__getitem__, thresholds,
        sentence_score=lambda where, index: alone[where, index],
    )  # fmt: skip
    # The chunk scores under every cut-off; its second sentence alone is over the sentence's.
    assert opinion.added == [(chunks[0], 1)]


def test_review_strong_sentences_need_only_the_gate() -> None:
    chunks = [_two_sentence_chunk()]
    thresholds = Thresholds(veto=0.0, cut=1.01, sentence_cut=0.9, strong=0.95)

    def flagged(score: float) -> list[tuple[Chunk, int]]:
        return review(
            _eta_model(), "x" * 21, [], chunks, [0.0].__getitem__, thresholds,
            gate=lambda sentence: True, accepts=lambda sentence: False,
            sentence_score=lambda where, index: score if index == 0 else 0.0,
        ).added  # fmt: skip

    # The guard refuses every sentence: only a score at `strong` overrules it.
    assert flagged(0.93) == []
    assert flagged(0.97) == [(chunks[0], 0)]


def test_review_keeps_a_finding_whose_sentence_scores_over_the_sentence_veto() -> None:
    chunks = [_two_sentence_chunk()]
    findings = [Finding(12, 15, "rule")]
    thresholds = Thresholds(veto=0.3, cut=1.01, sentence_veto=0.5)

    def kept(score: float) -> list[Finding]:
        return review(
            _eta_model(), "x" * 21, findings, chunks, [0.1].__getitem__, thresholds,
            sentence_score=lambda where, index: score,
        ).kept  # fmt: skip

    assert kept(0.2) == []
    assert kept(0.6) == findings


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


def test_threshold_choice_is_the_same_with_parallel_folds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The left-out folds run in forked processes; how many must not change the choice."""
    import guards.learned as learned

    monkeypatch.setattr(learned, "TRAINING_SETS", ("corpus", "dev2"))
    monkeypatch.setattr(learned, "FRESH_SETS", ("corpus", "dev2"))
    cases = learned._prepared_cases()
    serial = learned._choose_thresholds("speculation", cases, jobs=1)
    parallel = learned._choose_thresholds("speculation", cases, jobs=2)
    assert serial == parallel
    chosen, estimate = parallel
    assert set(chosen) == {"en", "ja"}
    assert set(estimate["en"]) == {"rules_precision", "rules_recall", "precision", "recall"}
