"""Scores the guards on labelled corpora and on real published status updates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guards import CATEGORIES, GuardContext, check_message

SCORED_CATEGORIES: tuple[str, ...] = ("eta", "speculation", "internal_detail", "pii", "placeholder")
DEFAULT_REAL_LABELS = Path(__file__).parent / "guards" / "real_labels.jsonl"
REAL_LOCALE = "en"
REAL_CHANNEL = "statuspage"


@dataclass
class CategoryScore:
    """Confusion counts and derived scores for one category on one slice."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    support: int = 0

    @property
    def precision(self) -> float:
        """Share of flagged cases that were labelled; 1.0 when nothing was flagged."""
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled cases that were flagged; 1.0 when nothing was labelled."""
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class CaseError:
    """One case where predicted and gold categories differ."""

    text: str
    locale: str
    missed: list[str]
    spurious: list[str]


@dataclass
class SetResult:
    """Scores for one labelled file, keyed by (category, locale)."""

    name: str
    cases: int
    scores: dict[tuple[str, str], CategoryScore]
    errors: list[CaseError] = field(default_factory=list)


@dataclass
class RealResult:
    """How the guards behave on real published updates."""

    updates: int
    labelled: int
    block_share: dict[str, float]
    any_block_share: float
    scores: dict[str, CategoryScore]
    eta_real: int
    eta_caught: int
    eta_clean: int
    eta_false_blocks: int
    false_block_lines: list[int] = field(default_factory=list)
    missed_lines: list[int] = field(default_factory=list)

    @property
    def eta_false_block_rate(self) -> float:
        """Share of updates without a real ETA that the eta guard flags."""
        return self.eta_false_blocks / self.eta_clean if self.eta_clean else 0.0


@dataclass
class GuardEvalResult:
    """Everything `liaison eval guards` reports."""

    sets: list[SetResult]
    real: RealResult | None
    real_skipped_reason: str | None = None


def _read_jsonl(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The rows of a JSONL file; a line that is not a JSON object holding every `required`
    string field is a ValueError naming the file and line."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}, line {number}: not JSON ({error.msg})") from None
            missing = [
                key
                for key in required
                if not isinstance(row, dict) or not isinstance(row.get(key), str)
            ]
            if missing:
                raise ValueError(
                    f"{path}, line {number}: no {', '.join(repr(key) for key in missing)} "
                    "text field"
                )
            rows.append(row)
    return rows


def _predict(text: str, channel: str, locale: str, context: GuardContext | None) -> set[str]:
    report = check_message(text, channel=channel, locale=locale, context=context)
    return report.categories()


def score_cases(name: str, cases: Iterable[dict[str, Any]]) -> SetResult:
    """Score labelled cases per scored category and locale."""
    scores: dict[tuple[str, str], CategoryScore] = {}
    errors: list[CaseError] = []
    count = 0
    for case in cases:
        count += 1
        locale = case["locale"]
        context = GuardContext.model_validate(case["context"]) if case.get("context") else None
        predicted = _predict(case["text"], case.get("channel", "statuspage"), locale, context)
        gold = set(case.get("labels", []))
        for category in SCORED_CATEGORIES:
            score = scores.setdefault((category, locale), CategoryScore())
            _count(score, category in gold, category in predicted)
        missed = sorted((gold - predicted) & set(SCORED_CATEGORIES))
        spurious = sorted((predicted - gold) & set(SCORED_CATEGORIES))
        if missed or spurious:
            errors.append(CaseError(case["text"], locale, missed, spurious))
    return SetResult(name, count, scores, errors)


def _count(score: CategoryScore, gold: bool, predicted: bool) -> None:
    score.support += int(gold)
    if gold and predicted:
        score.true_positives += 1
    elif predicted:
        score.false_positives += 1
    elif gold:
        score.false_negatives += 1


def score_real(real_data_path: Path, labels_path: Path = DEFAULT_REAL_LABELS) -> RealResult:
    """Run the guards on real updates; score against labels whose body hash still matches."""
    # Published updates carry a "body"; a labelled set given here by mistake has "text".
    rows = _read_jsonl(real_data_path, ("body",))
    labels: dict[int, set[str]] = {}
    if labels_path.exists():
        for entry in _read_jsonl(labels_path):
            line = int(entry["line"])
            if line < len(rows) and _sha256(rows[line]["body"]) == entry["sha256"]:
                labels[line] = set(entry["labels"])
    fired: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    blocked_any = 0
    scores = {category: CategoryScore() for category in SCORED_CATEGORIES}
    eta_real = eta_caught = eta_clean = eta_false = 0
    false_lines: list[int] = []
    missed_lines: list[int] = []
    for line, row in enumerate(rows):
        report = check_message(row["body"], channel=REAL_CHANNEL, locale=REAL_LOCALE)
        predicted = report.categories()
        for category in predicted:
            fired[category] += 1
        blocked_any += int(report.blocking)
        if line not in labels:
            continue
        gold = labels[line]
        for category in SCORED_CATEGORIES:
            _count(scores[category], category in gold, category in predicted)
        if "eta" in gold:
            eta_real += 1
            eta_caught += int("eta" in predicted)
            if "eta" not in predicted:
                missed_lines.append(line)
        else:
            eta_clean += 1
            if "eta" in predicted:
                eta_false += 1
                false_lines.append(line)
    total = len(rows) or 1
    return RealResult(
        updates=len(rows),
        labelled=len(labels),
        block_share={category: fired[category] / total for category in CATEGORIES},
        any_block_share=blocked_any / total,
        scores=scores,
        eta_real=eta_real,
        eta_caught=eta_caught,
        eta_clean=eta_clean,
        eta_false_blocks=eta_false,
        false_block_lines=false_lines,
        missed_lines=missed_lines,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evaluate_guards(
    corpus_paths: Sequence[str | Path],
    real_data_path: str | Path | None = None,
    real_labels_path: str | Path = DEFAULT_REAL_LABELS,
) -> GuardEvalResult:
    """Score every corpus file, and the real updates when their file is present."""
    sets = [
        score_cases(Path(path).stem, _read_jsonl(Path(path), ("text", "locale")))
        for path in corpus_paths
    ]
    if real_data_path is None:
        return GuardEvalResult(sets, None, "no real data path given")
    real_path = Path(real_data_path)
    if real_path.is_dir():
        real_path = real_path / "real_status_updates.jsonl"
    if not real_path.exists():
        return GuardEvalResult(sets, None, f"{real_path} not found")
    return GuardEvalResult(sets, score_real(real_path, Path(real_labels_path)))


def format_guard_eval(result: GuardEvalResult) -> str:
    """Render the result as plain-text tables."""
    lines: list[str] = []
    header = f"{'set':<10} {'category':<16} {'locale':<6} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}"
    for result_set in result.sets:
        lines.append(f"== {result_set.name} ({result_set.cases} cases)")
        lines.append(header)
        for (category, locale), score in sorted(result_set.scores.items()):
            lines.append(
                f"{result_set.name[:10]:<10} {category:<16} {locale:<6} {score.precision:6.3f} "
                f"{score.recall:6.3f} {score.f1:6.3f} {score.support:5d}"
            )
        lines.append("")
    real = result.real
    if real is None:
        lines.append(f"== real updates: skipped ({result.real_skipped_reason})")
        return "\n".join(lines)
    lines.append(f"== real updates ({real.updates} updates, {real.labelled} labelled)")
    lines.append(f"{'category':<16} {'fires on':>9} {'P':>6} {'R':>6} {'n':>5}")
    for category in CATEGORIES:
        real_score = real.scores.get(category)
        scored = (
            f"{real_score.precision:6.3f} {real_score.recall:6.3f} {real_score.support:5d}"
            if real_score
            else ""
        )
        lines.append(f"{category:<16} {real.block_share[category]:9.1%} {scored}")
    lines.append(f"any blocking violation: {real.any_block_share:.1%} of real updates")
    lines.append(
        f"eta: caught {real.eta_caught}/{real.eta_real} real ETAs; false blocks "
        f"{real.eta_false_blocks}/{real.eta_clean} = {real.eta_false_block_rate:.1%} (target <= 2%)"
    )
    return "\n".join(lines)
