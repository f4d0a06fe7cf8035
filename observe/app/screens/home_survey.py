"""Home's part in the community survey: a line when a round waits for this member's answer,
and ``u`` for the team's survey rounds.

The check reads the team folder, so it runs in a worker a moment after home is drawn, and
only in a workspace that belongs to a team; the line is mounted only when there is a round
to answer, so home looks as ever otherwise.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.binding import Binding
from textual.widgets import Static

from observe.app.plain import plain
from observe.app.screens.base import ObserveScreen

CHECK_AFTER_S = 1.0


# In HomeScreen.BINDINGS, after home's own keys (F1 lists them in that order).
SURVEY_KEYS = [
    Binding(
        "u",
        "surveys",
        "Survey",
        id="home.surveys",
        show=False,  # the footer keeps to 80 columns; the line below says "u"
        tooltip="The community survey: answer an open round; leads open rounds and read reports",
    ),
]


class SurveyOnHome(ObserveScreen[None]):
    def on_mount(self) -> None:
        options = self.observe_app.options
        asked = options.survey_round  # observe survey answer: once, on the first home
        self.observe_app.options = replace(options, survey_round=None)
        if asked is not None:
            from observe.app.screens.surveys import open_answer_screen

            open_answer_screen(self, asked)
        self.set_timer(CHECK_AFTER_S, self.check_surveys)

    def on_screen_resume(self) -> None:
        self.check_surveys()

    # Its own group: exclusive in home's default group would cancel the listing read.
    @work(
        thread=True,
        exclusive=True,
        group="survey-check",
        exit_on_error=False,
        name="checking for a survey",
    )
    def check_surveys(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services import survey

        root = self.observe_app.workspace.root
        if not survey.in_team(root):
            return
        try:
            waiting = survey.pending(root)
        except ObserveError:
            waiting = []  # the team commands say why; home stays quiet
        self.app.call_from_thread(self._survey_line, waiting)

    def _survey_line(self, waiting: list) -> None:
        found = self.query("#home-survey")
        if not waiting:
            found.remove()
            return
        info = waiting[0]
        text = plain(
            f"▶ A survey is open until {info.round.closes.isoformat()}:"
            f" {info.round.framework.title}. Press u to answer (anonymous).",
            "bold",
        )
        if found:
            found.first(Static).update(text)
        else:
            self.mount(Static(text, id="home-survey"), before="#home-detail")

    def action_surveys(self) -> None:
        from observe.app.screens.surveys import SurveysScreen

        self.app.push_screen(SurveysScreen())
