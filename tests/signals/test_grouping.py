"""Pure grouping: content terms, joins, new groups, noise, and bounded re-grouping."""

import numpy as np
import numpy.typing as npt

from app.signals.grouping import (
    TERM_BUCKETS,
    GroupIndex,
    GroupingParameters,
    IncidentStats,
    content_terms,
    is_cjk,
    term_vector,
)

DIMENSIONS = 4


def _row(*embedding: float, cjk: bool = False) -> npt.NDArray[np.float32]:
    """A raw feature row with the given (normalised) embedding and no content terms."""
    vector = np.array(embedding, dtype=np.float32)
    row = np.zeros(DIMENSIONS + TERM_BUCKETS + 1, dtype=np.float32)
    row[:DIMENSIONS] = vector / np.linalg.norm(vector)
    row[-1] = 1.0 if cjk else 0.0
    return row


def _index(**overrides: float) -> GroupIndex:
    parameters = GroupingParameters(**overrides)  # type: ignore[arg-type]
    return GroupIndex(parameters, IncidentStats.empty(DIMENSIONS))


def test_identical_features_join_one_group() -> None:
    index = _index(centering=0.0)
    groups = {group.key for group in index.assign_batch(np.stack([_row(1, 0, 0, 0)] * 100))}
    assert len(groups) == 1
    assert index.groups[0].count == 100


def test_dissimilar_feature_starts_a_new_group() -> None:
    index = _index(centering=0.0)
    first, second = index.assign_batch(np.stack([_row(1, 0, 0, 0), _row(0, 1, 0, 0)]))
    assert first.key != second.key


def test_centring_separates_what_the_incident_shares() -> None:
    # Every report shares the first direction ("notifications late"); groups differ in the rest.
    rows = np.stack([_row(3, 1, 0, 0), _row(3, 0, 1, 0), _row(3, 1, 0, 0), _row(3, 0, 1, 0)])
    plain = _index(centering=0.0, join_threshold=0.5)
    assert len({group.key for group in plain.assign_batch(rows)}) == 1
    centred = _index(centering=1.0, join_threshold=0.5, uncentred_offset=2.0)
    keys = [group.key for group in centred.assign_batch(rows[:2])]
    keys += [group.key for group in centred.assign_batch(rows[2:])]
    assert keys[0] == keys[2]
    assert keys[1] == keys[3]
    assert keys[0] != keys[1]


def test_regroup_fixes_order_and_keeps_the_older_group_id() -> None:
    # Joining everything in the single pass, then re-grouping splits the two topics apart.
    index = _index(centering=1.0, join_threshold=-1.0, regroup_threshold=0.3, uncentred_offset=2.0)
    rows = np.stack([_row(3, 1, 0, 0), _row(3, 0, 1, 0), _row(3, 1, 0, 0), _row(3, 0, 1, 0)])
    keys = [group.key for group in index.assign_batch(rows)]
    assert len(set(keys)) == 1
    assert index.regroup_due()
    new_keys = index.regroup(keys, rows)
    assert new_keys[0] == new_keys[2]
    assert new_keys[1] == new_keys[3]
    assert new_keys[0] != new_keys[1]
    assert keys[0] in new_keys  # the old group lives on as one of the clusters
    assert sorted(group.count for group in index.live()) == [2, 2]
    assert not index.regroup_due()


def test_regroup_keeps_off_topic_reports_alone() -> None:
    index = _index(centering=0.5, join_threshold=-1.0, regroup_threshold=-1.0)
    topic = [_row(1, 0.1 * i, 0, 0) for i in range(6)]
    rows = np.stack([*topic, _row(0, 0, 0, 1)])
    keys = [group.key for group in index.assign_batch(rows)]
    new_keys = index.regroup(keys, rows)
    assert new_keys.count(new_keys[-1]) == 1
    assert len(set(new_keys[:-1])) == 1


def test_regroup_is_due_at_a_share_of_the_window() -> None:
    index = _index(regroup_window=100, regroup_every=0.1)
    index.assign_batch(np.stack([_row(1, 0, 0, 0)] * 100))
    index.regroup([], np.zeros((0, DIMENSIONS + TERM_BUCKETS + 1), dtype=np.float32))
    index.assign_batch(np.stack([_row(1, 0, 0, 0)] * 9))
    assert not index.regroup_due()
    index.assign_batch(np.stack([_row(1, 0, 0, 0)]))
    assert index.regroup_due()


def test_content_terms_drop_stop_words_and_normalise_synonyms() -> None:
    assert content_terms("The texts are not arriving") == content_terms("SMS not arriving")
    assert "the" not in content_terms("The push is late")
    assert content_terms("Can't sign in") == content_terms("cannot log in") or "login" in (
        content_terms("Can't sign in")
    )


def test_japanese_terms_match_shared_words() -> None:
    push = term_vector("プッシュ通知が届きません")
    assert is_cjk("プッシュ通知が届きません")
    assert "プッシュ" in content_terms("プッシュ通知が届きません")
    assert float(push @ term_vector("プッシュ通知が遅れています")) > float(
        push @ term_vector("請求書を送ってください")
    )


def test_regroup_keeps_japanese_reports_without_shared_terms_alone() -> None:
    # Same embedding for all (the English model sees Japanese as alike): terms decide.
    texts = [
        "プッシュ通知が届きません",
        "プッシュ通知が遅れています",
        "アプリのプッシュ通知が来ない",
        "プッシュ通知が遅延しています",
        "通知が全然来ません",
        "プッシュ通知がまとめて届いた",
        "請求書の宛名を変更したいです",
    ]
    rows = np.stack([_row(1, 0.01 * i, 0, 0, cjk=True) for i in range(len(texts))])
    for index, text in enumerate(texts):
        rows[index, DIMENSIONS:-1] = term_vector(text)
    grouping = _index(join_threshold=-1.0, regroup_threshold_cjk=-1.0)
    keys = [group.key for group in grouping.assign_batch(rows)]
    new_keys = grouping.regroup(keys, rows)
    assert new_keys.count(new_keys[-1]) == 1
    assert len(set(new_keys[:4])) == 1
