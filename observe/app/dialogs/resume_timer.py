"""Reopening a session whose timer is paused: resume it now, or keep it paused, knowingly.

While the timer is paused every note gets the same time, so a session left paused (F12
pauses it) and forgotten would give all its later notes one time in the feedback.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from observe.app.plain import styled


class ResumeTimer(ModalScreen[bool]):
    """True: resume the timer; False: keep it paused."""

    HELP_TITLE = "The timer is paused"
    HELP = (
        "The observation's timer stopped when you left it or took a break. Notes written"
        " while it is paused all get the same time. Resume it when the session is running."
    )
    BINDINGS = [
        Binding(
            "enter,r",
            "answer(True)",
            "Resume the timer",
            id="resume.yes",
            tooltip="The timer runs again from where it stopped",
        ),
        Binding(
            "escape,k",
            "answer(False)",
            "Keep it paused",
            id="resume.no",
            tooltip="Stay paused (a break still going on); F4 resumes later",
        ),
    ]

    def __init__(self, since: datetime, elapsed: str) -> None:
        super().__init__()
        self.since = since
        self.elapsed = elapsed

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-box"):
            yield Static(
                styled(
                    ("The timer is PAUSED", "bold"),
                    f" at {self.elapsed}, since {self.since.strftime('%H:%M')}.\n\n",
                    "While it is paused every note gets that same time.\n\n",
                    ("Enter", "bold"),
                    " resume it now   ",
                    ("Esc", "bold"),
                    " keep it paused (F4 resumes later)",
                )
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
