"""Pure grouping: joins, new groups, merges, and language-neutral n-grams."""

import numpy as np
import numpy.typing as npt

from app.signals.grouping import GroupIndex, GroupingParameters, is_cjk, ngram_vector


def _unit(*values: float) -> npt.NDArray[np.float32]:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_identical_features_join_one_group() -> None:
    index = GroupIndex(GroupingParameters())
    groups = {index.assign(_unit(1, 0, 0)).key for _ in range(100)}
    assert len(groups) == 1
    assert index.groups[0].count == 100


def test_dissimilar_feature_starts_a_new_group() -> None:
    index = GroupIndex(GroupingParameters())
    first = index.assign(_unit(1, 0, 0))
    second = index.assign(_unit(0, 1, 0))
    assert first.key != second.key


def test_groups_merge_when_centroids_converge() -> None:
    index = GroupIndex(GroupingParameters(join_threshold=0.7, merge_threshold=0.3))
    index.assign(_unit(1, 0, 0))
    index.assign(_unit(0, 1, 0))
    survivor = index.assign(_unit(1, 1, 0))
    assert survivor.count == 3
    assert sum(1 for group in index.groups if group.merged_into is None) == 1


def test_japanese_ngrams_match_shared_words() -> None:
    push = ngram_vector("プッシュ通知が届きません")
    assert is_cjk("プッシュ通知が届きません")
    assert float(push @ ngram_vector("プッシュ通知が遅れています")) > float(
        push @ ngram_vector("請求書を送ってください")
    )
