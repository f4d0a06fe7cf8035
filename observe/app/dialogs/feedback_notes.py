"""Before finishing: which notes go into each facilitator's feedback, and why; the observer
can leave a note out of one person's feedback, move it to another, or let the tags decide.

The choice is stored on the note (``feedback_for``), so the PDF and the review follow it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from observe.app.plain import plain
from observe.app.widgets.timeline import note_line
from observe.core.models import Note
from observe.core.record import Why, why_about
from observe.services.session_owner import SessionOwner

REASON = {
    Why.TAGGED: "tagged",
    Why.NAMED: "named",
    Why.SHARED: "shared",
    Why.CHOSEN: "chosen",
}


class FeedbackNotes(ModalScreen[None]):
    """Every note, marked in or out of the shown facilitator's feedback, with the reason."""

    HELP_TITLE = "Whose feedback each note goes into"
    HELP = (
        "A note tagged @name goes to that facilitator; an untagged note that names some of"
        " them goes to those named; any other note is shared by all. x leaves the highlighted"
        " note out of this person's feedback (or puts it back), m moves it to the next"
        " facilitator only, a lets its tags and names decide again."
    )
    BINDINGS = [
        Binding("x", "toggle", "Leave out / put back", id="notes.toggle"),
        Binding("m", "move", "Move to next", id="notes.move"),
        Binding("a", "automatic", "As tagged", id="notes.auto"),
        Binding("f,f2", "next_person", "Next person", id="notes.next"),
        Binding("escape,f12", "close", "Back", id="notes.close"),
    ]

    def __init__(self, owner: SessionOwner) -> None:
        super().__init__()
        self.state = owner
        self.people = list(owner.session.meta.facilitators)

    @property
    def person(self) -> str:
        return self.people[self.state.selected].id

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-notes-box"):
            yield Static(id="feedback-notes-title")
            yield OptionList(id="feedback-notes")
            yield Static(
                plain(
                    "x leave out / put back · m move to the next person · a as tagged ·"
                    " f next person · Esc back"
                ),
                id="feedback-notes-keys",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _line(self, note: Note) -> Text:
        why = why_about(note, self.person, self.people)
        line = Text()
        if why is None:
            line.append("✗ left out ", style="dim")
        else:
            line.append(f"✓ {REASON[why]:<8} ", style="bold green")
        line.append_text(note_line(note))
        return line

    def _fill(self) -> None:
        notes = self.state.live_notes()
        name = self.people[self.state.selected].name
        inside = sum(why_about(n, self.person, self.people) is not None for n in notes)
        title = f"In {name}'s feedback: {inside} of {len(notes)} notes"
        self.query_one("#feedback-notes-title", Static).update(plain(title, "bold"))
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.set_options(Option(self._line(n), id=n.id) for n in notes)
        if notes:
            option_list.highlighted = min(highlighted or 0, len(notes) - 1)

    def _current(self) -> Note | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None:
            return None
        return next((n for n in self.state.live_notes() if n.id == option.id), None)

    def _about(self, note: Note) -> list[str]:
        return [p.id for p in self.people if why_about(note, p.id, self.people) is not None]

    def _choose(self, note: Note, people: list[str] | None, said: str) -> None:
        self.state.set_feedback_for(note, people)
        self._fill()
        self.notify(said, timeout=3, markup=False)

    def action_toggle(self) -> None:
        note = self._current()
        if note is None:
            return
        about = self._about(note)
        name = self.people[self.state.selected].name
        if self.person in about:
            self._choose(note, [p for p in about if p != self.person], f"Left out of {name}'s")
        else:
            self._choose(note, [*about, self.person], f"Put into {name}'s feedback")

    def action_move(self) -> None:
        note = self._current()
        if note is None or len(self.people) < 2:
            return
        other = self.people[(self.state.selected + 1) % len(self.people)]
        self._choose(note, [other.id], f"Moved to {other.name}'s feedback only")

    def action_automatic(self) -> None:
        note = self._current()
        if note is not None:
            self._choose(note, None, "As its tags and names say")

    def action_next_person(self) -> None:
        self.state.selected = (self.state.selected + 1) % len(self.people)
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
