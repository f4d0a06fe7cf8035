"""The team's survey rounds: answer an open one; leads open a round and read reports.

Reading the rounds means reading and decrypting the team folder, so it runs in a worker.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from observe.app.plain import plain
from observe.app.screens.base import ObserveScreen


class SurveysScreen(ObserveScreen[None]):
    HELP_TITLE = "Community survey"
    HELP = (
        "The team's survey rounds. Enter answers the highlighted open round (anonymously:"
        " your answer carries no name and only the leads can read it). Leads open a new"
        " round with n and read a closed round's report with r; figures from fewer answers"
        " than the round's threshold are never shown."
    )
    BINDINGS = [
        Binding(
            "enter,a",
            "answer",
            "Answer",
            id="surveys.answer",
            tooltip="Answer the highlighted open round",
        ),
        Binding(
            "r",
            "report",
            "Report",
            id="surveys.report",
            tooltip="The highlighted round's report (leads)",
        ),
        Binding(
            "n",
            "open_round",
            "New round",
            id="surveys.new",
            tooltip="Open a survey round for the whole team (leads)",
        ),
        Binding("escape", "back", "Back", id="surveys.back", tooltip="Back to home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.infos: list = []
        self.lead = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="surveys-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading the team folder…", id="surveys-status", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("Survey", "Opens", "Closes", "Status", "Here"):
            table.add_column(label, key=label.lower())
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="reading survey rounds")
    def load(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services import survey

        root = self.observe_app.workspace.root
        try:
            found = survey.rounds(root)
            lead = found.lead
        except ObserveError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, found.rounds, lead, len(found.refused))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A member's footer offers what a member can do; the leads' keys appear for leads.
        if action == "open_round":
            return self.lead
        if action == "report":
            return self.lead or any(i.demo for i in self.infos)
        return True

    def _failed(self, message: str) -> None:
        self.query_one("#surveys-status", Static).update(plain(message))

    def _loaded(self, infos: list, lead: bool, refused: int) -> None:
        self.infos, self.lead = infos, lead
        self.refresh_bindings()
        table = self.query_one(DataTable)
        table.clear()
        today = date.today()
        for info in infos:
            table.add_row(
                plain(info.round.framework.title),
                info.round.opens.isoformat(),
                info.round.closes.isoformat(),
                "demo" if info.demo else info.status(today),
                "answered" if info.answered_here else "",
            )
        status = f"{len(infos)} round(s)" if infos else "No survey rounds yet."
        if lead:
            status += " · you are a lead: n opens a round, r reports"
        if refused:
            status += f" · {refused} file(s) refused (see observe survey list)"
        self.query_one("#surveys-status", Static).update(status)
        table.focus()

    def _highlighted(self):
        table = self.query_one(DataTable)
        if not self.infos or table.cursor_row is None:
            return None
        return self.infos[table.cursor_row] if table.cursor_row < len(self.infos) else None

    @on(DataTable.RowSelected, "#surveys-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_answer()

    def action_answer(self) -> None:
        info = self._highlighted()
        if info is None:
            return
        if info.demo:
            self.notify("The demo round is for trying the report (r); it takes no answers.")
            return
        if info.answered_here:
            self.notify("You have answered this round from this workspace.")
            return
        if info.status(date.today()) != "open":
            self.notify(f"This round is {info.status(date.today())}: it takes no answers now.")
            return
        open_answer_screen(self, info.round)

    def action_report(self) -> None:
        info = self._highlighted()
        if info is None:
            return
        if not self.lead and not info.demo:
            self.notify("Only the team's leads read survey reports.")
            return
        from observe.app.screens.survey_report import SurveyReportScreen

        self.app.push_screen(SurveyReportScreen(info.round.id))

    def action_open_round(self) -> None:
        if not self.lead:
            self.notify("Only the team's leads open survey rounds.")
            return
        from observe.app.dialogs.survey_round import OpenRoundDialog

        self.app.push_screen(OpenRoundDialog(), lambda _: self.load())

    def action_back(self) -> None:
        self.dismiss(None)


def open_answer_screen(screen: ObserveScreen, round_) -> None:
    """Push the answer screen for ``round_`` with its draft, if there is one."""
    from observe.app.screens.survey_answer import SurveyAnswerScreen
    from observe.services import survey

    levels, comments = survey.load_draft(screen.observe_app.workspace.root, round_.id)
    screen.app.push_screen(SurveyAnswerScreen(round_, levels, comments))
