"""The notes timeline: time, kind, text and tags; newest at the bottom, kept in view."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from observe.app.plain import one_line
from observe.core.models import Note, NoteKind, Phase
from observe.core.notetext import TAG_PATTERN

KIND_MARK: dict[NoteKind, tuple[str, str]] = {
    NoteKind.OBSERVATION: ("·", "dim"),
    NoteKind.STRENGTH: ("+", "bold green"),
    NoteKind.DEVELOPMENT: ("-", "bold yellow"),
    NoteKind.QUESTION: ("?", "bold cyan"),
    NoteKind.QUOTE: ('"', "bold magenta"),
}


def note_line(note: Note) -> Text:
    mark, style = KIND_MARK[note.kind]
    line = Text()
    line.append(note.at.strftime("%H:%M "), style="dim")
    line.append(mark + " ", style=style)
    start = len(line)
    text = one_line(note.text)  # as typed; control characters as escapes
    line.append(text)
    # The tags are in the text as typed: show them there, in colour, rather than twice.
    for match in TAG_PATTERN.finditer(text):
        line.stylize("bold cyan", start + match.start(), start + match.end())
    return line


def phase_line(phase: Phase) -> Text:
    return Text(f"── {one_line(phase.name)} · {phase.at.strftime('%H:%M')} ──", style="bold")


class Timeline(OptionList):
    """Read-only here: focus stays with the input and the criteria."""

    can_focus = False

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # The scrollbar takes columns from the notes: the lines drawn before it appeared
        # are laid out again for the narrower room, or their ends would be cut off.
        self.set_options(list(self.options))
        self.call_after_refresh(self.scroll_end, animate=False)

    def load(self, notes: list[Note], phases: list[Phase]) -> None:
        items: list[tuple[object, int, Option]] = []
        for phase in phases:
            items.append((phase.at, 0, Option(phase_line(phase), disabled=True)))
        for note in notes:
            if not note.deleted:
                items.append((note.at, 1, Option(note_line(note), id=note.id)))
        items.sort(key=lambda item: (item[0], item[1]))
        self.set_options(option for _, _, option in items)
        self.call_after_refresh(self.scroll_end, animate=False)

    def add_note(self, note: Note) -> None:
        self.add_option(Option(note_line(note), id=note.id))
        self.call_after_refresh(self.scroll_end, animate=False)

    def add_phase(self, phase: Phase) -> None:
        self.add_option(Option(phase_line(phase), disabled=True))
        self.call_after_refresh(self.scroll_end, animate=False)
