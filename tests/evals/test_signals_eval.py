"""The grouping evaluation scores gold labels and counts noise that joined a signal."""

from pathlib import Path

from app.signals.embedding import Embedder
from evals.dataset import load_incidents
from evals.signals_eval import evaluate_grouping, format_grouping_eval

NOTIF = Path(__file__).resolve().parents[2] / "evals" / "incidents" / "en-notif-delay.yaml"


def test_evaluate_grouping_scores_an_incident_and_pools(embedder: Embedder) -> None:
    result = evaluate_grouping(load_incidents([NOTIF]), embedder)
    (score,) = result.incidents
    assert score.reports == 13
    assert 0.0 <= score.noise_rate <= 1.0
    assert -1.0 <= score.ari <= 1.0
    assert [pooled.name for pooled in result.pooled] == ["pooled en", "pooled all"]
    table = format_grouping_eval(result)
    assert "en-notif-delay" in table
    assert "noise_rate" in table
