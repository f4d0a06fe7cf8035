"""Background workers report their failures to the app's one handler.

Every ``@work`` in the app sets ``exit_on_error=False`` (Textual's default would end the app
with status 1 and no word) and lives on the app or on a class that mixes this in (every
screen does, through observe.app.screens.base): a worker's state messages go to the object
that started it and do not bubble, so a screen passes them on.
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker


class ReportsWorkerFailures:
    """Mixed into every screen: hands its workers' state changes to the app."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.on_worker_state_changed(event)


def failure_text(worker: Worker[Any]) -> str:
    """One line naming the task and what went wrong."""
    error = worker.error
    detail = " ".join(str(error).split()) if error is not None else ""
    if not detail:
        detail = type(error).__name__ if error is not None else "unknown error"
    task = worker.name or "a background task"
    return f"{task[:1].upper()}{task[1:]} failed: {detail[:300]}"
