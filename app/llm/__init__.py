"""The only place that imports litellm: every model call, hosted or built-in, goes through here."""

from app.llm.client import Completion, LLMClient, LLMError, LLMMalformedResponse, LLMTimeout

__all__ = ["Completion", "LLMClient", "LLMError", "LLMMalformedResponse", "LLMTimeout"]
