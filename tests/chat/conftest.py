"""Chat fixtures: a local stand-in for the Slack Web API and a client signing like Slack."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from app.chat.signing import signature
from app.config import Settings
from app.publishing.worker import Worker
from tests.conftest import Api
from tests.receiver import Received, receiver

SIGNING_SECRET = "test-signing-secret-8f2a1c"
BOT_TOKEN = "xoxb-test-bot-token-5d7e"
CHANNEL = "C0INCIDENT"
# Chat user ids of the test principals (tests/conftest.py PRINCIPALS).
CHAT_USERS = {"ic": "UIC", "other_ic": "UOTHERIC", "liaison": "ULIAISON", "viewer": "UVIEWER"}


@dataclass
class WebApiCall:
    method: str
    body: dict[str, Any]
    authorization: str


@dataclass
class FakeSlack:
    """Records Web API calls and answers like Slack; `fail` makes every call answer ok: false."""

    url: str = ""
    calls: list[WebApiCall] = field(default_factory=list)
    fail: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, method: str) -> list[WebApiCall]:
        with self.lock:
            return [call for call in self.calls if call.method == method]


@pytest.fixture
def slack_api() -> Iterator[FakeSlack]:
    """A local stand-in for Slack's Web API: records calls, answers as Slack does."""
    state = FakeSlack()

    def answer(request: Received, number: int) -> tuple[int, dict[str, Any]]:
        body = json.loads(request.body or b"{}")
        method = request.path.rsplit("/", 1)[-1]
        with state.lock:
            state.calls.append(WebApiCall(method, body, request.headers.get("authorization", "")))
        if state.fail:
            return 200, {"ok": False, "error": state.fail}
        return 200, {"ok": True, "channel": body.get("channel"), "ts": f"1700000000.{number:06d}"}

    with receiver(answer) as server:
        state.url = f"{server.url}/api/"
        yield state


@pytest.fixture
def settings(tmp_path: Path, database_url: str, slack_api: FakeSlack) -> Settings:
    """The API tests' settings with chat configured against the local Web API."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "var",
        run_worker_in_process=False,
        publish_sinks=["file", "chat"],
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=slack_api.url,
        slack_signal_threshold=3,
        signal_min_reports=2,
    )


def signed_headers(
    body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    sent = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": sent,
        "X-Slack-Signature": signature(secret, sent, body),
    }


@dataclass
class Chat:
    """Requests as the platform sends them, signed."""

    api: Api
    slack: FakeSlack

    async def post(
        self, path: str, body: bytes, content_type: str, **signing: Any
    ) -> httpx.Response:
        headers = {"Content-Type": content_type, **signed_headers(body, **signing)}
        return await self.api.client.post(path, content=body, headers=headers)

    async def command(
        self, text: str, who: str = "liaison", channel: str = CHANNEL
    ) -> dict[str, Any]:
        form = {
            "token": "deprecated-verification-token",
            "team_id": "T0TEAM",
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "inc-sms",
            "user_id": CHAT_USERS.get(who, who),
            "user_name": who,
            "command": "/liaison",
            "text": text,
            "api_app_id": "A0APP",
            "response_url": "https://hooks.slack.com/commands/T0TEAM/1/abc",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
        response = await self.post(
            "/slack/commands", urlencode(form).encode(), "application/x-www-form-urlencoded"
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post("/slack/interactions", body, "application/x-www-form-urlencoded")

    async def click(self, action_id: str, draft_id: int, who: str = "ic") -> httpx.Response:
        posted = self.slack.of("chat.postMessage")
        ts = posted[-1].body.get("ts", "1700000000.000001") if posted else "1700000000.000001"
        return await self.interact(
            {
                "type": "block_actions",
                "team": {"id": "T0TEAM", "domain": "example"},
                "user": {"id": CHAT_USERS.get(who, who), "username": who, "team_id": "T0TEAM"},
                "api_app_id": "A0APP",
                "trigger_id": "12466734323.1395872398.trigger",
                "container": {"type": "message", "message_ts": ts, "channel_id": CHANNEL},
                "channel": {"id": CHANNEL, "name": "inc-sms"},
                "message": {"ts": ts, "text": "draft"},
                "response_url": "https://hooks.slack.com/actions/T0TEAM/1/xyz",
                "actions": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "block_id": f"draft_{draft_id}",
                        "value": str(draft_id),
                        "action_ts": "1700000001.000100",
                    }
                ],
            }
        )

    async def submit_edit(self, draft_id: int, text: str, who: str = "liaison") -> httpx.Response:
        return await self.interact(
            {
                "type": "view_submission",
                "team": {"id": "T0TEAM"},
                "user": {"id": CHAT_USERS.get(who, who), "username": who},
                "view": {
                    "id": "V0VIEW",
                    "type": "modal",
                    "callback_id": "liaison.draft.edit",
                    "private_metadata": json.dumps({"draft_id": draft_id, "channel": CHANNEL}),
                    "state": {
                        "values": {
                            "draft_text": {"text": {"type": "plain_text_input", "value": text}}
                        }
                    },
                },
            }
        )

    async def event(self, event: dict[str, Any], event_id: str) -> httpx.Response:
        envelope = {
            "token": "deprecated",
            "team_id": "T0TEAM",
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
        return await self.post("/slack/events", json.dumps(envelope).encode(), "application/json")

    async def say(
        self, text: str, *, who: str = "liaison", ts: str, event_id: str, **extra: Any
    ) -> httpx.Response:
        event = {
            "type": "message",
            "channel": CHANNEL,
            "user": CHAT_USERS.get(who, who),
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
            "client_msg_id": f"msg-{event_id}",
            **extra,
        }
        return await self.event(event, event_id)


@pytest.fixture
async def chat(api: Api, slack_api: FakeSlack) -> Chat:
    """The API with every test principal linked to its chat user id (through the admin API)."""
    for name, chat_user in CHAT_USERS.items():
        response = await api.client.put(
            f"/v1/principals/{name}/chat-user",
            json={"chat_user_id": chat_user},
            headers=api.auth("admin"),
        )
        assert response.status_code == 200, response.text
    return Chat(api=api, slack=slack_api)


@pytest.fixture
def worker(session_factory: Any, settings: Settings) -> Iterator[Worker]:
    worker = Worker(session_factory, settings)
    yield worker
    worker.close()
