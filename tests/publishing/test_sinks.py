"""Sinks against real files and a real HTTP server on 127.0.0.1."""

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.publishing.sinks import Delivery, SinkError, build_sinks, sinks_for_channel
from app.publishing.sinks.file import FileSink
from app.publishing.sinks.statuspage import StatuspageSink
from app.publishing.sinks.webhook import WebhookSink
from tests.receiver import receiver, signature_is_valid


def _delivery(key: str = "liaison-draft-1-file", **changes: object) -> Delivery:
    values: dict[str, object] = {
        "idempotency_key": key,
        "sink": "file",
        "publication_id": 1,
        "draft_id": 1,
        "incident_id": 7,
        "incident_title": "Delayed SMS notifications",
        "incident_status": "identified",
        "channel": "statuspage",
        "locale": "en",
        "text": "We identified the cause of delayed SMS notifications.",
        "text_sha256": "0" * 64,
        "revision": 1,
        "approved_by": "ic",
        "approved_at": "2026-03-01T10:00:00+00:00",
    }
    values.update(changes)
    return Delivery(**values)  # type: ignore[arg-type]


def test_file_sink_appends_one_line_per_key_even_on_retry(tmp_path: Path) -> None:
    sink = FileSink(Settings(data_dir=tmp_path))
    sink.deliver(_delivery("a"))
    sink.deliver(_delivery("a"))
    sink.deliver(_delivery("b"))
    # A fresh instance (a restarted worker) learns the keys from the file.
    FileSink(Settings(data_dir=tmp_path)).deliver(_delivery("a"))
    lines = (tmp_path / "published.jsonl").read_text().splitlines()
    assert [json.loads(line)["idempotency_key"] for line in lines] == ["a", "b"]


def test_file_sink_sees_keys_written_by_another_process(tmp_path: Path) -> None:
    first, second = FileSink(Settings(data_dir=tmp_path)), FileSink(Settings(data_dir=tmp_path))
    first.deliver(_delivery("a"))
    second.deliver(_delivery("a"))
    first.deliver(_delivery("b"))
    second.deliver(_delivery("b"))
    assert len((tmp_path / "published.jsonl").read_text().splitlines()) == 2


def test_file_sink_survives_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "published.jsonl"
    path.write_text('{"idempotency_key": "a"}\n{"idempotency_key": "to')
    FileSink(Settings(data_dir=tmp_path)).deliver(_delivery("b"))
    lines = path.read_text().splitlines()
    assert json.loads(lines[-1])["idempotency_key"] == "b"
    FileSink(Settings(data_dir=tmp_path)).deliver(_delivery("b"))
    assert len(path.read_text().splitlines()) == 3


def test_webhook_posts_signed_json_with_idempotency_key() -> None:
    with receiver() as server:
        settings = Settings(webhook_url=f"{server.url}/hook", webhook_secret=SecretStr("s3cret"))
        sink = WebhookSink(settings)
        sink.deliver(_delivery("liaison-draft-1-webhook", sink="webhook"))
        sink.close()
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "liaison-draft-1-webhook"
    assert signature_is_valid(request, "s3cret")
    assert not signature_is_valid(request, "wrong")
    assert request.json()["text"] == _delivery().text
    assert "s3cret" not in request.body.decode()


def test_webhook_error_answer_raises_for_a_retry() -> None:
    with receiver() as server:
        server.statuses.append(503)
        settings = Settings(webhook_url=server.url, webhook_secret=SecretStr("k"))
        with pytest.raises(SinkError, match="503"):
            WebhookSink(settings).deliver(_delivery())


def test_webhook_unreachable_raises_sink_error_without_the_secret() -> None:
    settings = Settings(
        webhook_url="http://127.0.0.1:9/hook",
        webhook_secret=SecretStr("k3y"),
        publish_timeout_seconds=1,
    )
    with pytest.raises(SinkError) as caught:
        WebhookSink(settings).deliver(_delivery())
    assert "k3y" not in str(caught.value)


def test_statuspage_creates_then_updates_the_remote_incident() -> None:
    with receiver() as server:
        settings = Settings(
            statuspage_base_url=server.url,
            statuspage_page_id="page1",
            statuspage_api_key=SecretStr("api-key"),
        )
        sink = StatuspageSink(settings)
        remote_id = sink.deliver(_delivery(sink="statuspage"))
        again = sink.deliver(
            _delivery(
                sink="statuspage",
                incident_status="resolved",
                text="Resolved.",
                remote_incident_id=remote_id,
            )
        )
        sink.close()
    assert remote_id == "remote-1"
    assert again == "remote-2"
    create, patch = server.requests
    assert (create.method, create.path) == ("POST", "/v1/pages/page1/incidents")
    assert create.headers["authorization"] == "OAuth api-key"
    assert create.json() == {
        "incident": {
            "name": "Delayed SMS notifications",
            "status": "identified",
            "body": _delivery().text,
        }
    }
    assert (patch.method, patch.path) == ("PATCH", "/v1/pages/page1/incidents/remote-1")
    assert patch.json() == {"incident": {"status": "resolved", "body": "Resolved."}}


def test_statuspage_takes_only_the_statuspage_channel() -> None:
    names = ["file", "statuspage", "webhook"]
    assert sinks_for_channel(names, "statuspage") == names
    assert sinks_for_channel(names, "email") == ["file", "webhook"]


def test_unknown_or_misconfigured_sinks_fail_fast() -> None:
    with pytest.raises(ValueError, match="unknown publish sink"):
        build_sinks(Settings(publish_sinks=["carrier-pigeon"]))
    with pytest.raises(ValueError, match="LIAISON_WEBHOOK_URL"):
        build_sinks(Settings(publish_sinks=["webhook"]))
