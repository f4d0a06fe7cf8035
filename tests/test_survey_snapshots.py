"""Snapshots of the survey's answer screen (a draft under way) and a report (the demo round)
at 80x24 and 120x40."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from observe.app.application import make_app
from observe.app.screens.survey_answer import SurveyAnswerScreen
from observe.app.screens.survey_report import SurveyReportScreen
from observe.services import survey_demo
from observe.store.workspace import Workspace
from tests.test_leads_snapshots import SIZES, steady


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def sized(request: pytest.FixtureRequest) -> Iterator[tuple[Workspace, tuple[int, int]]]:
    size = request.param
    root = Path(f"/tmp/observe-snapshots-{request.node.originalname}-{size[0]}x{size[1]}")
    shutil.rmtree(root, ignore_errors=True)
    yield Workspace(root).ensure(seed=True), size
    shutil.rmtree(root, ignore_errors=True)


def test_answer(snap_compare, sized) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    survey_demo.generate(workspace.root, today=date(2026, 3, 1))
    round_ = survey_demo.load(workspace.root)[0]
    draft = {"P1a": 4, "P1b": "prefer-not", "P1c": 5}
    comments = {"P1": "Hearing colleagues' [b]honest[/b] stories helps."}
    app = make_app(workspace, cursor_blink=False)
    run = steady(lambda a: a.push_screen(SurveyAnswerScreen(round_, draft, comments)))
    assert snap_compare(app, terminal_size=size, run_before=run)


def test_report(snap_compare, sized) -> None:  # type: ignore[no-untyped-def]
    workspace, size = sized
    survey_demo.generate(workspace.root, today=date(2026, 3, 1))
    app = make_app(workspace, cursor_blink=False)
    run = steady(
        lambda a: a.push_screen(SurveyReportScreen("demo")),
        until=lambda a: isinstance(a.screen, SurveyReportScreen) and bool(a.screen.text),
    )
    assert snap_compare(app, terminal_size=size, run_before=run)
