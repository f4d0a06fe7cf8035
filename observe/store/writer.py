"""The single writer: session changes go to disk on a background thread, in order.

The UI hands over a change and carries on; ``flush`` waits for everything handed over so far
(quit, signals and crashes call it). A failed write is kept and reported, never swallowed.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_STOP = object()


class Writer:
    def __init__(
        self, name: str = "observe-writer", on_error: Callable[[BaseException], None] | None = None
    ) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._on_error = on_error
        self.errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._queue.put((fn, args, kwargs))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                if isinstance(item, threading.Event):
                    item.set()
                    continue
                fn, args, kwargs = item
                try:
                    fn(*args, **kwargs)
                except BaseException as exc:  # reported, and the writer goes on
                    log.exception("write failed")
                    self.errors.append(exc)
                    if self._on_error is not None:
                        self._on_error(exc)
            finally:
                self._queue.task_done()

    def flush(self, timeout: float | None = 10.0) -> bool:
        """Wait until every change handed over before this call is on disk."""
        if not self._thread.is_alive():
            return self._queue.empty()
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self, timeout: float | None = 10.0) -> bool:
        flushed = self.flush(timeout)
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)
        return flushed

    @property
    def pending(self) -> int:
        return self._queue.qsize()
