"""Elapsed observation time and the current phase, ticking once a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from observe.app.plain import plain
from observe.core.models import Clock


def hms(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


class SessionTimer(Static):
    """Renders from a Clock model and a clock function, so a fixed clock gives a fixed frame."""

    def __init__(
        self, clock: Clock, now: Callable[[], datetime], phase: str = "", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.now = now
        self.phase = phase

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def set_state(self, clock: Clock, phase: str) -> None:
        self.clock = clock
        self.phase = phase
        self.set_class(clock.paused_since is not None, "-paused")
        self.refresh(layout=True)  # "paused" and a phase name change the width

    def render(self) -> Text:
        elapsed = hms(self.clock.elapsed(self.now()))
        state = "PAUSED " if self.clock.paused_since is not None else ""
        phase = f" · {self.phase}" if self.phase else ""
        return plain(f"{state}{elapsed}{phase}")  # the phase's name is user text
