"""Custom litellm providers: the built-in `local/...` engine and a queue of canned replies.

Both speak litellm's CustomLLM interface, so the drafting pipeline calls them exactly like a
hosted model: same messages, same errors, same usage accounting.
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from litellm import CustomLLM, ModelResponse, Usage

from app.llm.payload import read_payload


def _response(text: str, model: str, prompt: str) -> ModelResponse:
    response = ModelResponse()
    response.choices[0].message.content = text
    response.model = model
    # litellm requires usage on custom provider responses; count words as a stand-in for tokens.
    prompt_tokens = len(prompt.split())
    completion_tokens = len(text.split())
    response.usage = Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens,
    )
    return response


class BuiltinEngine(CustomLLM):  # type: ignore[misc]
    """The `local/template` engine: renders the prompt's payload with a renderer, no network.

    The payload (fact sheet, channel, locale, feedback from a failed attempt) travels inside the
    last user message, so the call path is the same as for any hosted model.
    """

    def __init__(self, render: Callable[[str, dict[str, Any]], str]) -> None:
        super().__init__()
        self._render = render

    def completion(
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> ModelResponse:
        prompt = str(messages[-1].get("content", "")) if messages else ""
        payload = read_payload(prompt)
        if payload is None:
            raise ValueError("the built-in engine needs a <liaison-payload> block in the prompt")
        text = self._render(model, payload)
        return _response(text, f"local/{model}", prompt)


class QueuedReplies(CustomLLM):  # type: ignore[misc]
    """A model answering from a queue of canned replies (tests, demos).

    A reply is a string, an Exception instance (raised), or a float (seconds to sleep before
    answering the next string, to exercise timeouts).
    """

    def __init__(self) -> None:
        super().__init__()
        self._replies: deque[str | Exception | float] = deque()
        self._lock = threading.Lock()
        self.prompts: list[list[dict[str, Any]]] = []

    def enqueue(self, replies: Iterable[str | Exception | float]) -> None:
        """Add replies to the end of the queue."""
        with self._lock:
            self._replies.extend(replies)

    def completion(
        self, model: str, messages: list[dict[str, Any]], *args: Any, **kwargs: Any
    ) -> ModelResponse:
        with self._lock:
            self.prompts.append(messages)
            if not self._replies:
                raise RuntimeError("no queued reply left")
            reply = self._replies.popleft()
        if isinstance(reply, float):
            time.sleep(reply)
            with self._lock:
                reply = self._replies.popleft()
        if isinstance(reply, Exception):
            raise reply
        assert isinstance(reply, str)
        return _response(reply, f"queue/{model}", str(messages[-1].get("content", "")))
