"""The recorded incidents load, are consistent, and each reference passes its own checkpoint."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from evals.dataset import (
    DatasetError,
    RecordedIncident,
    load_incident,
    load_incidents,
    visible_at,
)
from evals.matching import first_match, is_cjk, mentions

ROOT = Path(__file__).resolve().parents[2]
MAIN_DIR = ROOT / "evals" / "incidents"
HOLDOUT_DIR = ROOT / "evals" / "holdout"
MAIN_FILES = sorted(MAIN_DIR.glob("*.yaml"))
HOLDOUT_FILES = sorted(HOLDOUT_DIR.glob("*.yaml"))
ALL_FILES = MAIN_FILES + HOLDOUT_FILES
INJECTION_MARKERS = [
    "ignore previous instructions",
    "ignore all previous instructions",
    "ignore your instructions",
    "指示を無視",
]


def _ids(paths: list[Path]) -> list[str]:
    return [f"{path.parent.name}/{path.name}" for path in paths]


@pytest.fixture(scope="module", params=ALL_FILES, ids=_ids(ALL_FILES))
def incident(request: pytest.FixtureRequest) -> RecordedIncident:
    path: Path = request.param
    return load_incident(path)


def test_main_set_size_and_locales() -> None:
    incidents = load_incidents([MAIN_DIR])
    locales = Counter(incident.locale for incident in incidents)
    assert len(incidents) >= 14
    assert locales["en"] >= 9
    assert locales["ja"] >= 5


def test_holdout_set_size_and_locales() -> None:
    incidents = load_incidents([HOLDOUT_DIR])
    locales = Counter(incident.locale for incident in incidents)
    assert locales["en"] >= 2
    assert locales["ja"] >= 2


def test_ids_are_unique_across_main_and_holdout() -> None:
    incidents = load_incidents([MAIN_DIR, HOLDOUT_DIR])
    assert len({incident.id for incident in incidents}) == len(incidents)


def test_prompt_injection_appears_in_at_least_four_main_incidents() -> None:
    def has_injection(incident: RecordedIncident) -> bool:
        texts = [entry.text for entry in incident.transcript]
        texts += [report.text for report in incident.reports]
        return any(marker in text.lower() for text in texts for marker in INJECTION_MARKERS)

    incidents = load_incidents([MAIN_DIR])
    assert sum(has_injection(incident) for incident in incidents) >= 4


def test_transcript_size_and_kinds(incident: RecordedIncident) -> None:
    kinds = Counter(entry.kind for entry in incident.transcript)
    assert 25 <= len(incident.transcript) <= 60
    assert kinds["call-note"] >= 1
    assert kinds["status-change"] >= 2


def test_reports_have_gold_groups_and_noise(incident: RecordedIncident) -> None:
    groups = Counter(report.group for report in incident.reports if report.group is not None)
    noise = [report for report in incident.reports if report.group is None]
    assert len(incident.reports) >= 15
    assert 2 <= len(groups) <= 4
    assert all(count >= 2 for count in groups.values()), groups
    assert 2 <= len(noise) <= 4


def test_reports_are_worded_differently(incident: RecordedIncident) -> None:
    texts = [report.text.strip().lower() for report in incident.reports]
    assert len(set(texts)) == len(texts)


def test_checkpoints_span_statuses_and_channels(incident: RecordedIncident) -> None:
    statuses = {checkpoint.expect.status for checkpoint in incident.checkpoints}
    channels = {checkpoint.channel for checkpoint in incident.checkpoints}
    assert len(incident.checkpoints) >= 3
    assert len(statuses) >= 2
    assert len(channels) >= 2
    assert incident.checkpoints[-1].expect.status == "resolved"


def test_expected_status_is_the_visible_status(incident: RecordedIncident) -> None:
    for checkpoint in incident.checkpoints:
        _, _, status = visible_at(incident, checkpoint.at)
        assert checkpoint.expect.status == status, checkpoint.at


def test_every_checkpoint_has_a_reference(incident: RecordedIncident) -> None:
    assert all(checkpoint.reference for checkpoint in incident.checkpoints)


def test_reference_satisfies_its_expectation(incident: RecordedIncident) -> None:
    for checkpoint in incident.checkpoints:
        reference = checkpoint.reference or ""
        expect = checkpoint.expect
        for group in expect.must_mention:
            assert first_match(reference, group), (checkpoint.at, group)
        assert first_match(reference, expect.must_not_mention) is None, checkpoint.at
        assert first_match(reference, expect.forbidden) is None, checkpoint.at


def test_expectations_are_fair(incident: RecordedIncident) -> None:
    for checkpoint in incident.checkpoints:
        assert 1 <= len(checkpoint.expect.must_mention) <= 3
        assert checkpoint.expect.forbidden, checkpoint.at


def test_forbidden_terms_come_from_the_transcript(incident: RecordedIncident) -> None:
    for checkpoint in incident.checkpoints:
        transcript, _, _ = visible_at(incident, checkpoint.at)
        sources = [entry.text for entry in transcript] + [entry.author for entry in transcript]
        sources += [name for entry in incident.catalog for name in entry.internal]
        for term in checkpoint.expect.forbidden:
            assert any(mentions(source, term) for source in sources), (checkpoint.at, term)


def test_catalog_names_people_and_internal_aliases(incident: RecordedIncident) -> None:
    assert incident.catalog
    assert all(entry.internal for entry in incident.catalog)


JAPANESE_FILES = [path for path in ALL_FILES if load_incident(path).locale == "ja"]


@pytest.mark.parametrize("path", JAPANESE_FILES, ids=_ids(JAPANESE_FILES))
def test_japanese_incidents_are_written_in_japanese(path: Path) -> None:
    incident = load_incident(path)

    def japanese(text: str) -> bool:
        return any(is_cjk(char) for char in text)

    assert all(japanese(report.text) for report in incident.reports)
    assert all(japanese(checkpoint.reference or "") for checkpoint in incident.checkpoints)
    for checkpoint in incident.checkpoints:
        terms = [term for group in checkpoint.expect.must_mention for term in group]
        assert any(japanese(term) for term in terms), checkpoint.at
    chat = [entry for entry in incident.transcript if entry.kind != "status-change"]
    assert sum(japanese(entry.text) for entry in chat) >= len(chat) * 0.8


# --- loader behaviour -------------------------------------------------------------------------

VALID = """
id: tiny-1
title: Tiny incident
locale: en
catalog:
  - component: API
    internal: [api-gw]
transcript:
  - {at: "2026-03-01T10:00:00Z", author: ann, text: "api-gw 5xx"}
  - {at: "2026-03-01T10:05:00Z", author: ann, kind: status-change, status: investigating, text: s}
  - {at: "2026-03-01T10:20:00Z", author: ann, kind: status-change, status: resolved, text: s}
reports:
  - {at: "2026-03-01T10:01:00Z", source: ticket, customer: acme, text: "API errors", group: api}
  - {at: "2026-03-01T10:30:00Z", source: email, text: "invoice question"}
checkpoints:
  - at: "2026-03-01T10:06:00Z"
    channel: statuspage
    expect: {status: investigating, must_mention: [[API]], forbidden: [api-gw]}
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_minimal_file_loads(tmp_path: Path) -> None:
    incident = load_incident(_write(tmp_path, "tiny.yaml", VALID))
    assert incident.transcript[0].kind == "chat"
    assert incident.reports[1].group is None
    assert incident.checkpoints[0].expect.must_not_mention == []


def test_status_change_without_status_names_file_and_field(tmp_path: Path) -> None:
    bad = VALID.replace("kind: status-change, status: investigating,", "kind: status-change,")
    path = _write(tmp_path, "broken.yaml", bad)
    with pytest.raises(DatasetError) as caught:
        load_incident(path)
    assert "broken.yaml" in str(caught.value)
    assert "transcript[1]" in str(caught.value)
    assert "status" in str(caught.value)


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    bad = VALID.replace("source: ticket,", "source: ticket, severity: high,")
    with pytest.raises(DatasetError, match=r"reports\[0\]\.severity"):
        load_incident(_write(tmp_path, "extra.yaml", bad))


def test_unknown_channel_is_rejected(tmp_path: Path) -> None:
    bad = VALID.replace("channel: statuspage", "channel: fax")
    with pytest.raises(DatasetError, match=r"checkpoints\[0\]\.channel"):
        load_incident(_write(tmp_path, "channel.yaml", bad))


def test_naive_timestamp_is_rejected(tmp_path: Path) -> None:
    bad = VALID.replace('"2026-03-01T10:01:00Z"', '"2026-03-01T10:01:00"')
    with pytest.raises(DatasetError, match=r"reports\[0\]\.at"):
        load_incident(_write(tmp_path, "naive.yaml", bad))


def test_invalid_yaml_names_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"garbled\.yaml: not valid YAML"):
        load_incident(_write(tmp_path, "garbled.yaml", "id: [unclosed\n"))


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="mapping"):
        load_incident(_write(tmp_path, "list.yaml", "- 1\n- 2\n"))


def test_unsorted_checkpoints_are_rejected(tmp_path: Path) -> None:
    extra = """  - at: "2026-03-01T10:04:00Z"
    channel: chat
    expect: {status: investigating}
"""
    with pytest.raises(DatasetError, match="checkpoints must be in chronological order"):
        load_incident(_write(tmp_path, "order.yaml", VALID + extra))


def test_duplicate_ids_across_a_load_are_rejected(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", VALID)
    _write(tmp_path, "b.yml", VALID)
    with pytest.raises(DatasetError, match="duplicate incident id 'tiny-1'"):
        load_incidents([tmp_path])


def test_directory_load_is_sorted_and_skips_other_files(tmp_path: Path) -> None:
    _write(tmp_path, "b.yaml", VALID.replace("id: tiny-1", "id: second"))
    _write(tmp_path, "a.yml", VALID.replace("id: tiny-1", "id: first"))
    _write(tmp_path, "notes.txt", "not an incident")
    incidents = load_incidents([tmp_path])
    assert [incident.id for incident in incidents] == ["first", "second"]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_incidents([tmp_path / "absent"])


def test_visible_at_includes_entries_at_the_exact_time(tmp_path: Path) -> None:
    incident = load_incident(_write(tmp_path, "tiny.yaml", VALID))
    transcript, reports, status = visible_at(incident, datetime(2026, 3, 1, 10, 5, tzinfo=UTC))
    assert len(transcript) == 2
    assert len(reports) == 1
    assert status == "investigating"


def test_visible_at_before_any_status_change_has_no_status(tmp_path: Path) -> None:
    incident = load_incident(_write(tmp_path, "tiny.yaml", VALID))
    _, _, status = visible_at(incident, datetime(2026, 3, 1, 10, 1, tzinfo=UTC))
    assert status is None


def test_visible_at_takes_the_last_status_change(tmp_path: Path) -> None:
    incident = load_incident(_write(tmp_path, "tiny.yaml", VALID))
    _, _, status = visible_at(incident, datetime(2026, 3, 1, 11, 0, tzinfo=UTC))
    assert status == "resolved"


def test_visible_at_rejects_naive_datetime(tmp_path: Path) -> None:
    incident = load_incident(_write(tmp_path, "tiny.yaml", VALID))
    with pytest.raises(ValueError, match="timezone-aware"):
        visible_at(incident, datetime(2026, 3, 1, 10, 0))
