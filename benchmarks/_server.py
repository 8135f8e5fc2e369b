"""Start a real `liaison serve` process on a free port for benchmarks."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.readiness import wait_until_ready


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(workdir: Path, database_url: str | None = None) -> Iterator[tuple[str, str]]:
    """Yield (base URL, admin token) of a migrated, running server; stop it afterwards."""
    env = dict(os.environ)
    env["LIAISON_DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.db'}"
    env["LIAISON_PORT"] = str(free_port())
    env["LIAISON_LOG_LEVEL"] = "warning"
    cli = [sys.executable, "-m", "app.cli"]
    token = subprocess.run(
        [*cli, "token", "create", "--name", "bench-admin", "--role", "admin"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    process = subprocess.Popen([*cli, "serve"], env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{env['LIAISON_PORT']}"
    try:
        wait_until_ready(f"{base}/readyz", process)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=20)
