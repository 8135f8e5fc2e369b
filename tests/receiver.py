"""A real HTTP server on 127.0.0.1 that records requests (webhook receivers, fake SaaS APIs)."""

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Requests seen, and the answers to give (a queue of status codes; 200 when empty)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# How to answer a request: (the request, its number from 1) -> (status, JSON body).
Answer = Callable[[Received, int], tuple[int, Any]]


@contextmanager
def receiver(answer: Answer | None = None) -> Iterator[Receiver]:
    """Serve until the block ends. Without `answer`: the queued status (200 when none) and
    {"id": "remote-N"}."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            request = Received(
                self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
            )
            with state.lock:
                state.requests.append(request)
                status = state.statuses.pop(0) if state.statuses else 200
                number = len(state.requests)
            if answer is None:
                payload: Any = {"id": f"remote-{number}"}
            else:
                status, payload = answer(request, number)
            raw = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_POST = _handle
        do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def signature_is_valid(request: Received, secret: str) -> bool:
    """Check X-Liaison-Signature the way a receiver should (constant-time compare)."""
    timestamp = request.headers["x-liaison-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(request.headers["x-liaison-signature"], f"sha256={expected}")
