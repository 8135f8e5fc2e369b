"""Service settings: the one place configuration is read (environment prefix LIAISON_)."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Severity = Literal["SEV1", "SEV2", "SEV3", "SEV4"]


class Settings(BaseSettings):
    """Everything an operator can configure; defaults are the embedded, offline set-up."""

    model_config = SettingsConfigDict(env_prefix="LIAISON_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = "sqlite:///./var/liaison.db"
    data_dir: Path = Path("./var")
    # Guard against accidental or hostile giant bodies before JSON parsing.
    max_body_bytes: Annotated[int, Field(gt=0)] = 5_000_000
    max_message_chars: Annotated[int, Field(gt=0)] = 20_000
    max_transcript_batch: Annotated[int, Field(gt=0)] = 1_000
    page_size_max: Annotated[int, Field(gt=0)] = 500
    # Minutes until the next customer update is due, per severity.
    update_interval_minutes: dict[str, int] = {"SEV1": 30, "SEV2": 30, "SEV3": 60, "SEV4": 120}
    # A group of customer reports becomes an impact signal at this many reports (noise below).
    signal_min_reports: Annotated[int, Field(ge=1)] = 2
    log_level: str = "info"
    # Drafting: any litellm model name; the built-in offline engine is the default.
    model: str = "local/template"
    llm_api_base: str | None = None
    llm_api_key: SecretStr | None = None
    llm_max_tokens: Annotated[int, Field(ge=16, le=32_000)] = 800
    llm_timeout_seconds: Annotated[float, Field(gt=0)] = 30.0
    max_reasks: Annotated[int, Field(ge=0, le=5)] = 2
    # Most recent transcript messages a draft reads (older ones rarely change what customers hear).
    transcript_window: Annotated[int, Field(ge=10, le=20_000)] = 500
    prompts_dir: Path | None = None
    # Seconds a resolved token is remembered per process; revocation takes effect within it.
    token_cache_seconds: Annotated[float, Field(ge=0)] = 5.0

    # Publishing (app/publishing): sinks by name, the outbox worker and its retry policy.
    publish_sinks: list[str] = ["file"]
    # The embedded default delivers inside `liaison serve`; turn off when running `liaison worker`.
    run_worker_in_process: bool = True
    worker_poll_seconds: Annotated[float, Field(gt=0)] = 0.5
    worker_batch_size: Annotated[int, Field(gt=0)] = 100
    # A claimed job is retried by any worker once its lease runs out (e.g. its worker died).
    publish_lease_seconds: Annotated[float, Field(gt=0)] = 60.0
    publish_backoff_seconds: Annotated[float, Field(gt=0)] = 2.0
    publish_backoff_max_seconds: Annotated[float, Field(gt=0)] = 600.0
    publish_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    statuspage_base_url: str = "https://api.statuspage.io"
    statuspage_page_id: str | None = None
    statuspage_api_key: SecretStr | None = None

    # Chat (app/chat, Slack-compatible): without a signing secret the /slack endpoints answer 503.
    slack_signing_secret: SecretStr | None = None
    slack_bot_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    # A signal is posted to the incident channel once it holds at least this many reports.
    slack_signal_threshold: Annotated[int, Field(ge=1)] = 5


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
