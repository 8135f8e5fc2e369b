"""A learned second opinion for the eta guard: an n-gram logistic regression shipped as JSON.

The rules recognise an ETA by its time phrase and the words around it; every new writer brings
words they have not met. This model, trained on the labelled sets in `evals/guards/`, scores the
sentences that hold a time phrase the rules let pass. It is plain data (n-gram -> idf and
weight), scored in pure Python: no pickle, no model loading cost worth measuring.

Retrain with `python -m guards.learned` after changing the labelled sets; a test checks that
the shipped file is what training produces.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL_DIR = Path(__file__).resolve().parent / "models"
REPO_ROOT = Path(__file__).resolve().parents[1]
GUARD_SETS = REPO_ROOT / "evals" / "guards"
# Development sets only: the newest holdout stays unseen (see docs/guards.md).
TRAINING_SETS = ("corpus", "dev2", "holdout", "holdout2", "holdout3", "holdout4")
KEPT_FEATURES = 6_000
_WORD = re.compile(r"\w+")


def features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Character 2-4-grams within words (padded with spaces) and word 1-2-grams, lower-cased."""
    lowered = text.lower()
    return Counter(_char_grams(lowered)), Counter(_word_grams(lowered))


def _char_grams(lowered: str) -> Iterator[str]:
    for word in lowered.split():
        padded = f" {word} "
        for size in (2, 3, 4):
            for start in range(len(padded) - size + 1):
                yield padded[start : start + size]


def _word_grams(lowered: str) -> Iterator[str]:
    tokens = _WORD.findall(lowered)
    yield from tokens
    for first, second in zip(tokens, tokens[1:], strict=False):
        yield f"{first} {second}"


def _block_score(grams: Iterator[str], idf: dict[str, float], weight: dict[str, float]) -> float:
    """Dot product of one L2-normalised sublinear tf-idf block with its weights."""
    counts: dict[str, int] = {}
    for gram in grams:
        if gram in idf:
            counts[gram] = counts.get(gram, 0) + 1
    squares = dot = 0.0
    for gram, count in counts.items():
        value = (1.0 + math.log(count)) * idf[gram]
        squares += value * value
        dot += weight[gram] * value
    return dot / math.sqrt(squares) if squares else 0.0


@dataclass(frozen=True)
class NgramModel:
    """Weights per n-gram (character and word blocks) and the probability cut-off."""

    category: str
    cut: float
    intercept: float
    idf: dict[str, float]
    weight: dict[str, float]
    char_idf: dict[str, float] = field(default_factory=dict, repr=False)
    char_weight: dict[str, float] = field(default_factory=dict, repr=False)
    word_idf: dict[str, float] = field(default_factory=dict, repr=False)
    word_weight: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Split the "c:"/"w:" keyed tables once, so scoring never builds prefixed strings.
        for prefix, idf, weight in (
            ("c:", self.char_idf, self.char_weight),
            ("w:", self.word_idf, self.word_weight),
        ):
            for key, value in self.idf.items():
                if key.startswith(prefix):
                    idf[key[2:]] = value
                    weight[key[2:]] = self.weight[key]

    def probability(self, text: str) -> float:
        """P(category) for one text: sublinear tf-idf, each block L2-normalised, logistic."""
        lowered = text.lower()
        score = self.intercept
        score += _block_score(_char_grams(lowered), self.char_idf, self.char_weight)
        score += _block_score(_word_grams(lowered), self.word_idf, self.word_weight)
        return 1.0 / (1.0 + math.exp(-score))


@cache
def load_model(category: str) -> NgramModel | None:
    """The shipped model for a category, or None when there is none."""
    path = MODEL_DIR / f"{category}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return NgramModel(
        category=data["category"],
        cut=float(data["cut"]),
        intercept=float(data["intercept"]),
        idf={key: float(value[0]) for key, value in data["features"].items()},
        weight={key: float(value[1]) for key, value in data["features"].items()},
    )


# --- training (sklearn only here) -----------------------------------------------------------


def labelled_cases(names: Iterable[str]) -> list[dict[str, Any]]:
    """The cases of the named labelled sets in evals/guards/, in order."""
    cases = []
    for name in names:
        for line in (GUARD_SETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                cases.append(json.loads(line))
    return cases


def _fit(texts: Sequence[str], gold: Sequence[bool], vocabulary: Sequence[str] | None) -> Any:
    """Fit on the given vocabulary (None: every n-gram in two or more texts)."""
    import numpy as np
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression

    grams = [features(text) for text in texts]
    if vocabulary is None:
        document_frequency: Counter[str] = Counter()
        for chars, words in grams:
            document_frequency.update("c:" + g for g in chars)
            document_frequency.update("w:" + g for g in words)
        vocabulary = sorted(key for key, df in document_frequency.items() if df >= 2)
    index = {key: position for position, key in enumerate(vocabulary)}
    frequency: Counter[str] = Counter()
    for chars, words in grams:
        frequency.update(k for k in ("c:" + g for g in chars) if k in index)
        frequency.update(k for k in ("w:" + g for g in words) if k in index)
    count = len(texts)
    idf = {key: math.log((1 + count) / (1 + frequency[key])) + 1.0 for key in vocabulary}
    rows, columns, values = [], [], []
    for row, (chars, words) in enumerate(grams):
        for prefix, counts in (("c:", chars), ("w:", words)):
            block = [
                (index[prefix + g], (1.0 + math.log(c)) * idf[prefix + g])
                for g, c in counts.items()
                if prefix + g in index
            ]
            norm = math.sqrt(sum(v * v for _, v in block)) or 1.0
            for column, value in block:
                rows.append(row)
                columns.append(column)
                values.append(value / norm)
    matrix = csr_matrix((values, (rows, columns)), shape=(count, len(vocabulary)))
    classifier = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
    classifier.fit(matrix, np.asarray(gold))
    return classifier, list(vocabulary), idf


def _as_model(category: str, fitted: Any, cut: float) -> NgramModel:
    classifier, vocabulary, idf = fitted
    weights = classifier.coef_[0]
    return NgramModel(
        category=category,
        cut=cut,
        intercept=float(classifier.intercept_[0]),
        idf={key: idf[key] for key in vocabulary},
        weight={key: float(weights[i]) for i, key in enumerate(vocabulary)},
    )


def train(category: str, cuts: Sequence[float] = (0.5, 0.6, 0.7, 0.8, 0.9)) -> dict[str, Any]:
    """Train, keep the strongest n-grams, refit on them, choose the cut-off by 5-fold CV.

    The cut-off is the lowest at which the rules OR the model keep precision >= 0.98 on the
    folds left out; the rules' verdicts come from `guards.check_message`.
    """
    from guards import check_message

    cases = labelled_cases(TRAINING_SETS)
    texts = [case["text"] for case in cases]
    gold = [category in case["labels"] for case in cases]
    full = _fit(texts, gold, None)
    ranked = sorted(
        zip(full[0].coef_[0], full[1], strict=True), key=lambda item: -abs(float(item[0]))
    )
    vocabulary = sorted(key for _, key in ranked[:KEPT_FEATURES])
    rules = [
        category
        in {
            v.category
            for v in check_message(
                case["text"], channel=case.get("channel", "statuspage"), locale=case["locale"]
            ).violations
        }
        for case in cases
    ]
    out_of_fold = [0.0] * len(cases)
    for fold in range(5):
        held = [i for i in range(len(cases)) if i % 5 == fold]
        kept = [i for i in range(len(cases)) if i % 5 != fold]
        model = _as_model(
            category, _fit([texts[i] for i in kept], [gold[i] for i in kept], vocabulary), 0.5
        )
        for i in held:
            out_of_fold[i] = model.probability(texts[i])

    def precision(cut: float) -> float:
        predicted = [r or p >= cut for r, p in zip(rules, out_of_fold, strict=True)]
        tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
        fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
        return tp / (tp + fp) if tp + fp else 1.0

    cut = next((c for c in cuts if precision(c) >= 0.98), cuts[-1])
    model = _as_model(category, _fit(texts, gold, vocabulary), cut)
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    return {
        "category": category,
        "cut": cut,
        "intercept": round(model.intercept, 6),
        "trained_on": list(TRAINING_SETS),
        "cases": len(cases),
        "training_sha256": digest,
        "features": {
            key: [round(model.idf[key], 6), round(model.weight[key], 6)] for key in vocabulary
        },
    }


def main() -> None:
    """Retrain the shipped models (`python -m guards.learned`)."""
    MODEL_DIR.mkdir(exist_ok=True)
    for category in ("eta",):
        data = train(category)
        path = MODEL_DIR / f"{category}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
        print(f"{category}: {data['cases']} cases, cut-off {data['cut']}, wrote {path}")


if __name__ == "__main__":
    main()
