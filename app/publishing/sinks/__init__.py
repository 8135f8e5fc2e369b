"""Publishing sinks, registered by name (Settings.publish_sinks picks them)."""

from app.config import Settings
from app.publishing.sinks.base import Delivery, Sink, SinkError
from app.publishing.sinks.chat import ChatSink
from app.publishing.sinks.file import FileSink
from app.publishing.sinks.statuspage import StatuspageSink
from app.publishing.sinks.webhook import WebhookSink

SINKS: dict[str, type[Sink]] = {
    FileSink.name: FileSink,
    WebhookSink.name: WebhookSink,
    StatuspageSink.name: StatuspageSink,
    ChatSink.name: ChatSink,
}


def check_sink_names(names: list[str]) -> None:
    """Raise ValueError naming the valid sinks when a configured name is unknown."""
    unknown = [name for name in names if name not in SINKS]
    if unknown:
        raise ValueError(
            f"unknown publish sink(s) {', '.join(unknown)}; valid: {', '.join(sorted(SINKS))}"
        )


def sinks_for_channel(names: list[str], channel: str) -> list[str]:
    """The configured sinks that publish drafts of `channel`, in configured order."""
    check_sink_names(names)
    chosen = []
    for name in dict.fromkeys(names):
        channels = SINKS[name].channels
        if channels is None or channel in channels:
            chosen.append(name)
    return chosen


def build_sinks(settings: Settings) -> dict[str, Sink]:
    """One instance of every configured sink."""
    check_sink_names(settings.publish_sinks)
    return {name: SINKS[name](settings) for name in dict.fromkeys(settings.publish_sinks)}


__all__ = [
    "SINKS",
    "Delivery",
    "Sink",
    "SinkError",
    "build_sinks",
    "check_sink_names",
    "sinks_for_channel",
]
