"""Running the outbox worker inside the API process (the embedded default)."""

import threading

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.publishing.worker import Worker


class InProcessWorker:
    """One worker thread, started and stopped with the app's lifespan."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        read_session_factory: sessionmaker[Session],
        settings: Settings,
    ) -> None:
        self.worker = Worker(session_factory, settings, read_session_factory=read_session_factory)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self.worker.run_forever,
            args=(self._stop,),
            name="liaison-publisher",
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self.worker.wakeup.set()
        self._thread.join(timeout)
        self.worker.close()


def wake_worker(app: FastAPI) -> None:
    """Tell the in-process worker, if any, that jobs were just committed."""
    runner: InProcessWorker | None = getattr(app.state, "publisher", None)
    if runner is not None:
        runner.worker.wakeup.set()
