"""A small seam over litellm: one call, typed results, our own errors."""

import concurrent.futures
import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.offline import apply_offline_defaults


class LLMError(Exception):
    """A model call failed: provider error, refused request or network trouble."""


class LLMTimeout(LLMError):
    """The model did not answer within the configured timeout."""


class LLMMalformedResponse(LLMError):
    """The model answered, but not with usable text."""


@dataclass(frozen=True)
class Completion:
    """One model answer."""

    text: str
    model: str
    latency_ms: float
    usage: dict[str, int] = field(default_factory=dict)


_REGISTRATION_LOCK = threading.Lock()


class LLMClient:
    """Calls any litellm model; custom providers (built-in engine, test queues) register here."""

    def __init__(
        self,
        *,
        default_timeout: float = 30.0,
        api_base: str | None = None,
        api_key: str | None = None,
        max_tokens: int | None = None,
        max_concurrent_calls: int = 16,
    ) -> None:
        apply_offline_defaults()
        with warnings.catch_warnings():
            # litellm's own typed dicts trip a pydantic warning on import; nothing to act on.
            warnings.filterwarnings(
                "ignore", message=r".*ReadOnly.*qualifier", category=UserWarning
            )
            import litellm

        self._litellm = litellm
        self._default_timeout = default_timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=max_concurrent_calls, thread_name_prefix="llm"
        )
        self._api_base = api_base
        self._api_key = api_key
        self._max_tokens = max_tokens
        # litellm logs request bodies at debug level; transcripts must not end up in logs.
        litellm.suppress_debug_info = True
        litellm.telemetry = False

    def register_provider(self, name: str, handler: Any) -> None:
        """Route models named `name/...` to `handler` (a litellm CustomLLM)."""
        with _REGISTRATION_LOCK:
            providers = [
                item for item in self._litellm.custom_provider_map if item["provider"] != name
            ]
            providers.append({"provider": name, "custom_handler": handler})
            self._litellm.custom_provider_map = providers
            from litellm.utils import custom_llm_setup

            custom_llm_setup()

    def complete(
        self,
        *,
        model: str,
        messages: Sequence[dict[str, str]],
        timeout: float | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Completion:
        """One chat completion; raises LLMTimeout, LLMMalformedResponse or LLMError."""
        litellm = self._litellm
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": list(messages),
            "timeout": timeout or self._default_timeout,
            "num_retries": 0,
        }
        hosted = not model.startswith(_builtin_prefixes(litellm))
        if (max_tokens or self._max_tokens) and hosted:
            kwargs["max_tokens"] = max_tokens or self._max_tokens
        if temperature is not None:
            kwargs["temperature"] = temperature
        if self._api_base and hosted:
            kwargs["api_base"] = self._api_base
        if self._api_key and hosted:
            kwargs["api_key"] = self._api_key
        started = time.perf_counter()
        # litellm enforces timeouts on HTTP providers only; a deadline on our side covers
        # custom providers and stuck connections alike. A timed-out call finishes in the
        # background and its answer is dropped.
        future = self._executor.submit(litellm.completion, **kwargs)
        try:
            response = future.result(timeout=kwargs["timeout"])
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise LLMTimeout(f"{model} did not answer within {kwargs['timeout']} s") from exc
        except litellm.Timeout as exc:
            raise LLMTimeout(f"{model} did not answer within {kwargs['timeout']} s") from exc
        except Exception as exc:  # litellm raises many provider-specific types
            if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
                raise LLMTimeout(f"{model} did not answer within {kwargs['timeout']} s") from exc
            raise LLMError(f"{model} failed: {type(exc).__name__}: {_short(exc)}") from exc
        latency_ms = (time.perf_counter() - started) * 1000
        try:
            text = response.choices[0].message.content
        except (AttributeError, IndexError, KeyError, TypeError) as exc:
            raise LLMMalformedResponse(f"{model} returned no message") from exc
        if not isinstance(text, str) or not text.strip():
            raise LLMMalformedResponse(f"{model} returned an empty message")
        usage = getattr(response, "usage", None)
        usage_numbers = {
            name: int(getattr(usage, name, 0) or 0)
            for name in ("prompt_tokens", "completion_tokens", "total_tokens")
        }
        return Completion(text=text, model=model, latency_ms=latency_ms, usage=usage_numbers)

    def close(self) -> None:
        """Stop accepting calls; running ones finish in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def _builtin_prefixes(litellm: Any) -> tuple[str, ...]:
    return tuple(f"{item['provider']}/" for item in litellm.custom_provider_map)


def _short(exc: Exception, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "…"
