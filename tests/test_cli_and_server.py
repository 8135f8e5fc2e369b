"""The `liaison` command and a real uvicorn process, as `make run` starts it."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.readiness import wait_until_ready

LIAISON = [sys.executable, "-m", "app.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["LIAISON_DATABASE_URL"] = f"sqlite:///{tmp_path / 'liaison.db'}"
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_token_create_prints_only_the_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [*LIAISON, "token", "create", "--name", "oncall-ic", "--role", "ic"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("lsn_")
    assert len(lines[0]) > 40


def test_first_command_on_a_fresh_checkout_creates_the_database_folder(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env.pop("LIAISON_DATABASE_URL")  # the default: sqlite:///./var/liaison.db
    result = subprocess.run(
        [*LIAISON, "token", "create", "--name", "first", "--role", "admin"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "liaison.db").is_file()


def test_token_create_rejects_unknown_role_with_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [*LIAISON, "token", "create", "--name", "x", "--role", "boss"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "invalid choice" in result.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    env = _env(tmp_path, LIAISON_PORT=str(port), LIAISON_LOG_LEVEL="warning")
    process = subprocess.Popen(
        [*LIAISON, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", process)
        yield base, tmp_path
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
        (tmp_path / "server.stderr").write_text(stderr)


def test_serve_answers_over_real_http_with_a_cli_token(server: tuple[str, Path]) -> None:
    base, tmp_path = server
    token = subprocess.run(
        [*LIAISON, "token", "create", "--name", "oncall-ic", "--role", "ic"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{base}/v1/incidents", json={"title": "Delayed SMS", "ic": "oncall-ic"}, headers=headers
    )
    assert created.status_code == 201
    got = httpx.get(f"{base}/v1/incidents/{created.json()['id']}", headers=headers)
    assert got.json()["title"] == "Delayed SMS"
    assert httpx.get(f"{base}/v1/incidents").status_code == 401


def test_serve_prints_first_start_hint(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [*LIAISON, "serve"],
        env=_env(tmp_path, LIAISON_PORT=str(port), LIAISON_LOG_LEVEL="warning"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = [process.stderr.readline() for _ in range(9)]
    finally:
        process.terminate()
        process.communicate(timeout=20)
    hint = "".join(lines)
    assert "liaison token create --name oncall-ic --role ic" in hint
    assert f"http://127.0.0.1:{port}/v1/incidents" in hint
