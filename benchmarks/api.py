"""API throughput and latency against a real uvicorn process (SQLite by default).

Usage: python -m benchmarks.api [--seconds 5] [--concurrency 8] [--database-url URL]
Prints requests/s and p50/p99 of GET /v1/incidents/{id} and of transcript appends of 50 messages.
GET load comes from `wrk` when it is installed (apt-get install wrk): a Python client on the same
two cores would measure itself more than the server.
"""

import argparse
import asyncio
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks._server import running_server


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _load(
    client: httpx.AsyncClient, make_request: object, seconds: float, concurrency: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            response = await make_request()  # type: ignore[operator]
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started


def _wrk(url: str, token: str, seconds: float, concurrency: int) -> str:
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, int(seconds))}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    numbers = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["Requests/sec:"]:
            numbers["rps"] = parts[1]
        elif parts[:1] in (["50%"], ["99%"]):
            numbers[parts[0]] = parts[1]
    return (
        f"{'GET incident (wrk)':<32} {float(numbers['rps']):8.0f} req/s   "
        f"p50 {numbers['50%']:>8}   p99 {numbers['99%']:>8}"
    )


def _report(name: str, latencies: list[float], elapsed: float) -> None:
    print(
        f"{name:<32} {len(latencies) / elapsed:8.0f} req/s   "
        f"p50 {statistics.median(latencies):6.1f} ms   p99 {_percentile(latencies, 0.99):6.1f} ms"
        f"   ({len(latencies)} requests)"
    )


async def _run(base: str, token: str, seconds: float, concurrency: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        incident = (await client.post("/v1/incidents", json={"title": "bench"})).json()
        url = f"/v1/incidents/{incident['id']}"
        counter = 0

        def batch() -> dict[str, object]:
            nonlocal counter
            counter += 1
            return {
                "messages": [
                    {
                        "at": "2026-03-01T10:05:00Z",
                        "author": "alice",
                        "text": f"batch {counter} message {n}: notification-router p99 is 40s",
                        "external_id": f"b{counter}-{n}",
                    }
                    for n in range(50)
                ]
            }

        await _load(client, lambda: client.get(url), 1.0, concurrency)  # warm-up
        if shutil.which("wrk"):
            print(_wrk(base + url, token, seconds, concurrency))
        else:
            latencies, elapsed = await _load(client, lambda: client.get(url), seconds, concurrency)
            _report("GET incident (httpx client)", latencies, elapsed)
        latencies, elapsed = await _load(
            client, lambda: client.post(f"{url}/transcript", json=batch()), seconds, 1
        )
        _report("POST transcript (50), serial", latencies, elapsed)
        latencies, elapsed = await _load(
            client, lambda: client.post(f"{url}/transcript", json=batch()), seconds, concurrency
        )
        _report(f"POST transcript (50), x{concurrency}", latencies, elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        with running_server(Path(workdir), args.database_url) as (base, token):
            print(f"server {base}, concurrency {args.concurrency}, {args.seconds:.0f} s per run")
            asyncio.run(_run(base, token, args.seconds, args.concurrency))


if __name__ == "__main__":
    main()
