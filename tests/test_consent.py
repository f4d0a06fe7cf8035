"""Consent to be observed is an explicit answer: given, not asked or declined, wherever it shows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pydantic import ValidationError
from textual.widgets import Select, Static

from observe.app.application import make_app
from observe.app.screens.live import LiveScreen
from observe.app.screens.new import NewObservationScreen
from observe.core.models import Consent, Framework, Meta
from observe.report.feedback import feedback_pdf
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_home import settle, stand_in
from tests.helpers_live import live_app
from tests.helpers_report import build_session, flat, pdf_pages


def _meta_with(consent: object) -> Meta:
    data = make_meta().model_dump(mode="json")
    data["consent"] = consent
    return Meta.model_validate(data)


def test_old_true_and_false_read_as_given_and_not_asked() -> None:
    assert _meta_with(True).consent is Consent.GIVEN
    assert _meta_with(False).consent is Consent.NOT_ASKED
    assert _meta_with("declined").consent is Consent.DECLINED
    assert make_meta().consent is Consent.NOT_ASKED  # never silently "given"
    for bad in ("yes", 1, None, "Given"):
        with pytest.raises(ValidationError):
            _meta_with(bad)


def test_an_old_file_with_true_loads_and_is_saved_as_a_word(
    repo: Repository, framework: Framework
) -> None:
    with repo.create(make_meta(), framework) as session:
        path = session.path
    data = json.loads(path.read_text(encoding="utf-8"))
    data["session"]["1"]["meta"]["consent"] = True  # as files before the three answers were
    path.write_text(json.dumps(data), encoding="utf-8")
    assert repo.load(path).session.meta.consent is Consent.GIVEN
    with repo.open(path) as session:
        session.update(phases=session.session.phases)  # any save writes the meta again
    stored = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert stored["consent"] in ("given", True)  # the key is kept
    data["session"]["1"]["meta"]["consent"] = False
    path.write_text(json.dumps(data), encoding="utf-8")
    assert repo.load(path).session.meta.consent is Consent.NOT_ASKED


async def _form(pilot) -> NewObservationScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NewObservationScreen)
    return screen


async def test_consent_is_asked_near_the_top_and_visible_at_80_by_24(
    workspace: Workspace, clock: FakeClock
) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _form(pilot)
        choice = screen.query_one("#consent", Select)
        assert choice.value is Select.NULL  # no answer until one is given
        form = screen.query_one("#new-form")
        assert form.scroll_y == 0
        region = choice.region
        assert region.height > 0 and region.y + region.height <= 24 - 1  # above the footer
        assert region.y < 8  # near the top, under the facilitators


async def test_starting_needs_an_answer_and_stores_it(
    workspace: Workspace, clock: FakeClock, monkeypatch
) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _form(pilot)
        await pilot.press(*"Asha Rahman")
        screen.query_one("#mode", Select).value = "online"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewObservationScreen)  # nothing started
        error = screen.query_one("#consent-error", Static)
        assert error.display and "agreed to be observed" in str(error.render())
        assert list(workspace.sessions_dir.glob("*.json")) == []
        screen.query_one("#consent", Select).value = "given"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, live)
        app.screen.arg.close()
    [path] = workspace.sessions_dir.glob("*.json")
    meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert meta["consent"] == "given"


async def test_starting_with_declined_asks_first(
    workspace: Workspace, clock: FakeClock, monkeypatch
) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _form(pilot)
        await pilot.press(*"Asha Rahman")
        screen.query_one("#mode", Select).value = "in_person"
        screen.query_one("#consent", Select).value = "declined"
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert not isinstance(question, (NewObservationScreen, live))
        assert "declined" in " ".join(str(w.render()) for w in question.query(Static))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert list(workspace.sessions_dir.glob("*.json")) == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, live)
        app.screen.arg.close()
    [path] = workspace.sessions_dir.glob("*.json")
    meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert meta["consent"] == "declined"


@pytest.mark.parametrize(
    ("consent", "shown"),
    [("given", None), ("not_asked", "consent not asked"), ("declined", "consent declined")],
)
async def test_the_live_bar_marks_consent_not_given(
    workspace: Workspace, framework: Framework, clock: FakeClock, consent: str, shown: str | None
) -> None:
    app = live_app(workspace, make_meta(consent=consent), framework, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        markers = list(app.screen.query("#live-consent").results(Static))
        if shown is None:
            assert not markers or not markers[0].display
        else:
            [marker] = markers
            assert marker.display and shown in str(marker.render()).lower()
            assert marker.region.x + marker.region.width <= 80


@pytest.mark.parametrize(
    ("consent", "line"),
    [
        ("given", None),
        ("not_asked", "Consent to this observation: not asked"),
        ("declined", "Consent to this observation: declined"),
    ],
)
def test_the_pdf_says_consent_on_page_one(
    repo: Repository, framework: Framework, consent: str, line: str | None
) -> None:
    with build_session(repo, framework, {"consent": consent}) as session:
        record = session.record
    one = flat(pdf_pages(feedback_pdf(record, "asha-rahman"))[0])
    if line is None:
        assert flat("Consent to this observation") not in one
    else:
        assert flat(line) in one


def test_cli_new_takes_consent(workspace: Workspace, monkeypatch) -> None:
    from observe.cli import main as cli

    def stored_consent(*args: str) -> str:
        before = set(workspace.sessions_dir.glob("*.json"))
        run = CliRunner().invoke(
            cli.main, ["--workspace", str(workspace.root), "new", "--facilitator", "Asha", *args]
        )
        assert run.exit_code == 0, run.output
        [path] = set(workspace.sessions_dir.glob("*.json")) - before
        return json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]["consent"]

    monkeypatch.setattr(cli, "run_app", lambda ws, open_session, **_: open_session.close())
    assert stored_consent("--consent", "declined") == "declined"
    assert stored_consent("--consent", "given") == "given"
    assert stored_consent() == "not_asked"
    bad = CliRunner().invoke(
        cli.main,
        ["--workspace", str(workspace.root), "new", "--facilitator", "Asha", "--consent", "yes"],
    )
    assert bad.exit_code == 2 and len(list(workspace.sessions_dir.glob("*.json"))) == 3
