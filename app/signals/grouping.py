"""Report features and incremental grouping (pure: no database, no model).

A report's stored feature is *raw*, so it never goes stale as the incident grows:
    [sentence embedding (unit) ++ hashed content-term frequencies (TERM_BUCKETS) ++ CJK flag]
How two reports compare depends on the incident seen so far (`IncidentStats`, kept in the
database): the embedding is centred on the incident's mean embedding (what every report of this
incident shares, e.g. "notifications not arriving", is taken out, so the words that tell groups
apart weigh more), and the term frequencies are weighted by the incident's inverse document
frequencies. `project` turns raw rows into unit vectors whose dot product is
    a·cos(centred embeddings) + (1 - a)·cos(tf-idf)
with `a` per script (Latin or CJK), so one matrix product compares a report with every group.

Grouping is single-pass (join the most similar group or start one) between periodic, bounded
re-groupings: average-linkage agglomerative clustering of the incident's latest
`regroup_window` reports, mapped back onto existing groups by overlap so ids stay stable.
"""

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped]
from scipy.spatial.distance import squareform  # type: ignore[import-untyped]

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]

TERM_BUCKETS = 1024
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")
_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ff]{2,}")
_KANJI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]+")

# Words that say nothing about *which* problem a customer has.
STOP_WORDS = frozenset(
    """a an the and or but if of to in on at for from by with without about as into over after
    before is are was were be been being am do does did done doing have has had having i me my we
    our us you your he she it its they them their this that these those there here what which who
    whom when where why how all any some no not nor can could will would should may might must
    shall just only also very so too than then now still again even get gets got getting says
    said say saying asked ask asks want wants know tell let up down out off please thanks thank
    hi hello today since it's i'm we're don't can't won't isn't didn't doesn't haven't hasn't
    aren't wasn't weren't""".split()
)
# A small, domain-generic synonym normalisation (applied to lower-cased NFKC text, in order).
SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\btext messages?\b", "sms"),
        (r"\btexts?\b", "sms"),
        (r"\bsingle sign-on\b", "sso"),
        (r"\bsign(?:ed|ing|s)?[ -]?(?:in|on)\b", "login"),
        (r"\blog(?:ged|ging|s)?[ -]?(?:in|on)\b", "login"),
        (r"\bhttp 5\d\d\b|\b5\d\d\b|\b5xx\b", "http5xx"),
        (r"\btimed out\b|\btime out\b|\btimeouts?\b", "timeout"),
        (r"\be-?mails?\b", "email"),
    )
)


@dataclass(frozen=True)
class GroupingParameters:
    """Weights and thresholds of the grouping; defaults measured on evals/incidents."""

    # Weight `a` of the centred-embedding cosine for Latin-script and for CJK text (the rest:
    # tf-idf cosine).
    embedding_weight_latin: float = 1.0
    embedding_weight_cjk: float = 0.3
    # How much of the incident's mean embedding is taken out (0: none, 1: all).
    centering: float = 0.5
    # Single pass: a report joins the most similar group at or above this, else starts its own.
    join_threshold: float = 0.25
    # Re-grouping: average linkage, clusters cut where the mean pair similarity drops below this.
    regroup_threshold: float = 0.15
    # ... for a window of mostly CJK reports (the packaged English model separates them less).
    regroup_threshold_cjk: float = 0.2
    # Re-grouping looks at the incident's latest this-many reports (bounded: an all-pairs
    # matrix over at most 2,000 reports: ~60 MB peak allocations, 0.35-0.5 s).
    regroup_window: int = 2000
    # ... and runs when at least this share of the window arrived since the last one.
    regroup_every: float = 0.05
    # Off-topic reports ("please send last month's invoice") are far from the incident's mean
    # embedding: a report whose cosine to it is below this share of the window's median stays
    # on its own (noise), in re-grouping and, with the cut-off the last re-grouping found, in
    # the single pass.
    noise_ratio: float = 0.8
    # ... and a CJK report whose content terms' cosine to the rest of the window is below
    # this share of the CJK median.
    noise_term_ratio: float = 0.7
    # Near-paraphrases belong together even where centring pulls them apart (a small or
    # single-topic incident, whose mean *is* the topic): the similarity used is
    # max(centred similarity, uncentred similarity - this offset).
    uncentred_offset: float = 0.25
    # ... and only over windows of at least this many reports (a median needs a sample).
    noise_min_reports: int = 6


def is_cjk(text: str) -> bool:
    """Whether at least a fifth of the text's non-space characters are Japanese/Chinese script."""
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    return sum(1 for c in letters if _CJK.match(c)) * 5 >= len(letters)


def normalise_text(text: str) -> str:
    """NFKC (full-width to half-width), lower case, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Distinctive terms of one text: stemmed Latin words without stop words (after synonym
    normalisation); katakana runs; kanji runs as themselves and as character bigrams.
    Hiragana (mostly grammar) is dropped."""
    normalised = normalise_text(text)
    for pattern, replacement in SYNONYMS:
        normalised = pattern.sub(replacement, normalised)
    terms = [
        _stem(word)
        for word in _LATIN_WORD.findall(normalised)
        if word not in STOP_WORDS and len(word) > 1
    ]
    terms += _KATAKANA_RUN.findall(normalised)
    for run in _KANJI_RUN.findall(normalised):
        terms += list(run)
        terms += [run[i : i + 2] for i in range(len(run) - 1)]
    return terms


def term_vector(text: str, buckets: int = TERM_BUCKETS) -> Vector:
    """Hashed sublinear term frequencies (1 + ln count) of one text's content terms."""
    vector = np.zeros(buckets, dtype=np.float32)
    for term, count in Counter(content_terms(text)).items():
        bucket = zlib.crc32(term.encode("utf-8")) % buckets
        vector[bucket] += 1.0 + math.log(count)
    return vector


def raw_features(texts: list[str], embeddings: Matrix) -> Matrix:
    """One raw feature row per text: embedding ++ term frequencies ++ CJK flag."""
    dimensions = embeddings.shape[1]
    rows = np.zeros((len(texts), dimensions + TERM_BUCKETS + 1), dtype=np.float32)
    for index, text in enumerate(texts):
        rows[index, :dimensions] = embeddings[index]
        rows[index, dimensions:-1] = term_vector(text)
        rows[index, -1] = 1.0 if is_cjk(text) else 0.0
    return rows


def embedding_dimensions(width: int) -> int:
    """The embedding part's size of a raw feature row of `width`."""
    return width - TERM_BUCKETS - 1


@dataclass
class IncidentStats:
    """What comparisons need to know about the whole incident: report count, embedding sum,
    per-bucket document frequencies, and reports added since the last re-grouping."""

    count: int
    embedding_sum: Vector
    document_frequency: Vector
    since_regroup: int = 0
    # Reports less relevant than this (cosine to the mean embedding) start their own group.
    noise_cutoff: float = -1.0

    @classmethod
    def empty(cls, embedding_dimensions: int) -> "IncidentStats":
        return cls(
            0,
            np.zeros(embedding_dimensions, dtype=np.float32),
            np.zeros(TERM_BUCKETS, dtype=np.float32),
        )

    def add(self, rows: Matrix) -> None:
        dimensions = self.embedding_sum.shape[0]
        self.count += rows.shape[0]
        self.since_regroup += rows.shape[0]
        self.embedding_sum = self.embedding_sum + rows[:, :dimensions].sum(axis=0)
        self.document_frequency = self.document_frequency + (rows[:, dimensions:-1] > 0).sum(
            axis=0
        ).astype(np.float32)

    def mean_embedding(self) -> Vector:
        mean: Vector = (self.embedding_sum / max(self.count, 1)).astype(np.float32)
        return mean

    def relevance(self, rows: Matrix) -> npt.NDArray[np.float32]:
        """Cosine of each raw row's embedding to the incident's mean embedding."""
        dimensions = self.embedding_sum.shape[0]
        mean = self.mean_embedding()
        norm = float(np.linalg.norm(mean))
        unit = (mean / max(norm, 1e-12)).astype(np.float32)
        result: npt.NDArray[np.float32] = (rows[:, :dimensions] @ unit).astype(np.float32)
        return result

    def idf(self) -> Vector:
        """Smoothed inverse document frequency; a term in every report weighs 0."""
        ratio = (1.0 + self.count) / (1.0 + self.document_frequency)
        result: Vector = np.log(ratio).astype(np.float32)
        return result


def _unit_rows(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = (matrix / norms).astype(np.float32)
    return result


def project(
    rows: Matrix,
    stats: IncidentStats,
    parameters: GroupingParameters,
    *,
    counts: npt.NDArray[np.float64] | None = None,
    centering: float | None = None,
) -> Matrix:
    """Comparable unit vectors: sqrt(a)·unit(centred embedding) ++ sqrt(1-a)·unit(tf-idf).

    `rows` are raw features, or sums of them with `counts` (group totals: the embedding part is
    averaged before centring; the CJK flag becomes the share of CJK reports).
    """
    if rows.ndim == 1:
        rows = rows[None, :]
    dimensions = embedding_dimensions(rows.shape[1])
    scale = np.ones((rows.shape[0], 1)) if counts is None else np.maximum(counts, 1)[:, None]
    embeddings = rows[:, :dimensions] / scale
    amount = parameters.centering if centering is None else centering
    centred = _unit_rows((embeddings - amount * stats.mean_embedding()).astype(np.float32))
    weighted = _unit_rows(rows[:, dimensions:-1] * stats.idf())
    cjk = rows[:, -1:] / scale >= 0.5
    weight = np.where(cjk, parameters.embedding_weight_cjk, parameters.embedding_weight_latin)
    projected = np.hstack([np.sqrt(weight) * centred, np.sqrt(1.0 - weight) * weighted])
    result: Matrix = projected.astype(np.float32)
    return result


@dataclass(eq=False)
class GroupState:
    """One group as the grouping sees it: raw feature sum and size (its id is the caller's)."""

    key: int
    total: Vector
    count: int
    changed: bool = False

    @property
    def deleted(self) -> bool:
        return self.count <= 0


@dataclass
class GroupIndex:
    """The groups of one incident plus the incident statistics; assigns and re-groups."""

    parameters: GroupingParameters
    stats: IncidentStats
    groups: list[GroupState] = field(default_factory=list)
    _next_new_key: int = -1

    def live(self) -> list[GroupState]:
        return [group for group in self.groups if not group.deleted]

    def _new_group(self, total: Vector, count: int) -> GroupState:
        # New groups get negative keys until the caller stores them.
        group = GroupState(key=self._next_new_key, total=total, count=count, changed=True)
        self._next_new_key -= 1
        self.groups.append(group)
        return group

    def assign_batch(self, rows: Matrix) -> list[GroupState]:
        """Add a batch of raw features to the statistics, then put each report into the most
        similar group (or a new one). Centroids are recomputed per report only for the group
        that changed, so the cost is O(groups × dimensions) per report."""
        self.stats.add(rows)
        live = self.live()
        projected_rows = project(rows, self.stats, self.parameters)
        plain_rows = project(rows, self.stats, self.parameters, centering=0.0)
        relevant = self.stats.relevance(rows) >= self.stats.noise_cutoff
        centroids, plain = self._centroids(live, projected_rows.shape[1])
        assigned: list[GroupState] = []
        offset = self.parameters.uncentred_offset
        for row, projected, plain_row, on_topic in zip(
            rows, projected_rows, plain_rows, relevant, strict=True
        ):
            best: GroupState | None = None
            if live and on_topic:
                similarities = np.maximum(centroids @ projected, plain @ plain_row - offset)
                position = int(np.argmax(similarities))
                if similarities[position] >= self.parameters.join_threshold:
                    best = live[position]
            if best is None:
                best = self._new_group(row.copy(), 1)
                live.append(best)
                centroids = np.vstack([centroids, projected[None, :]])
                plain = np.vstack([plain, plain_row[None, :]])
            else:
                best.total = best.total + row
                best.count += 1
                best.changed = True
                centroids[position], plain[position] = self._centroids([best], 0)
            assigned.append(best)
        return assigned

    def _term_relevance(self, rows: Matrix) -> npt.NDArray[np.float64]:
        """Each row's tf-idf cosine to the sum of the other rows' unit tf-idf vectors."""
        dimensions = embedding_dimensions(rows.shape[1])
        terms = _unit_rows(rows[:, dimensions:-1] * self.stats.idf()).astype(np.float64)
        others = terms.sum(axis=0)[None, :] - terms
        norms = np.maximum(np.linalg.norm(others, axis=1), 1e-12)
        result: npt.NDArray[np.float64] = (terms * others).sum(axis=1) / norms
        return result

    def _centroids(self, groups: list[GroupState], width: int) -> tuple[Matrix, Matrix]:
        """Centred and uncentred comparable centroids of `groups`."""
        if not groups:
            empty = np.zeros((0, width), dtype=np.float32)
            return empty, empty.copy()
        totals = np.stack([g.total for g in groups])
        counts = np.array([g.count for g in groups], dtype=np.float64)
        return (
            project(totals, self.stats, self.parameters, counts=counts),
            project(totals, self.stats, self.parameters, counts=counts, centering=0.0),
        )

    def regroup_due(self) -> bool:
        """Whether enough reports arrived since the last re-grouping (a share of the window)."""
        window = min(self.stats.count, self.parameters.regroup_window)
        return self.stats.since_regroup >= max(1, math.ceil(self.parameters.regroup_every * window))

    def regroup(self, keys: list[int], rows: Matrix) -> list[int]:
        """Re-cluster the window (`rows`, currently in groups `keys`), keep ids by overlap.

        Returns each window report's new group key; groups' totals and counts are updated (a
        group emptied of its members gets count 0: `deleted`). Reports outside the window keep
        their group. Memory: one all-pairs matrix over the window (≤ regroup_window rows).
        """
        self.stats.since_regroup = 0
        if len(keys) < 2:
            return list(keys)
        relevance = self.stats.relevance(rows)
        # Relative to the median, not to the spread: a cut at "k deviations below the mean"
        # would always drop a fixed share of reports, on-topic or not.
        self.stats.noise_cutoff = float(self.parameters.noise_ratio * np.median(relevance))
        if len(keys) < self.parameters.noise_min_reports:
            self.stats.noise_cutoff = -1.0
        keep = relevance >= self.stats.noise_cutoff
        cjk = rows[:, -1] >= 0.5
        if len(keys) >= self.parameters.noise_min_reports and cjk.sum() >= 2:
            # The packaged English model barely tells Japanese topics apart (every Japanese
            # report is "near" the mean): there, what a report shares in content terms with
            # the rest of the window decides.
            shared = self._term_relevance(rows)
            keep &= ~cjk | (shared >= self.parameters.noise_term_ratio * np.median(shared[cjk]))
        on_topic = np.flatnonzero(keep)
        # Off-topic reports are singletons: cluster ids 1..n for them, n+1.. for the rest.
        clusters = np.arange(1, len(keys) + 1)
        if len(on_topic) >= 2:
            projected = project(rows[on_topic], self.stats, self.parameters)
            plain = project(rows[on_topic], self.stats, self.parameters, centering=0.0)
            similarity = np.maximum(
                projected @ projected.T, plain @ plain.T - self.parameters.uncentred_offset
            )
            similarity = np.clip(similarity, -1.0, 1.0)
            distance = 1.0 - similarity.astype(np.float64)
            np.fill_diagonal(distance, 0.0)
            tree = linkage(squareform(distance, checks=False), method="average")
            threshold = (
                self.parameters.regroup_threshold_cjk
                if rows[:, -1].mean() >= 0.5
                else self.parameters.regroup_threshold
            )
            found = fcluster(tree, 1.0 - threshold, criterion="distance")
            clusters[on_topic] = len(keys) + found
        by_key = {group.key: group for group in self.groups}
        # Map clusters to old groups, largest overlap first; ties go to the older group.
        overlap = Counter(zip(clusters.tolist(), keys, strict=True))
        mapping: dict[int, int] = {}
        taken: set[int] = set()
        for (cluster, key), _ in sorted(
            overlap.items(), key=lambda item: (-item[1], item[0][1] < 0, abs(item[0][1]))
        ):
            if cluster not in mapping and key not in taken:
                mapping[cluster] = key
                taken.add(key)
        # Move every window report out of its old group, then into its new one.
        for key, row in zip(keys, rows, strict=True):
            group = by_key[key]
            group.total = group.total - row
            group.count -= 1
            group.changed = True
        new_keys: list[int] = []
        for cluster, row in zip(clusters.tolist(), rows, strict=True):
            if cluster not in mapping:
                mapping[cluster] = self._new_group(np.zeros_like(row), 0).key
                by_key[mapping[cluster]] = self.groups[-1]
            group = by_key[mapping[cluster]]
            group.total = group.total + row
            group.count += 1
            group.changed = True
            new_keys.append(group.key)
        return new_keys
