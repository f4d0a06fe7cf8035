"""Home's line of actions past their date, and ``d`` for the actions still open.

A facilitator in a team sees their own ("2 of your actions are past their date: ..."), a lead
the team's and, without a team, everyone sees the workspace's, as a count of actions and of
people (no names on home: that would read as a league table; ``d`` lists them). The line is
mounted only when there is something past its date, so home looks as ever otherwise. Read
in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.binding import Binding
from textual.widgets import Static

from observe.app.plain import one_line, styled
from observe.app.screens.base import ObserveScreen
from observe.app.screens.rota_days import short_date, today_of
from observe.core.shorten import shorten

if TYPE_CHECKING:
    from textual.content import Content

    from observe.services.actions_due import Due

FIRST_SHOWN = 40  # characters of the first action's text on the line

# In HomeScreen.BINDINGS, after home's own keys (F1 lists them in that order).
ACTIONS_KEYS = [
    Binding(
        "d",
        "actions_due",
        "Actions due",
        id="home.actions_due",
        show=False,  # named on its line: the footer keeps to 80 columns
        tooltip="The agreed actions still open, those past their date first; Enter opens the"
        " review where the facilitator closes or carries one",
    ),
]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def due_line(due: Due) -> Content | None:
    """The line home shows, or None when nothing is past its date."""
    from observe.services.actions_due import MINE, TEAM

    past = due.past
    if not past:
        return None
    head = ("Actions (d): ", "bold")
    if due.whose.view == MINE:
        first = past[0]
        when = f" (by {short_date(first.by)})" if first.by else ""
        verb = "is past its date" if len(past) == 1 else "are past their date"
        count = f"{len(past)} of your actions {verb}: "
        text = shorten(" ".join(one_line(first.text).split()), FIRST_SHOWN)
        more = " …" if len(past) > 1 else ""
        return styled(head, count, (text, "italic"), when, more)
    # A count, not names with numbers: a line of people and their late actions on every
    # home screen would read as a league table. d lists them, to close or carry.
    whose = " across the team" if due.whose.view == TEAM else ""
    verb = "past its date" if len(past) == 1 else "past their date"
    people = _plural(len(due.by_facilitator()), "person", "people")
    return styled(head, f"{_plural(len(past), 'action', 'actions')} {verb}{whose}, for {people}")


class ActionsOnHome(ObserveScreen[None]):
    """Home's part in following actions up: its line and what ``d`` does."""

    @on(events.ScreenResume)
    def _read_actions(self) -> None:  # on first showing too; after the frame, as the listing
        self.call_after_refresh(self.load_actions_due)

    # Its own group: exclusive in home's default group would cancel the listing read.
    @work(
        thread=True,
        exclusive=True,
        group="actions-due",
        exit_on_error=False,
        name="reading the actions past their date",
    )
    def load_actions_due(self) -> None:
        from observe.services.actions_due import past_their_date

        found = past_their_date(self.observe_app.workspace, today_of(self))
        self.app.call_from_thread(self._actions_read, found)

    def _actions_read(self, due: Due) -> None:
        found = self.query("#home-actions")
        text = due_line(due)
        if text is None:
            found.remove()
        elif found:
            found.first(Static).update(text)
        else:
            line = Static(text, id="home-actions", markup=False)
            self.mount(line, before="#home-rota")

    def action_actions_due(self) -> None:
        from observe.app.screens.actions_due import ActionsDueScreen

        self.app.push_screen(ActionsDueScreen())
