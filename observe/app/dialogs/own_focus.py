"""The facilitators' own focus, as they wrote it before the session: read in a small dialog.

Opened from the live screen (ctrl+o), where the note input keeps the focus: what each
facilitator asked to be looked at and what they hope to show, in their words.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from observe.app.plain import one_line, plain_lines
from observe.core.focus import SelfAssessment
from observe.core.models import Framework, Meta


def hope_line(meta: Meta, facilitator: str, criterion: str) -> Text:
    """What ``facilitator`` hoped to show on ``criterion``, or nothing: for wrap-up."""
    mine = next((a for a in meta.self_assessments if a.facilitator == facilitator), None)
    hope = next((h for h in mine.hopes if h.criterion == criterion), None) if mine else None
    if hope is None:
        return Text("")
    line = Text("They asked for this to be looked at", style="bold")
    if hope.text:
        line.append(": ")
        line.append_text(plain_lines(hope.text, style="italic"))
    line.append("\n")
    return line


def own_focus_text(assessments: list[SelfAssessment], framework: Framework) -> Text:
    out = Text()
    for a in assessments:
        when = f" (written {a.written.isoformat()})" if a.written else ""
        out.append(one_line(f"{a.name or a.facilitator}{when}") + "\n", style="bold underline")
        for hope in a.hopes:
            criterion = framework.criterion(hope.criterion)
            title = criterion.title if criterion else ""
            out.append(one_line(f"{hope.criterion}  {title}") + "\n", style="bold")
            out.append_text(plain_lines(hope.text or "(nothing written)"))
            out.append("\n")
        if a.overall:
            out.append("Overall: ", style="bold")
            out.append_text(plain_lines(a.overall))
            out.append("\n")
        out.append("\n")
    return out


class OwnFocus(ModalScreen[None]):
    """Read only; Escape (or ctrl+o again) goes back to the notes."""

    BINDINGS = [
        Binding("escape,ctrl+o", "close", "Close", id="own.close", tooltip="Back to the notes"),
    ]

    def __init__(self, assessments: list[SelfAssessment], framework: Framework) -> None:
        super().__init__()
        self.assessments = assessments
        self.framework = framework

    def compose(self) -> ComposeResult:
        with Vertical(id="own-box"):
            yield Static("Their own focus, written before the session", id="own-title")
            with VerticalScroll(id="own-scroll"):
                yield Static(own_focus_text(self.assessments, self.framework), id="own-text")
            yield Static("Esc close", id="own-hint")

    def action_close(self) -> None:
        self.dismiss(None)
