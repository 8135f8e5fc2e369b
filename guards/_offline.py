"""Offline defaults, applied before guardrails, transformers or litellm are imported."""

from app.offline import apply_offline_defaults, disable_guardrails_phone_home

apply_offline_defaults()
disable_guardrails_phone_home()
