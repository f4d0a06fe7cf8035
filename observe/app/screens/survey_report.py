"""A survey round's report for a lead: the same text as `observe survey report`, and files.

The figures too small to be safe are suppressed before anything reaches this screen; comments
come with their warning. p writes a PDF and x a workbook into the workspace's exports/.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from observe.app.plain import plain, plain_lines
from observe.app.screens.base import ObserveScreen


class SurveyReportScreen(ObserveScreen[None]):
    HELP_TITLE = "Survey report"
    HELP = (
        "A round's answers, counted: per statement a bar centred on the line between"
        " disagreeing (left) and agreeing (right), the share agreeing and n; per principle the"
        " statements together. A figure from fewer answers than the threshold is suppressed,"
        " and so is a principle with a suppressed statement. Comments are for the leads only."
    )
    BINDINGS = [
        Binding(
            "p",
            "write('pdf')",
            "PDF",
            id="survey_report.pdf",
            tooltip="Write the report as a PDF into exports/",
        ),
        Binding(
            "x",
            "write('xlsx')",
            "Workbook",
            id="survey_report.xlsx",
            tooltip="Write the report as an xlsx workbook into exports/",
        ),
        Binding("escape", "back", "Back", id="survey_report.back", tooltip="Back to the rounds"),
    ]

    def __init__(self, round_id: str) -> None:
        super().__init__()
        self.round_id = round_id
        self.text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="survey-report-body", can_focus=True):
            yield Static("Counting the answers…", id="survey-report-text", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, name="counting survey answers")
    def load(self) -> None:
        from observe.core.errors import ObserveError
        from observe.report.survey_text import table
        from observe.services import survey

        try:
            result = survey.report(self.observe_app.workspace.root, self.round_id)
            text = table(result.tally, refused=result.refused)
        except ObserveError as exc:
            text = str(exc)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: str) -> None:
        self.text = text
        self.query_one("#survey-report-text", Static).update(plain_lines(text))

    @work(thread=True, exit_on_error=False, name="writing the survey report")
    def action_write(self, fmt: str) -> None:
        from observe.core.errors import ObserveError
        from observe.services import survey

        self.app.call_from_thread(self.notify, f"Writing the {fmt.upper()}…", timeout=3)
        try:
            path = survey.export_report(self.observe_app.workspace, self.round_id, fmt)
        except ObserveError as exc:
            self.app.call_from_thread(self.notify, plain(str(exc)), severity="error")
            return
        self.app.call_from_thread(self.notify, plain(f"Written: {path}"), timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)
