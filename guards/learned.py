"""The learned second opinion of the eta, speculation and internal_detail guards.

The rules recognise a problem by its words; every new writer brings words they have not met,
and some allowed sentences look like forbidden ones. One n-gram logistic regression per
category, trained on the labelled sets in `evals/guards/` and shipped as plain JSON (n-gram ->
idf and weight, no pickle, scored in pure Python), reviews each check in chunks of a few
sentences (the length of the messages it learned from):

- a rule finding is dropped when its chunk scores below the locale's `veto` and its own
  sentence below `sentence_veto`;
- a chunk with no rule finding left gets one on each sentence the guard's gate lets through (a
  time for eta...) that scores at or above `strong`, or at or above `sentence_cut` when the
  guard also accepts it; failing those, on its highest-scoring accepted sentence when the chunk
  as a whole scores at or above `cut`.

A sentence is judged on its own as well as in its chunk: a short ETA inside a long, otherwise
harmless message ("... 5分ほどで届くはずです。") scores high alone and low in the chunk.

The thresholds per locale are chosen by leaving out, one at a time, the labelled sets that
were written after the rules they test (`FRESH_SETS`): each is scored by a model trained on all
the others, which is the closest estimate here of text from a writer nobody has seen.

Retrain with `python -m guards.learned` after changing the labelled sets; a test checks that
the shipped files are what training produces.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import chain
from operator import mul
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from guards.normalize import NormalizedText
    from guards.validators.base import Finding

MODEL_DIR = Path(__file__).resolve().parent / "models"
REPO_ROOT = Path(__file__).resolve().parents[1]
GUARD_SETS = REPO_ROOT / "evals" / "guards"
LEARNED_CATEGORIES = ("eta", "speculation", "internal_detail")
# Every labelled development set; holdout15 to holdout18 stay unseen (see docs/guards.md).
TRAINING_SETS = (
    "corpus",
    "dev2",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "holdout8",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "holdout9",
    "holdout10",
    "dev13",
    "dev14",
    "dev15",
    "holdout11",
    "holdout12",
    "dev16",
    "dev17",
    "dev18",
    "dev19",
    "dev20",
    "dev21",
    "holdout13",
    "holdout14",
    "dev22",
    "dev23",
)
# Sets written by people who had not read the rules, after the rules they test: left out one at
# a time to choose the thresholds. The older sets were tuned on before they were written down.
OLDER_SETS = ("corpus", "dev2", "holdout", "holdout2", "holdout3", "holdout4")
FRESH_SETS = tuple(name for name in TRAINING_SETS if name not in OLDER_SETS)
# Rule findings of internal_detail are never vetoed: many come from the incident's own context.
# Nor are speculation's: a hedge the rules found is a hedge (a veto of 0.1 bought no precision on
# the fresh sets and dropped "We believe ..." in real published updates).
VETO_CHOICES: dict[str, tuple[float, ...]] = {
    "eta": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    "speculation": (0.0,),
    "internal_detail": (0.0,),
}
# A threshold above any probability: the condition it sets never holds (the model never adds
# a finding of its own at that cut-off).
OFF = 1.01
CUT_CHOICES = (0.5, 0.7, 0.9, OFF)
# Per sentence: the veto's second condition, the cut-off for an accepted sentence, and the
# score at which the model overrules the guard's softer refusals (`accepts_learned`).
SENTENCE_VETO_CHOICES = (0.2, 0.5, OFF)
SENTENCE_CUT_CHOICES = (0.6, 0.7, 0.8, 0.9, OFF)
STRONG_CHOICES = (0.95, 0.98, OFF)
# A chunk gathers whole sentences up to the length of the longest messages the model learned
# from (362 characters in English, 174 in Japanese), so a message of that size is judged whole;
# a short tail (a signature, "Thanks,") joins the chunk before it.
CHUNK_CHARS = {"en": 400, "ja": 180}
KEPT_FEATURES = 6_000
# Inverse regularisation strength of the logistic regression.
REGULARISATION = 12.0
_WORD = re.compile(r"\w+")
Grams = tuple[Counter[str], Counter[str]]
# One block's sublinear tf-idf over a vocabulary: its n-grams, their values, the L2 norm.
Vector = tuple[tuple[str, ...], list[float], float]
# Per chunk: the character block and the word block.
Vectors = tuple[Vector, Vector]


def features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Character 2-4-grams within words (padded with spaces) and word 1-2-grams, lower-cased."""
    lowered = text.lower()
    chars = Counter(chain.from_iterable(map(_grams_of_word, lowered.split())))
    return chars, Counter(_word_grams(lowered))


@lru_cache(maxsize=65_536)
def _grams_of_word(word: str) -> tuple[str, ...]:
    """A word's character n-grams; words repeat, so they are cut once per process."""
    padded = f" {word} "
    return tuple(
        padded[start : start + size]
        for size in (2, 3, 4)
        for start in range(len(padded) - size + 1)
    )


def _word_grams(lowered: str) -> Iterator[str]:
    tokens = _WORD.findall(lowered)
    yield from tokens
    for first, second in zip(tokens, tokens[1:], strict=False):
        yield f"{first} {second}"


def _block_score(counts: Counter[str], idf: dict[str, float], weight: dict[str, float]) -> float:
    """Dot product of one L2-normalised sublinear tf-idf block with its weights."""
    squares = dot = 0.0
    for gram, count in counts.items():
        gram_idf = idf.get(gram)
        if gram_idf is None:
            continue
        value = (1.0 if count == 1 else 1.0 + math.log(count)) * gram_idf
        squares += value * value
        dot += weight[gram] * value
    return dot / math.sqrt(squares) if squares else 0.0


@dataclass(frozen=True)
class Thresholds:
    """Per locale (see the module docstring); OFF (1.01) turns a condition off."""

    veto: float
    cut: float
    sentence_veto: float = OFF
    sentence_cut: float = OFF
    strong: float = OFF


@dataclass(frozen=True)
class NgramModel:
    """Weights per n-gram (character and word blocks) and the thresholds per locale."""

    category: str
    thresholds: dict[str, Thresholds]
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
        """P(category) for one text."""
        return self.probability_of(features(text))

    def probability_of_vectors(self, vectors: Vectors) -> float:
        """P(category) from a chunk's tf-idf vectors over the shared vocabulary (see Chunk)."""
        # map() keeps the two dot products in C: this runs three times per chunk and check.
        score = self.intercept
        for (grams, values, norm), weight in zip(
            vectors, (self.char_weight, self.word_weight), strict=True
        ):
            score += sum(map(mul, values, map(weight.__getitem__, grams))) / norm
        return 1.0 / (1.0 + math.exp(-score))

    def probability_of(self, grams: Grams) -> float:
        """P(category) from n-gram counts: sublinear tf-idf, each block L2-normalised, logistic."""
        chars, words = grams
        score = self.intercept
        score += _block_score(chars, self.char_idf, self.char_weight)
        score += _block_score(words, self.word_idf, self.word_weight)
        return 1.0 / (1.0 + math.exp(-score))


@cache
def load_model(category: str) -> NgramModel | None:
    """The shipped model for a category, or None when there is none."""
    path = MODEL_DIR / f"{category}.json"
    if not path.exists():
        return None
    return _model_from(json.loads(path.read_text(encoding="utf-8")))


def _model_from(data: dict[str, Any]) -> NgramModel:
    return NgramModel(
        category=data["category"],
        thresholds={
            locale: Thresholds(**{key: float(value) for key, value in pair.items()})
            for locale, pair in data["thresholds"].items()
        },
        intercept=float(data["intercept"]),
        idf={key: float(value[0]) for key, value in data["features"].items()},
        weight={key: float(value[1]) for key, value in data["features"].items()},
    )


# --- review of one check ----------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    """Consecutive sentences scored together: the unit the model judges."""

    original: tuple[int, int]
    # The sentences as normalised spans and their original spans.
    sentences: tuple[tuple[int, int], ...]
    original_sentences: tuple[tuple[int, int], ...]
    grams: Grams
    # The normalised text of each sentence, scored alone when a threshold asks for it.
    sentence_texts: tuple[str, ...] = field(default=(), repr=False, compare=False)
    # The shipped models' shared vocabulary, when there is one: `vectors` is then built once,
    # on first use, and every model scores the chunk with two dot products.
    vocabulary: tuple[dict[str, float], dict[str, float]] | None = field(
        default=None, repr=False, compare=False
    )

    @cached_property
    def vectors(self) -> Vectors | None:
        """The chunk's normalised tf-idf vectors over the shared vocabulary, or None."""
        if self.vocabulary is None:
            return None
        chars, words = self.grams
        return _vector(chars, self.vocabulary[0]), _vector(words, self.vocabulary[1])

    def sentence_vectors(self, index: int) -> Vectors | None:
        """One sentence's vectors over the shared vocabulary (built on first use), or None."""
        if self.vocabulary is None:
            return None
        cache = self._sentence_vectors
        if index not in cache:
            chars, words = features(self.sentence_texts[index])
            cache[index] = _vector(chars, self.vocabulary[0]), _vector(words, self.vocabulary[1])
        return cache[index]

    @cached_property
    def _sentence_vectors(self) -> dict[int, Vectors]:
        return {}


def _group(spans: Sequence[tuple[int, int]], limit: int) -> list[list[tuple[int, int]]]:
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= limit:
            groups[-1].append(span)
        else:
            groups.append([span])
    if len(groups) > 1 and groups[-1][-1][1] - groups[-1][0][0] < limit // 4:
        groups[-2].extend(groups.pop())
    return groups


@cache
def shipped_vocabulary() -> tuple[dict[str, float], dict[str, float]] | None:
    """The n-grams and idf the shipped models share (character block, word block), or None.

    `python -m guards.learned` fits every category on one vocabulary, so the idf and each
    chunk's normalised vectors are the same for all three and computed once per check.
    """
    models = [model for c in LEARNED_CATEGORIES if (model := load_model(c)) is not None]
    if not models or any(
        m.char_idf.keys() != models[0].char_idf.keys()
        or m.word_idf.keys() != models[0].word_idf.keys()
        for m in models
    ):
        return None
    return models[0].char_idf, models[0].word_idf


def _vector(counts: Counter[str], idf: dict[str, float]) -> Vector:
    log = math.log
    grams = tuple(counts.keys() & idf.keys())
    values = [idf[gram] * (1.0 if (n := counts[gram]) == 1 else 1.0 + log(n)) for gram in grams]
    norm = math.sqrt(sum(map(mul, values, values)))
    return grams, values, norm or 1.0


def chunks_of(
    normalized: NormalizedText,
    spans: Sequence[tuple[int, int]],
    locale: str,
    vocabulary: tuple[dict[str, float], dict[str, float]] | None = None,
) -> list[Chunk]:
    """The text's chunks with their n-gram counts, built once per check for every category.

    With the shipped models' shared `vocabulary` (`shipped_vocabulary()`), a chunk builds its
    normalised vectors once, when first scored, and each model scores it with two dot products.
    """
    key = f"learned_chunks:{locale}"
    cached = normalized.cache.get(key)
    if cached is not None:
        return cast("list[Chunk]", cached)
    result = []
    for group in _group(spans, CHUNK_CHARS.get(locale, CHUNK_CHARS["en"])):
        originals = tuple(normalized.original_span(start, end) for start, end in group)
        grams = features(normalized.text[group[0][0] : group[-1][1]])
        result.append(
            Chunk(
                original=(originals[0][0], originals[-1][1]),
                sentences=tuple(group),
                original_sentences=originals,
                grams=grams,
                sentence_texts=tuple(normalized.text[start:end] for start, end in group),
                vocabulary=vocabulary,
            )
        )
    normalized.cache[key] = result
    return result


@dataclass(frozen=True)
class Opinion:
    """The rule findings the model keeps, and the sentences it adds: (chunk, sentence index)."""

    kept: list[Finding]
    added: list[tuple[Chunk, int]]


def review(
    model: NgramModel,
    text: str,
    findings: Sequence[Finding],
    chunks: Sequence[Chunk],
    score: Callable[[int], float],
    thresholds: Thresholds,
    gate: Callable[[str], bool] = lambda sentence: True,
    accepts: Callable[[str], bool] = lambda sentence: True,
    sentence_score: Callable[[int, int], float] | None = None,
) -> Opinion:
    """Apply the veto and the cut-offs to one category's rule findings.

    `text` is the normalised text, `score(i)` the model's probability for chunk i and
    `sentence_score(i, j)` for sentence j of chunk i alone, asked only where they can change
    the outcome (see the module docstring). The guard lets the model flag the sentences that
    pass the cheap `gate` (a time for eta, a hedge word for speculation) and then `accepts`
    (the eta guard refuses next-update promises, refunds, times told as past...); a sentence
    scored at or above `strong` needs only the gate.
    """
    per_sentence = sentence_score is not None

    def alone(where: int, index: int) -> float:
        if sentence_score is None:
            return 0.0
        return sentence_score(where, index) if index >= 0 else score(where)

    chunk_starts = [chunk.original[0] for chunk in chunks]

    def located(start: int) -> tuple[int, int] | None:
        where = bisect_right(chunk_starts, start) - 1
        if where < 0 or start >= chunks[where].original[1]:
            return None
        sentences = chunks[where].original_sentences
        index = bisect_right([low for low, _ in sentences], start) - 1
        return where, index if index >= 0 and start < sentences[index][1] else -1

    kept = []
    for finding in findings:
        place = located(finding.start) if thresholds.veto > 0.0 and not finding.firm else None
        if (
            place is None
            or score(place[0]) >= thresholds.veto
            or (per_sentence and alone(*place) >= thresholds.sentence_veto)
        ):
            kept.append(finding)
    added: list[tuple[Chunk, int]] = []
    sentence_level = per_sentence and min(thresholds.sentence_cut, thresholds.strong) <= 1.0
    verdicts: dict[tuple[int, int], bool] = {}

    def accepted(where: int, index: int) -> bool:
        if (where, index) not in verdicts:
            verdicts[where, index] = accepts(text[slice(*chunks[where].sentences[index])])
        return verdicts[where, index]

    for where, chunk in enumerate(chunks):
        if any(chunk.original[0] <= f.start < chunk.original[1] for f in kept):
            continue
        gated = [i for i, (start, end) in enumerate(chunk.sentences) if gate(text[start:end])]
        if not gated:
            continue
        if sentence_level:
            flagged = [
                i
                for i in gated
                if (probability := alone(where, i)) >= thresholds.strong
                or (probability >= thresholds.sentence_cut and accepted(where, i))
            ]
            if flagged:
                added.extend((chunk, i) for i in flagged)
                continue
        if score(where) < thresholds.cut:
            continue
        candidates = [i for i in gated if accepted(where, i)]
        if candidates:
            added.append((chunk, strongest_sentence(model, text, chunk, candidates)))
    return Opinion(kept, added)


def strongest_sentence(
    model: NgramModel, text: str, chunk: Chunk, candidates: Sequence[int]
) -> int:
    """Index within the chunk of the candidate sentence the model scores highest."""
    if len(candidates) == 1:
        return candidates[0]
    return max(candidates, key=lambda i: model.probability(text[slice(*chunk.sentences[i])]))


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
    classifier = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced")
    classifier.fit(matrix, np.asarray(gold))
    return classifier, list(vocabulary), idf


def _as_model(category: str, fitted: Any, thresholds: dict[str, Thresholds]) -> NgramModel:
    classifier, vocabulary, idf = fitted
    weights = classifier.coef_[0]
    return NgramModel(
        category=category,
        thresholds=thresholds,
        intercept=float(classifier.intercept_[0]),
        idf={key: idf[key] for key in vocabulary},
        weight={key: float(weights[i]) for i, key in enumerate(vocabulary)},
    )


@dataclass
class _Case:
    """One labelled case, normalised, with its chunks and the rule findings per category."""

    name: str
    locale: str
    labels: set[str]
    text: str
    chunks: list[Chunk]
    # Per chunk, each sentence's n-grams (scored alone).
    sentence_grams: list[list[Grams]]
    findings: dict[str, list[Finding]]
    gates: dict[str, Callable[[str], bool]]
    accepts: dict[str, Callable[[str], bool]]


def _prepared_cases() -> list[_Case]:
    from guards.guard_set import build_guard_set
    from guards.models import GuardContext
    from guards.normalize import normalize
    from guards.validators.base import cached_sentence_spans

    prepared = []
    for name in TRAINING_SETS:
        for case in labelled_cases([name]):
            context = GuardContext.model_validate(case["context"]) if case.get("context") else None
            guard_set = build_guard_set(
                case.get("channel", "statuspage"), case["locale"], context, learned=False
            )
            normalized = normalize(case["text"])
            validators = {v.category: v for v in guard_set.validators}
            spans = cached_sentence_spans(normalized, validators["eta"].rules)
            chunks = chunks_of(normalized, spans, case["locale"])
            prepared.append(
                _Case(
                    name=name,
                    locale=case["locale"],
                    labels=set(case["labels"]),
                    text=normalized.text,
                    chunks=chunks,
                    sentence_grams=[[features(t) for t in c.sentence_texts] for c in chunks],
                    findings={c: validators[c].find(normalized) for c in LEARNED_CATEGORIES},
                    gates={c: validators[c].learned_gate for c in LEARNED_CATEGORIES},
                    accepts={c: validators[c].accepts_learned for c in LEARNED_CATEGORIES},
                )
            )
    return prepared


# Counts per locale, per thresholds index (-1: the rules alone): [tp, fp, fn].
Counts = dict[str, dict[int, list[int]]]
# The prepared cases a forked fold worker reads (set just before the pool starts).
_FOLD_CASES: list[_Case] = []


def _fold(job: tuple[str, str]) -> Counts:
    """Fit without one fresh set and count every thresholds choice's verdicts on it."""
    category, held = job
    cases = _FOLD_CASES
    pairs = threshold_choices(category)
    kept = [case for case in cases if case.name != held]
    fitted = _fit([c.text for c in kept], [category in c.labels for c in kept], None)
    model = _as_model(category, fitted, {})
    counts: Counts = {}
    for case in (case for case in cases if case.name == held):
        probabilities = [model.probability_of(chunk.grams) for chunk in case.chunks]
        alone = [[model.probability_of(grams) for grams in chunk] for chunk in case.sentence_grams]
        gold = category in case.labels
        by_pair = counts.setdefault(case.locale, {})
        verdicts = {-1: bool(case.findings[category])}

        def sentence_score(where: int, sentence: int, alone: list[list[float]] = alone) -> float:
            return alone[where][sentence]

        for index, pair in enumerate(pairs):
            opinion = review(
                model,
                case.text,
                case.findings[category],
                case.chunks,
                probabilities.__getitem__,
                pair,
                case.gates[category],
                case.accepts[category],
                sentence_score,
            )
            verdicts[index] = bool(opinion.kept or opinion.added)
        for index, predicted in verdicts.items():
            tally = by_pair.setdefault(index, [0, 0, 0])
            tally[0] += predicted and gold
            tally[1] += predicted and not gold
            tally[2] += gold and not predicted
    return counts


def _choose_thresholds(
    category: str, cases: list[_Case], jobs: int | None = None
) -> tuple[dict[str, Thresholds], dict[str, dict[str, float]]]:
    """Leave each fresh set out in turn; per locale, the thresholds with the best F1.

    The folds run in `jobs` forked processes (default: one per core).
    """
    global _FOLD_CASES
    pairs = threshold_choices(category)
    _FOLD_CASES = cases
    work = [(category, held) for held in FRESH_SETS]
    try:
        with multiprocessing.get_context("fork").Pool(jobs or os.cpu_count() or 1) as pool:
            results = pool.map(_fold, work, chunksize=1)
    finally:
        _FOLD_CASES = []
    counts: Counts = {}
    for result in results:
        for locale, by_pair in result.items():
            merged = counts.setdefault(locale, {})
            for index, tally in by_pair.items():
                total = merged.setdefault(index, [0, 0, 0])
                for position in range(3):
                    total[position] += tally[position]

    def scores(tally: list[int]) -> tuple[float, float, float]:
        tp, fp, fn = tally
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    chosen: dict[str, Thresholds] = {}
    estimate: dict[str, dict[str, float]] = {}
    for locale, by_pair in sorted(counts.items()):
        # Best F1; on a tie the higher cut-offs and the lower veto (the smaller change).
        best = max(
            range(len(pairs)),
            key=lambda i: (
                round(scores(by_pair[i])[2], 4),
                pairs[i].strong,
                pairs[i].sentence_cut,
                pairs[i].cut,
                -pairs[i].veto,
                pairs[i].sentence_veto,
            ),
        )
        chosen[locale] = pairs[best]
        rules_p, rules_r, _ = scores(by_pair[-1])
        precision, recall, _ = scores(by_pair[best])
        estimate[locale] = {
            "rules_precision": round(rules_p, 3),
            "rules_recall": round(rules_r, 3),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
        }
    return chosen, estimate


def threshold_choices(category: str) -> list[Thresholds]:
    """Every combination `_choose_thresholds` tries for a category."""
    choices = []
    for veto in VETO_CHOICES[category]:
        for sentence_veto in SENTENCE_VETO_CHOICES if veto > 0.0 else (OFF,):
            for cut in CUT_CHOICES:
                for sentence_cut in SENTENCE_CUT_CHOICES:
                    for strong in STRONG_CHOICES:
                        choices.append(Thresholds(veto, cut, sentence_veto, sentence_cut, strong))
    return choices


def shared_vocabulary(cases: list[_Case]) -> list[str]:
    """The union of each category's KEPT_FEATURES strongest n-grams (fitted on everything)."""
    texts = [case.text for case in cases]
    kept: set[str] = set()
    for category in LEARNED_CATEGORIES:
        classifier, vocabulary, _ = _fit(texts, [category in c.labels for c in cases], None)
        ranked = sorted(
            zip(classifier.coef_[0], vocabulary, strict=True), key=lambda item: -abs(float(item[0]))
        )
        kept.update(key for _, key in ranked[:KEPT_FEATURES])
    return sorted(kept)


def train(
    category: str,
    thresholds: dict[str, Thresholds] | None = None,
    cases: list[_Case] | None = None,
    vocabulary: list[str] | None = None,
) -> dict[str, Any]:
    """Fit on every training set over the shared vocabulary.

    Without `thresholds` they are chosen by leaving out each fresh set in turn (minutes);
    without `vocabulary` it is computed (`shared_vocabulary`, three more fits).
    """
    cases = cases if cases is not None else _prepared_cases()
    vocabulary = vocabulary if vocabulary is not None else shared_vocabulary(cases)
    estimate: dict[str, dict[str, float]] = {}
    if thresholds is None:
        thresholds, estimate = _choose_thresholds(category, cases)
    texts = [case.text for case in cases]
    gold = [category in case.labels for case in cases]
    model = _as_model(category, _fit(texts, gold, vocabulary), thresholds)
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    return {
        "category": category,
        "thresholds": {locale: asdict(pair) for locale, pair in thresholds.items()},
        "left_out_estimate": estimate,
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
    cases = _prepared_cases()
    vocabulary = shared_vocabulary(cases)
    for category in LEARNED_CATEGORIES:
        data = train(category, cases=cases, vocabulary=vocabulary)
        path = MODEL_DIR / f"{category}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
        print(f"{category}: {data['cases']} cases, thresholds {data['thresholds']}, wrote {path}")
        for locale, numbers in data["left_out_estimate"].items():
            print(f"  {locale} left-out sets: {numbers}")


if __name__ == "__main__":
    main()
