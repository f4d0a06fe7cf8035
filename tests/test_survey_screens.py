"""The survey in the app: home offers an open round, the member answers by key, leaves and
comes back to the draft, submits; a lead opens a round and reads the report."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from textual.widgets import DataTable, OptionList, Static, TextArea

from observe.app.application import make_app
from observe.app.screens.survey_answer import SurveyAnswerScreen
from observe.app.screens.survey_report import SurveyReportScreen
from observe.app.screens.surveys import SurveysScreen
from observe.services import survey
from observe.store.workspace import Workspace
from tests.helpers_survey import pinned_today, seven

__all__ = ["pinned_today"]
SIZE = (100, 30)


async def until(pilot, check, tries: int = 100) -> None:
    """Let the app run until ``check()`` holds (workers read the team folder)."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    assert check()


def open_now(team, pin) -> str:
    today = date.today()
    pin(today)
    team.run("lead", "survey", "open", "--closes", (today + timedelta(days=7)).isoformat())
    listing = json.loads(team.run("m0", "survey", "list", "--format", "json").output)
    return listing["rounds"][0]["id"]


async def test_a_member_answers_leaves_comes_back_and_submits(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_now(team, pinned_today)
    root = team.ws["m0"]
    app = make_app(Workspace(root))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#home-survey")))
        line = str(app.screen.query_one("#home-survey", Static).render())
        assert "Press u to answer" in line
        await pilot.press("u")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, SurveysScreen)
                and app.screen.query_one(DataTable).row_count == 1
            ),
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SurveyAnswerScreen))
        await pilot.press("4", "0", "5")
        await pilot.press("c")
        await until(pilot, lambda: bool(app.screen.query(TextArea)))
        await pilot.press(*"less [b]ok[/b]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: survey.load_draft(root, round_id)[0] != {})
    levels, comments = survey.load_draft(root, round_id)
    assert levels == {"P1a": 4, "P1b": "prefer-not", "P1c": 5}
    assert comments == {"P2": "less [b]ok[/b]"}  # the statement after P1c is in P2

    app = make_app(Workspace(root))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#home-survey")))
        await pilot.press("u")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, SurveysScreen)
                and app.screen.query_one(DataTable).row_count == 1
            ),
        )
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SurveyAnswerScreen))
        screen = app.screen
        assert screen.levels == levels and screen.comments == comments
        box = screen.query_one(OptionList)
        assert box.get_option_at_index(box.highlighted).id == "P2a"  # the first unanswered
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: screen.submitted)
    answers = list((team.folder / "answers" / round_id).iterdir())
    assert len(answers) == 1
    assert not (root / "survey" / f"draft-{round_id}.json").exists()
    assert survey.rounds(root).find(round_id).answered_here
    assert survey.pending(root) == []


async def test_a_lead_opens_a_round_in_the_app_and_reads_the_report(tmp_path: Path):
    team = seven(tmp_path)
    app = make_app(Workspace(team.ws["lead"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, SurveysScreen) and app.screen.lead)
        await pilot.press("n")
        await until(pilot, lambda: bool(app.screen.query("#survey-round-threshold")))
        await until(pilot, lambda: getattr(app.screen, "found", None) is not None)
        threshold = app.screen.query_one("#survey-round-threshold")
        threshold.value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SurveysScreen) is False  # refused: still in the dialog
        threshold.value = "4"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, SurveysScreen)
                and app.screen.query_one(DataTable).row_count == 1
            ),
        )
        await pilot.press("r")
        await until(
            pilot,
            lambda: isinstance(app.screen, SurveyReportScreen) and "Response" in app.screen.text,
        )
        assert "fewer than 4 of 7 members answered" in app.screen.text
        assert "Figures appear once the round has closed" in app.screen.text
    rounds = survey.rounds(team.ws["m3"]).rounds
    assert [r.round.threshold for r in rounds] == [4]


def test_every_survey_key_has_an_id_a_label_and_a_line_of_help():
    from observe.app.dialogs.survey_comment import CommentDialog, ConfirmSubmit
    from observe.app.dialogs.survey_round import OpenRoundDialog
    from observe.app.screens.home_survey import SURVEY_KEYS

    owners = [
        SurveyAnswerScreen,
        SurveysScreen,
        SurveyReportScreen,
        CommentDialog,
        ConfirmSubmit,
        OpenRoundDialog,
    ]
    for binding in [b for o in owners for b in o.BINDINGS] + SURVEY_KEYS:
        assert binding.id and binding.description and binding.tooltip, binding
