"""Offline-first defaults, applied before litellm, Hugging Face or guardrails load.

Users run Liaison on machines without network access. Each library below phones home or
downloads something at import or first use unless told otherwise, which shows up as hangs
of a minute or more. The user's own environment always wins (setdefault).
"""

import os

OFFLINE_DEFAULTS = {
    # litellm fetches a model price list on import.
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    # Hugging Face hub look-ups hang without network; the model ships in a package.
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    # guardrails-ai exports OpenTelemetry traces and slows every process exit by seconds.
    "OTEL_SDK_DISABLED": "true",
    "TOKENIZERS_PARALLELISM": "false",
}


def apply_offline_defaults() -> None:
    """Set the offline environment defaults without overriding the user's choices."""
    for name, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(name, value)


def disable_guardrails_phone_home() -> None:
    """Turn guardrails' metrics and remote inference off in-process, without a ~/.guardrailsrc."""
    from guardrails.classes.rc import RC
    from guardrails.settings import settings

    settings.rc = RC(enable_metrics=False, use_remote_inferencing=False)
