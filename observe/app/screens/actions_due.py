"""The agreed actions still open: whose, what, by when, and from which observation.

Those past their date come first. Enter opens that session's review, where the facilitator
closes the action (done, dropped) or carries it to a new date; back here the list is read
again. Whose actions are listed is home's rule (``observe.services.actions_due``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from observe.app.plain import one_line, plain, styled
from observe.app.screens.base import ObserveScreen
from observe.app.screens.rota_days import short_date, today_of
from observe.core.shorten import shorten

if TYPE_CHECKING:
    from rich.text import Text

    from observe.services.actions_due import Due
    from observe.services.followups import Open

WIDE = 110  # columns from which the name and the action get more room


def widths(wide: bool) -> tuple[int, ...]:
    """The columns' widths: "past 31 Dec 2025", a name, the action, the session's date."""
    return (16, 24, 48, 10) if wide else (16, 14, 24, 10)


class ActionsDueScreen(ObserveScreen[None]):
    HELP_TITLE = "Actions still open"
    HELP = (
        "The actions agreed at earlier observations that are still open, those past their"
        " date first: whose, what, by when, and from which observation. Enter opens that"
        " observation's review, where the facilitator closes an action or carries it on to"
        " a new date. An action past its date is a prompt for the next conversation."
    )
    BINDINGS = [
        Binding(
            "v",
            "review",
            "Review",
            id="actions_due.review",
            tooltip="The review of the observation the highlighted action was agreed in"
            " (Enter too)",
        ),
        Binding("escape", "back", "Back", id="actions_due.back", tooltip="Back to home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Open] = []
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Reading the actions…", id="actions-title", markup=False)
        yield DataTable(id="actions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="actions-detail", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self._stale:  # back from a review: an action may have been closed there
            self._stale = False
            self.load()

    @work(
        thread=True,
        exclusive=True,
        group="actions-list",
        exit_on_error=False,
        name="reading the open actions",
    )
    def load(self) -> None:
        from observe.services.actions_due import open_in_view

        found = open_in_view(self.observe_app.workspace, today_of(self))
        self.app.call_from_thread(self._loaded, found)

    def _loaded(self, due: Due) -> None:
        from observe.services.actions_due import MINE, TEAM

        past = due.past
        self.shown = past + [a for a in due.actions if not a.past(due.today)]
        whose = {MINE: "Your actions", TEAM: "The team's actions"}.get(due.whose.view, "Actions")
        title = self.query_one("#actions-title", Static)
        if not self.shown:
            title.update(styled((f"{whose}: none open.", "bold"), " Nothing to follow up."))
        else:
            title.update(
                styled(
                    (f"{whose} still open: {len(self.shown)}", "bold"),
                    f", {len(past)} past their date" if past else "",
                )
            )
        table = self.query_one("#actions", DataTable)
        wide = (self.size.width or self.app.size.width) >= WIDE
        # Widths fixed here, not measured from the cells: read again on the way back from a
        # review, measured widths came out as the headers' alone.
        table.clear(columns=True)
        for label, width in zip(("By", "Facilitator", "Action", "From"), widths(wide), strict=True):
            table.add_column(label, width=width)
        for action in self.shown:
            table.add_row(*self._cells(action, due, wide))
        if self.shown:
            table.focus()
        self._detail()

    @staticmethod
    def _cells(action: Open, due: Due, wide: bool) -> tuple[Text, ...]:
        text = shorten(" ".join(one_line(action.text).split()), 48 if wide else 24)
        if action.by is None:
            by = plain("no date", "dim")
        else:
            day = short_date(action.by)
            day += f" {action.by.year}" if action.by.year != due.today.year else ""
            past = action.past(due.today)
            by = plain(f"past {day}" if past else f"by {day}", "bold" if past else "")
        origin = action.session_date  # the title is on the line below
        name = shorten(one_line(action.facilitator), 24 if wide else 14)
        return (by, plain(name), plain(text), plain(origin))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:  # Enter on the table
        self.action_review()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        action = self.highlighted()
        detail = self.query_one("#actions-detail", Static)
        if action is None:
            detail.update("")
            return
        detail.update(
            styled(
                (action.text, "bold"),
                f"\n{action.facilitator}, agreed at {action.session_date} ",
                (action.session_title, "italic"),
            )
        )

    def highlighted(self) -> Open | None:
        table = self.query_one("#actions", DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_review(self) -> None:
        from observe.app.screens import home_onward as onward

        action = self.highlighted()
        if action is None:
            return
        try:
            screen = onward.review_screen(
                self.observe_app, action.row, action.facilitator_index, action.action_id
            )
        except onward.Refused as refused:
            self.notify(refused.message, title=refused.title, severity=refused.severity)
            return
        self._stale = True
        self.app.push_screen(screen)

    def action_back(self) -> None:
        self.dismiss()
