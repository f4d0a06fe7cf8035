"""Home's key to portfolios: ``p`` opens the portfolio of the highlighted session's
facilitator (asking whose when it was co-delivered), or your own when nothing is highlighted
and this workspace is a team member's. Screens go through observe.services.portfolio."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from observe.app.screens.base import ObserveScreen
from observe.app.screens.home_onward import Refused
from observe.core.summary import SessionSummary as Row

# In HomeScreen.BINDINGS, after the rota's and the survey's keys (F1 lists them in that order).
PORTFOLIO_KEYS = [
    Binding(
        "p",
        "portfolio",
        "Portfolio",
        id="home.portfolio",
        show=False,  # in F1 and the palette: the footer keeps to 80 columns
        tooltip="The portfolio of the highlighted session's facilitator across waves"
        " (your own when nothing is highlighted)",
    ),
]


class PortfolioOnHome(ObserveScreen[None]):
    """Mixed into home, which supplies ``highlighted``, ``_go`` and ``_refused`` and lists
    ``PORTFOLIO_KEYS``."""

    def highlighted(self) -> Row | None:
        raise NotImplementedError  # home's

    def _go(
        self, make: Callable[[], Screen[Any]], then: Callable[[Any], None] | None = None
    ) -> None:
        raise NotImplementedError  # home's

    def _refused(self, refused: Refused) -> None:
        raise NotImplementedError  # home's

    def action_portfolio(self) -> None:
        from observe.app.screens.portfolio import ChoosePerson, PortfolioScreen
        from observe.services import portfolio

        ws = self.observe_app.workspace
        row = self.highlighted()
        if row is None or row.unreadable:
            mine = portfolio.own_id(ws)
            if mine is None:
                self._refused(Refused("Highlight a session to see its facilitator's portfolio."))
                return
            self._go(lambda: PortfolioScreen(mine))
            return
        people = portfolio.people_of(ws, row.id)
        if not people:
            self._refused(Refused("This session names no facilitator."))
            return
        if len(people) == 1:
            self._go(lambda: PortfolioScreen(people[0].id, demo=row.demo))
            return

        def chosen(index: int | None) -> None:
            if index is not None:  # Escape: nothing opens
                self._go(lambda: PortfolioScreen(people[index].id, demo=row.demo))

        self._go(lambda: ChoosePerson(people), chosen)
