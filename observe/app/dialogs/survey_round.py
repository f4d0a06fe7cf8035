"""Opening a survey round (leads): which survey, the dates, the reporting threshold."""

from __future__ import annotations

from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from observe.app.plain import plain
from observe.app.screens.base import ObserveModal
from observe.core.survey import DEFAULT_THRESHOLD, MIN_THRESHOLD


class OpenRoundDialog(ObserveModal["str | None"]):
    """Dismissed with the new round's id, or None."""

    HELP_TITLE = "Open a survey round"
    HELP = (
        "Every current member can answer the round between its dates, once, anonymously. No"
        f" figure from fewer answers than the threshold (at least {MIN_THRESHOLD}) is shown;"
        " the threshold is fixed once the first answer arrives."
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "create",
            "Open round",
            id="survey_round.create",
            tooltip="Open the round for the team",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="survey_round.cancel",
            tooltip="Back; no round is opened",
        ),
    ]

    def compose(self) -> ComposeResult:
        today = date.today()
        with Vertical(id="survey-round-box"):
            yield Static("Open a survey round for the team", markup=False, classes="title")
            yield Select([], id="survey-round-survey", prompt="Survey", allow_blank=True)
            yield Static("Opens (YYYY-MM-DD)", markup=False)
            yield Input(today.isoformat(), id="survey-round-opens")
            yield Static("Closes (YYYY-MM-DD)", markup=False)
            yield Input((today + timedelta(days=14)).isoformat(), id="survey-round-closes")
            yield Static(f"Threshold (at least {MIN_THRESHOLD})", markup=False)
            yield Input(str(DEFAULT_THRESHOLD), id="survey-round-threshold", type="integer")
            yield Static("ctrl+s opens the round · Esc cancels", markup=False)

    def on_mount(self) -> None:
        self.load_surveys()

    @work(thread=True, exit_on_error=False, name="reading surveys")
    def load_surveys(self) -> None:
        from observe.services import survey

        found = survey.surveys(self.observe_app.workspace.root)
        self.app.call_from_thread(self._surveys, found)

    def _surveys(self, found: dict) -> None:
        self.found = found
        select = self.query_one(Select)
        select.set_options((plain(f"{fw.title} ({sid})"), sid) for sid, fw in found.items())
        if found:
            select.value = next(iter(found))
        select.focus()

    def action_create(self) -> None:
        select = self.query_one(Select)
        if not isinstance(select.value, str):
            self.notify("Choose a survey first.", severity="warning")
            return
        try:
            opens = date.fromisoformat(self.query_one("#survey-round-opens", Input).value.strip())
            closes = date.fromisoformat(self.query_one("#survey-round-closes", Input).value.strip())
            threshold = int(self.query_one("#survey-round-threshold", Input).value.strip())
        except ValueError:
            self.notify(
                "Dates are YYYY-MM-DD and the threshold a whole number.", severity="warning"
            )
            return
        self.create(self.found[select.value], opens, closes, threshold)

    @work(thread=True, exclusive=True, exit_on_error=False, name="opening a survey round")
    def create(self, framework, opens: date, closes: date, threshold: int) -> None:
        from observe.core.errors import ObserveError
        from observe.services import survey

        try:
            round_ = survey.open_round(
                self.observe_app.workspace.root, framework, opens, closes, threshold
            )
        except ObserveError as exc:
            self.app.call_from_thread(self.notify, plain(str(exc)), severity="error")
            return
        self.app.call_from_thread(self._opened, round_.id)

    def _opened(self, round_id: str) -> None:
        self.notify(f"Round {round_id} is open for the team.")
        self.dismiss(round_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
