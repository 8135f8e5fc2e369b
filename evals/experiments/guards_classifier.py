"""Would a learned detector next to the rules lift recall on unseen text? A measured probe.

Trains a character and word n-gram logistic regression per category on the development sets
(guards.learned.TRAINING_SETS), picks its probability cut-off by 5-fold cross-validation on
those sets (the lowest cut-off at which "rules OR classifier" keeps precision >= 0.98 out of
fold), then scores the newest holdout (holdout5) and the real published updates: rules alone,
classifier alone, and both. Not wired into the guards; see docs/guards.md for the numbers.

    python -m evals.experiments.guards_classifier
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    sys.path[0] = str(Path(__file__).resolve().parents[2])

from app.offline import apply_offline_defaults  # noqa: E402
from guards.learned import TRAINING_SETS, labelled_cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "evals" / "guards"
TEST = "holdout5"
CATEGORIES = ("eta", "speculation", "internal_detail")
CUTS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
REAL = ROOT.parent / "shared" / "data" / "real_status_updates.jsonl"


def model() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=r"\w+"
        ),
    )
    classifier = LogisticRegression(C=4, max_iter=2000, class_weight="balanced")
    return make_pipeline(features, classifier)


def rule_categories(case: dict[str, Any]) -> set[str]:
    from guards import check_message

    report = check_message(case["text"], channel=case.get("channel", "statuspage"),
                           locale=case["locale"])  # fmt: skip
    return {violation.category for violation in report.violations}


def precision_recall(predicted: list[bool], gold: list[bool]) -> tuple[float, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main() -> None:
    from sklearn.model_selection import cross_val_predict

    apply_offline_defaults()
    train = labelled_cases(TRAINING_SETS)
    test = labelled_cases([TEST])
    train_rules = [rule_categories(case) for case in train]
    test_rules = [rule_categories(case) for case in test]
    real = []
    if REAL.exists():
        rows = [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines()]
        labels = [json.loads(line) for line in (SETS / "real_labels.jsonl").open()]
        real = [{"text": rows[lab["line"]]["body"], "locale": "en", "labels": lab["labels"]}
                for lab in labels]  # fmt: skip
    real_rules = [rule_categories(case) for case in real]
    texts = [case["text"] for case in train]
    print(f"train {len(train)} cases ({', '.join(TRAINING_SETS)}); test {TEST} {len(test)} cases")
    for category in CATEGORIES:
        gold = [category in case["labels"] for case in train]
        out_of_fold = cross_val_predict(model(), texts, gold, cv=5, method="predict_proba")[:, 1]
        cut = next(
            (
                c
                for c in CUTS
                if precision_recall(
                    [
                        category in r or p >= c
                        for r, p in zip(train_rules, out_of_fold, strict=True)
                    ],
                    gold,
                )[0]
                >= 0.98
            ),
            CUTS[-1],
        )
        fitted = model().fit(texts, gold)
        probabilities = fitted.predict_proba([case["text"] for case in test])[:, 1]
        for locale in ("en", "ja"):
            index = [i for i, case in enumerate(test) if case["locale"] == locale]
            g = [category in test[i]["labels"] for i in index]
            rules = precision_recall([category in test_rules[i] for i in index], g)
            alone = precision_recall([bool(probabilities[i] >= cut) for i in index], g)
            both = precision_recall(
                [category in test_rules[i] or bool(probabilities[i] >= cut) for i in index], g
            )
            print(
                f"{category:<16} {locale}  cut {cut:.2f}  rules {rules[0]:.2f}/{rules[1]:.2f}  "
                f"classifier {alone[0]:.2f}/{alone[1]:.2f}  both {both[0]:.2f}/{both[1]:.2f}"
            )
        if real:
            p_real = fitted.predict_proba([case["text"] for case in real])[:, 1]
            without = [i for i, case in enumerate(real) if category not in case["labels"]]
            fires = sum(category in real_rules[i] or p_real[i] >= cut for i in without)
            print(f"{category:<16} real updates without it: both fire on {fires}/{len(without)}")
    print("(precision/recall; each cut-off chosen by 5-fold cross-validation on the train sets)")


if __name__ == "__main__":
    main()
