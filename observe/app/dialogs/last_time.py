"""The actions agreed last time, followed up: the observer marks what they saw of each."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from observe.core.actions import FollowUp, evidence
from observe.core.choices import FollowUpMark
from observe.core.shorten import shorten
from observe.services.session_owner import SessionOwner

HINT = "s seen · p partly · n not yet · c no chance today · ⌫ unmark · Esc close"


def describe(up: FollowUp, notes: int, width: int | None = None) -> Text:
    """Label, what was agreed (whole, wrapped by the list, unless ``width`` cuts it), by when,
    the mark and how many notes are tied."""
    mark = up.mark.label if up.mark else "not marked"
    by = f" · by {up.by.isoformat()}" if up.by else ""
    tied = f" · {notes} note{'s' if notes != 1 else ''}" if notes else ""
    line = Text(f"{up.label} ", style="bold")
    text = " ".join(up.text.split())
    line.append(shorten(text, width) if width else text)  # user text: never markup
    line.append(f"{by} · {mark}{tied}", style="dim")
    return line


class LastTime(ModalScreen[None]):
    """What was agreed last time; a key marks the highlighted action (nothing is guessed)."""

    BINDINGS = [
        Binding("s", "mark('seen')", "Seen", id="last.seen", tooltip="You saw it done"),
        Binding("p", "mark('partly')", "Partly", id="last.partly", tooltip="Partly seen"),
        Binding("n", "mark('not_yet')", "Not yet", id="last.not_yet", tooltip="Not seen yet"),
        Binding(
            "c",
            "mark('no_chance')",
            "No chance",
            id="last.no_chance",
            tooltip="The session gave no chance to see it today",
        ),
        Binding("backspace", "mark('')", "Unmark", id="last.clear", tooltip="Take the mark off"),
        Binding("escape", "close", "Close", id="last.close", tooltip="Back to the notes"),
    ]

    def __init__(self, owner: SessionOwner) -> None:
        super().__init__()
        self.state = owner

    def compose(self) -> ComposeResult:
        with Vertical(id="last-box"):
            yield Static("From last time: what was agreed", id="last-title")
            yield OptionList(*self._options(), id="last-list")
            yield Static(HINT + " · in a note, !A1 ties it to A1", id="last-hint")

    def _options(self) -> list[Option]:
        notes = self.state.live_notes()
        return [
            Option(describe(up, len(evidence(up, notes))), id=up.id) for up in self.state.followups
        ]

    def action_mark(self, value: str) -> None:
        options = self.query_one("#last-list", OptionList)
        index = options.highlighted
        ups = self.state.followups
        if index is None or not 0 <= index < len(ups):
            return
        self.state.mark_followup(ups[index].id, FollowUpMark(value) if value else None)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = min(index + 1, len(ups) - 1) if value else index

    def action_close(self) -> None:
        self.dismiss(None)
