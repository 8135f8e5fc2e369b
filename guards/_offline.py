"""Offline defaults set before guardrails, transformers or litellm are imported."""

import os

# Guards must never phone home: guardrails ships telemetry and hub look-ups on by default, and the
# embedding libraries try the network for model metadata unless told they are offline.
for _name, _value in (
    ("OTEL_SDK_DISABLED", "true"),
    ("HF_HUB_OFFLINE", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
    ("LITELLM_LOCAL_MODEL_COST_MAP", "True"),
):
    os.environ.setdefault(_name, _value)
