"""Waiting for a real server process to answer, shared by tests and benchmarks."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

import httpx


def wait_until_ready(
    url: str,
    process: subprocess.Popen[str] | subprocess.Popen[bytes],
    *,
    timeout: float = 240,
    log: Callable[[], str] = lambda: "",
) -> None:
    """Poll `url` until it answers 200; fail early if the process exits, late on `timeout`.

    The error names the URL and carries `log()` (the server's output, when the caller keeps it).
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited ({process.returncode}) before {url} answered\n{log()}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s\n{log()}")
        time.sleep(0.2)
