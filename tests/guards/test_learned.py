"""The learned second opinion of the eta guard (guards/learned.py) and its shipped model."""

from __future__ import annotations

import hashlib
import json

import pytest

from guards import check_message
from guards.learned import MODEL_DIR, TRAINING_SETS, labelled_cases, load_model, train


def test_shipped_model_matches_the_training_data() -> None:
    """Changing a labelled set without retraining (`python -m guards.learned`) fails here."""
    data = json.loads((MODEL_DIR / "eta.json").read_text(encoding="utf-8"))
    texts = [case["text"] for case in labelled_cases(TRAINING_SETS)]
    assert data["trained_on"] == list(TRAINING_SETS)
    assert data["training_sha256"] == hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    assert "holdout5" not in data["trained_on"]
    assert "holdout6" not in data["trained_on"]


def test_retraining_reproduces_the_shipped_model() -> None:
    """About 30 s: the file in the repository is what `python -m guards.learned` writes."""
    shipped = json.loads((MODEL_DIR / "eta.json").read_text(encoding="utf-8"))
    retrained = train("eta")
    assert retrained["cut"] == shipped["cut"]
    assert retrained["features"].keys() == shipped["features"].keys()
    for key in list(shipped["features"])[:200]:
        assert retrained["features"][key] == pytest.approx(shipped["features"][key], abs=1e-4)


def test_model_scores_promises_above_past_statements() -> None:
    model = load_model("eta")
    assert model is not None
    promise = model.probability("Fix is going out now, give it ~15 min and it should be back.")
    past = model.probability("The outage lasted 15 minutes and service has been stable since.")
    assert promise > model.cut > past


@pytest.mark.parametrize(
    "text",
    [
        # Found only by the model: no restoration word the rules know near the time.
        "Quick fix is going out now; give it ~15 min and everything should be back to normal.",
    ],
)
def test_learned_detector_flags_what_rules_pass(text: str) -> None:
    report = check_message(text, channel="chat", locale="en")
    assert "eta" in {violation.category for violation in report.violations}


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
def test_learned_detector_never_overrides_the_exclusions(text: str) -> None:
    report = check_message(text, channel="statuspage", locale="en")
    assert "eta" not in {violation.category for violation in report.violations}
