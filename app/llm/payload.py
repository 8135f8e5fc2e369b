"""The payload block that carries a fact sheet to the built-in engine inside a prompt."""

import json
import re
from typing import Any

PAYLOAD_PATTERN = re.compile(r"<liaison-payload>\s*(\{.*\})\s*</liaison-payload>", re.DOTALL)


def payload_block(payload: dict[str, Any]) -> str:
    """Embed a JSON payload in a prompt so the built-in engine can read it back."""
    return "<liaison-payload>\n" + json.dumps(payload, ensure_ascii=False) + "\n</liaison-payload>"


def read_payload(prompt: str) -> dict[str, Any] | None:
    """The payload of a prompt, or None when it carries none."""
    match = PAYLOAD_PATTERN.search(prompt)
    if match is None:
        return None
    value = json.loads(match.group(1))
    return value if isinstance(value, dict) else None
