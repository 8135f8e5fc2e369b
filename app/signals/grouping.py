"""Report features and incremental grouping (pure: no database, no model).

A report's feature vector joins two views of its text, each unit length, weighted so that the
dot product of two features is a weighted sum of the two cosines:
- the sentence embedding (meaning; strong in English, weak in Japanese for the packaged model);
- hashed character 2-3-gram term frequencies (surface form; language-neutral, strong in Japanese).
A group keeps the sum of its members' features and its size; its centroid direction is the sum,
normalised, so adding a report or merging two groups is O(dimensions) and needs no members.
"""

import re
import unicodedata
import zlib
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

NGRAM_DIMENSIONS = 1024
NGRAM_SIZES = (2, 3)
_SPACE = re.compile(r"\s+")
# Hiragana-only n-grams are mostly Japanese grammar (particles, verb endings), not topic.
_FUNCTION_GRAM = re.compile(r"^[\u3040-\u309f\s\u3000-\u303f\uff01-\uff0f!-/:-@]+$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")


@dataclass(frozen=True)
class GroupingParameters:
    """Weights and thresholds of the grouping; defaults measured on evals/incidents."""

    # Weight of the embedding cosine for Latin-script and for CJK text (the rest: n-grams).
    embedding_weight_latin: float = 0.9
    embedding_weight_cjk: float = 0.4
    # A report joins the most similar group at or above this cosine, else starts its own.
    join_threshold: float = 0.4
    # Two groups merge when their centroids reach this cosine.
    merge_threshold: float = 0.6


def is_cjk(text: str) -> bool:
    """Whether at least a fifth of the text's non-space characters are Japanese/Chinese script."""
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    return sum(1 for c in letters if _CJK.match(c)) * 5 >= len(letters)


def normalise_text(text: str) -> str:
    """NFKC (full-width to half-width), lower case, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def ngram_vector(text: str, dimensions: int = NGRAM_DIMENSIONS) -> Vector:
    """Unit-length hashed character n-gram term frequencies (sublinear) of one text."""
    normalised = f" {normalise_text(text)} "
    counts: dict[int, int] = {}
    for size in NGRAM_SIZES:
        for start in range(len(normalised) - size + 1):
            gram = normalised[start : start + size]
            if gram.strip() == "" or _FUNCTION_GRAM.match(gram):
                continue
            bucket = zlib.crc32(gram.encode("utf-8")) % dimensions
            counts[bucket] = counts.get(bucket, 0) + 1
    vector = np.zeros(dimensions, dtype=np.float32)
    if counts:
        buckets = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        vector[buckets] = 1.0 + np.log(values)
        vector /= np.linalg.norm(vector)
    return vector


def features(
    texts: list[str], embeddings: Vector, parameters: GroupingParameters
) -> npt.NDArray[np.float32]:
    """One unit-length feature row per text: weighted embedding ++ weighted n-gram vector."""
    rows = np.zeros((len(texts), embeddings.shape[1] + NGRAM_DIMENSIONS), dtype=np.float32)
    for index, text in enumerate(texts):
        weight = (
            parameters.embedding_weight_cjk if is_cjk(text) else parameters.embedding_weight_latin
        )
        rows[index, : embeddings.shape[1]] = np.sqrt(weight) * embeddings[index]
        rows[index, embeddings.shape[1] :] = np.sqrt(1.0 - weight) * ngram_vector(text)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: npt.NDArray[np.float32] = (rows / norms).astype(np.float32)
    return normalised


@dataclass(eq=False)
class GroupState:
    """One group as the grouping sees it: feature sum and size (its id is the caller's)."""

    key: int
    total: Vector
    count: int
    merged_into: int | None = None
    changed: bool = False

    def centroid(self) -> Vector:
        norm = float(np.linalg.norm(self.total))
        return self.total / norm if norm > 0 else self.total


@dataclass
class GroupIndex:
    """The live groups of one incident, with their centroids as one matrix for fast look-ups."""

    parameters: GroupingParameters
    groups: list[GroupState] = field(default_factory=list)
    _next_new_key: int = -1

    def __post_init__(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        live = [g for g in self.groups if g.merged_into is None]
        self._live = live
        if live:
            self._centroids = np.stack([g.centroid() for g in live])
        else:
            self._centroids = np.zeros((0, 0), dtype=np.float32)

    def assign(self, feature: Vector) -> GroupState:
        """Put one report's feature into the nearest group, or a new one; merge if converged."""
        best: GroupState | None = None
        if self._live:
            similarities = self._centroids @ feature
            position = int(np.argmax(similarities))
            if similarities[position] >= self.parameters.join_threshold:
                best = self._live[position]
        if best is None:
            # New groups get negative keys until the caller stores them.
            group = GroupState(key=self._next_new_key, total=feature.copy(), count=1, changed=True)
            self._next_new_key -= 1
            self.groups.append(group)
            self._live.append(group)
            centroid = group.centroid()[None, :]
            self._centroids = (
                centroid if self._centroids.size == 0 else np.vstack([self._centroids, centroid])
            )
            return group
        best.total = best.total + feature
        best.count += 1
        best.changed = True
        position = self._live.index(best)
        self._centroids[position] = best.centroid()
        return self._merge_around(best)

    def _merge_around(self, group: GroupState) -> GroupState:
        """Merge `group` with every group whose centroid converged to it; returns the survivor."""
        while len(self._live) > 1:
            position = self._live.index(group)
            similarities = self._centroids @ self._centroids[position]
            similarities[position] = -1.0
            other_position = int(np.argmax(similarities))
            if similarities[other_position] < self.parameters.merge_threshold:
                return group
            other = self._live[other_position]
            # The older (larger) group survives, so ids the IC has seen stay stable.
            keep, gone = (group, other) if group.count >= other.count else (other, group)
            keep.total = keep.total + gone.total
            keep.count += gone.count
            keep.changed = True
            gone.merged_into = keep.key
            gone.changed = True
            self._rebuild()
            group = keep
        return group
