"""`observe demo` writes a survey round with answers, so a new user can see the report."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable

from observe.app.application import make_app
from observe.app.screens.survey_report import SurveyReportScreen
from observe.app.screens.surveys import SurveysScreen
from observe.store.workspace import Workspace
from tests.helpers_team import run
from tests.test_survey_screens import SIZE, until


def test_the_demo_round_is_listed_and_reported_like_any_other(tmp_path: Path):
    ws = tmp_path / "ws"
    assert "demo survey round" in run(ws, "demo", "--sessions", "2").output
    listing = json.loads(run(ws, "survey", "list", "--format", "json").output)
    assert [r["status"] for r in listing["rounds"]] == ["demo"]
    data = json.loads(run(ws, "survey", "report", "demo", "--format", "json").output)
    assert data["shown"] and data["members"] == 20 and data["answers"] == 18
    assert data["notes"][0].startswith("Demo data")
    assert all(p["summary"] for p in data["principles"])
    refused = run(ws, "survey", "answer", "demo", "--level=P1a=3", code=2)
    assert "demo round" in refused.stderr
    assert run(ws, "demo", "--sessions", "2", "--seed", "1").exit_code == 0
    again = json.loads(run(ws, "survey", "report", "demo", "--format", "json").output)
    assert [p["summary"] for p in again["principles"]] == [p["summary"] for p in data["principles"]]


async def test_the_demo_report_opens_from_home(tmp_path: Path):
    ws = tmp_path / "ws"
    run(ws, "demo", "--sessions", "2")
    app = make_app(Workspace(ws))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
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
        assert "18 of 20 members answered (90%)" in app.screen.text
        assert "% agree" in app.screen.text
