"""The `file` sink: one JSON line per publication in {data_dir}/published.jsonl."""

import fcntl
import json
import os
from dataclasses import asdict
from typing import BinaryIO, ClassVar

from app.config import Settings
from app.publishing.sinks.base import Delivery


class FileSink:
    """Appends each delivery once; a key already in the file is skipped (crash-safe retries).

    Several workers (processes, or threads with one instance each) may share the file: an
    exclusive `flock` covers the check-and-append, and each instance reads only the bytes
    appended since it last looked.
    """

    name: ClassVar[str] = "file"
    channels: ClassVar[frozenset[str] | None] = None
    needs_remote_incident_id: ClassVar[bool] = False

    def __init__(self, settings: Settings) -> None:
        self.path = settings.data_dir / "published.jsonl"
        self._keys: set[str] = set()
        self._offset = 0
        self._unsynced = False

    def deliver(self, delivery: Delivery) -> str | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(delivery), ensure_ascii=False, separators=(",", ":")) + "\n"
        with open(self.path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                size = self._catch_up(handle)
                if delivery.idempotency_key in self._keys:
                    return None
                handle.seek(0, os.SEEK_END)
                # A torn last line (a crash mid-write) must not swallow this one.
                prefix = b"\n" if size > self._offset else b""
                handle.write(prefix + line.encode("utf-8"))
                handle.flush()
                self._unsynced = True
                self._offset = handle.tell()
                self._keys.add(delivery.idempotency_key)
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return None

    def _catch_up(self, handle: BinaryIO) -> int:
        """Learn the keys appended since the last look; returns the file size."""
        size = handle.seek(0, os.SEEK_END)
        if size < self._offset:  # the file was truncated or rotated: start over
            self._keys.clear()
            self._offset = 0
        if size == self._offset:
            return size
        handle.seek(self._offset)
        tail = handle.read()
        # A torn last line (a crash mid-write) is not a delivery: leave it unread.
        complete, separator, _ = tail.rpartition(b"\n")
        for raw in complete.splitlines():
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("idempotency_key"), str):
                self._keys.add(record["idempotency_key"])
        self._offset += len(complete) + len(separator)
        return size

    def sync(self) -> None:
        """fsync once per batch: the lines are durable before the worker records them."""
        if self._unsynced:
            with open(self.path, "rb") as handle:
                os.fsync(handle.fileno())
            self._unsynced = False

    def close(self) -> None:
        return None
