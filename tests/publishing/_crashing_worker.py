"""A worker process whose file sink hangs right after writing; the test kills it with SIGKILL.

Usage: python -m tests.publishing._crashing_worker MARKER_PATH  (settings from LIAISON_* env)
"""

import sys
import time
from pathlib import Path

from app.config import Settings
from app.db import create_db_engine, create_session_factory
from app.publishing.sinks import Delivery
from app.publishing.sinks.file import FileSink
from app.publishing.worker import Worker


class HangAfterWrite(FileSink):
    def __init__(self, settings: Settings, marker: Path) -> None:
        super().__init__(settings)
        self.marker = marker

    def deliver(self, delivery: Delivery) -> str | None:
        super().deliver(delivery)
        # Written, not yet recorded: the worst moment to die.
        self.marker.write_text(delivery.idempotency_key)
        time.sleep(3600)
        return None


def main() -> None:
    settings = Settings()
    engine = create_db_engine(settings.database_url)
    sink = HangAfterWrite(settings, Path(sys.argv[1]))
    Worker(create_session_factory(engine), settings, sinks={"file": sink}).run_once()


if __name__ == "__main__":
    main()
