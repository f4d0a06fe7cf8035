"""Home's rota line: what is due and overdue for this observer, and the key to the rota.

One line above the footer, shown only when the workspace has a rota: the observer's next
assignment (overdue first) and how many more, or, when who "you" are is not known yet (no
team, no observer remembered), the open assignments of everyone. Read in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.binding import Binding
from textual.widgets import Static

from observe.app.plain import one_line, styled
from observe.app.screens.base import ObserveScreen
from observe.app.screens.rota_days import short_date, today_of

if TYPE_CHECKING:
    from textual.content import Content

    from observe.services.rota import Mine


def due_line(mine: Mine) -> Content | None:
    """The line home shows, or None when there is nothing to show: the counts first, so a
    narrow terminal cuts only the detail of the next assignment."""
    from observe.core.rota.model import names, short_name
    from observe.core.rota.progress import OVERDUE

    rows = mine.rows if mine.me else mine.everyone
    head = ("Rota (w): ", "bold")
    if not mine.planned:
        return None
    if not rows:
        return styled(head, "nothing due for you") if mine.me else None
    late = sum(1 for r in rows if r.state == OVERDUE)
    first = rows[0]
    a = first.assignment
    whose = " for you" if mine.me else ", everyone"
    who = "" if mine.me else f"{short_name(a.observer)} observes "
    when = f"{'was due' if first.state == OVERDUE else 'by'} {short_date(a.due)}"
    return styled(
        head,
        (f"{late} overdue", "bold $warning") if late else "",
        ", " if late else "",
        f"{len(rows) - late} due{whose} · next, {when}: ",  # the date before names cut short
        one_line(f"{who}{names(a.facilitators, short=True)} (wave {first.wave})"),
    )


# Home's key to the rota; HomeScreen lists it last among its own, so F1 shows it there.
ROTA_KEYS = [
    Binding(
        "w",
        "rota",
        "Rota",
        id="home.rota",
        show=False,  # named on the rota line itself: the footer keeps to 80 columns
        tooltip="The observation rota: what is due for you, and a new observation from it;"
        " a lead plans, adjusts and publishes it",
    ),
]


class RotaOnHome(ObserveScreen[None]):
    """Home's part in the rota: its line and what its key does (HomeScreen composes the
    line and lists ``ROTA_KEYS``)."""

    rota_waves: frozenset[str] = frozenset()  # the waves with assignments due or overdue

    @staticmethod
    def rota_line() -> Static:
        line = Static("", id="home-rota", markup=False)
        line.display = False
        return line

    @on(events.ScreenResume)
    def _read_rota(self) -> None:  # on first showing too; after the frame, as the listing
        self.call_after_refresh(self.load_rota)

    @work(thread=True, exclusive=True, group="rota", exit_on_error=False, name="reading the rota")
    def load_rota(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services.rota import Mine, mine

        try:
            found = mine(self.observe_app.workspace, today_of(self))
        except ObserveError:
            found = Mine("")  # a damaged plan or team folder is said on the rota screen
        self.app.call_from_thread(self._rota_read, found)

    def _rota_read(self, found: Mine) -> None:
        line = self.query_one("#home-rota", Static)
        rows = found.rows if found.me else found.everyone
        self.rota_waves = frozenset(r.wave for r in rows)  # w opens on the latest of these
        text = due_line(found)
        line.display = text is not None
        if text is not None:
            line.update(text)

    def action_rota(self) -> None:
        from observe.app.screens.rota import RotaScreen

        self.app.push_screen(RotaScreen(open_on=self.rota_waves))
