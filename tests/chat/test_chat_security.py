"""Signing, replay, configuration, secrets and escaping of untrusted chat text."""

import json
import logging
import time
from urllib.parse import urlencode

import httpx
import pytest

from app.chat.blocks import DraftCard, draft_message, escape
from app.config import Settings
from app.main import create_app
from tests.chat.conftest import BOT_TOKEN, CHANNEL, SIGNING_SECRET, Chat, FakeSlack

FORM = "application/x-www-form-urlencoded"


def _start_body(title: str = "Forged incident") -> bytes:
    return urlencode(
        {"command": "/liaison", "text": f"start {title}", "user_id": "UIC", "channel_id": CHANNEL}
    ).encode()


async def _incident_count(chat: Chat) -> int:
    response = await chat.api.client.get("/v1/incidents", headers=chat.api.auth("viewer"))
    return len(response.json()["incidents"])


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "another-secret"},
        {"timestamp_offset": -6 * 60},
        {"timestamp_offset": 6 * 60},
    ],
    ids=["other-secret", "replayed", "future"],
)
async def test_badly_signed_requests_get_401_and_change_nothing(
    chat: Chat, signing: dict[str, object]
) -> None:
    if "timestamp_offset" in signing:  # relative to now: collection may be minutes earlier
        signing = {"timestamp": int(time.time()) + int(str(signing["timestamp_offset"]))}
    for path in ("/slack/commands", "/slack/interactions", "/slack/events"):
        response = await chat.post(path, _start_body(), FORM, **signing)
        assert response.status_code == 401, response.text
    assert await _incident_count(chat) == 0


async def test_missing_or_forged_signature_gets_401(chat: Chat) -> None:
    body = _start_body()
    missing = await chat.api.client.post(
        "/slack/commands", content=body, headers={"Content-Type": FORM}
    )
    assert missing.status_code == 401
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    forged = await chat.api.client.post("/slack/commands", content=body, headers=headers)
    assert forged.status_code == 401
    # A valid signature over another body does not carry over to this one.
    tampered = {"Content-Type": FORM, **_signed_for(b"text=help")}
    assert (
        await chat.api.client.post("/slack/commands", content=body, headers=tampered)
    ).status_code == 401
    assert await _incident_count(chat) == 0


def _signed_for(body: bytes) -> dict[str, str]:
    from tests.chat.conftest import signed_headers

    return signed_headers(body)


async def test_without_a_signing_secret_chat_answers_503(
    settings: Settings, session_factory: object, api: object
) -> None:
    unconfigured = settings.model_copy(update={"slack_signing_secret": None})
    app = create_app(unconfigured, session_factory=session_factory)  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://liaison.test") as client:
        response = await client.post(
            "/slack/commands", content=_start_body(), headers={"Content-Type": FORM}
        )
    assert response.status_code == 503
    assert "LIAISON_SLACK_SIGNING_SECRET" in response.json()["detail"]


async def test_url_verification_answers_the_challenge(chat: Chat) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    response = await chat.post("/slack/events", body, "application/json")
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


async def test_secrets_never_reach_logs_or_errors(
    chat: Chat, slack_api: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = await chat.post("/slack/commands", _start_body(), FORM, secret="wrong")
    await chat.command("start Delayed SMS", who="ic")
    slack_api.fail = "invalid_auth"
    await chat.command("draft")  # posting fails: logged, without the token
    assert any("chat.postMessage: invalid_auth" in r.getMessage() for r in caplog.records)
    for secret in (SIGNING_SECRET, BOT_TOKEN):
        assert secret not in caplog.text
        assert secret not in bad.text


async def test_pings_and_links_in_chat_text_are_neutralised(chat: Chat) -> None:
    answer = await chat.command(
        "start &lt;!channel&gt; SMS down &lt;@U999&gt; &lt;https://evil.example|click&gt;", who="ic"
    )
    assert "<!channel>" not in answer["text"]
    assert "<@U999>" not in answer["text"]
    assert "&lt;!channel&gt;" in answer["text"]
    assert "&lt;https://evil.example|click&gt;" in answer["text"]

    answer = await chat.command("check <!here> we will fix it within 10 minutes &amp; more")
    assert answer["response_type"] == "ephemeral"
    assert "<!here>" not in answer["text"]
    assert "&lt;!here&gt;" in answer["text"]
    assert "*eta*" in answer["text"]


def test_draft_message_escapes_text_and_violations() -> None:
    card = DraftCard(
        draft_id=1,
        incident_id=2,
        incident_title="<!everyone> title",
        channel="statuspage",
        locale="en",
        state="pending_approval",
        text="Hello <!channel> & <@U1>",
        revision=1,
        violations=[
            {"category": "pii", "text": "<@U1>", "message": "m", "fix": "", "blocking": True}
        ],
        staleness={},
    )
    text, rendered = draft_message(card)
    raw = json.dumps(rendered)
    for ping in ("<!channel>", "<@U1>", "<!everyone>"):
        assert ping not in raw
        assert ping not in text
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"
