"""The portfolio screen from home's p: whose it is, codes or names, the PDF, hostile text, and
snapshots at 80x24 and 120x40."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from observe.app.application import make_app
from observe.app.screens.portfolio import ChoosePerson, PortfolioScreen
from observe.core.models import Action, Framework, Note, NoteKind, Person, Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta
from tests.helpers_home import captured_notifications, no_blink, settle

SIZES = [(80, 24), (120, 40)]
SECRET = "ab" * 32 + "\n"  # a fixed key, so that the codes in a snapshot stay the same
HOSTILE = "[bold]Eve[/] \x1b[31m\u202e"


def _observed(
    repo: Repository,
    framework: Framework,
    people: list[Person],
    day: int,
    level: int,
    observer: str = "Jo Observer",
    title: str = "Reflective supervision",
) -> None:
    meta = make_meta(title=title).model_copy(
        update={
            "wave": str(1 + day // 15),
            "facilitators": people,
            "observer": Person.named(observer),
            "date": date(2026, 3, day),
        }
    )
    ident = f"{day:08d}-1111-4111-8111-111111111111"
    session = repo.create(meta, framework, session_id=ident)
    first = people[0].id
    session.add_note(
        Note(
            at=session.session.created_at,
            text=f"{people[0].name.split()[0]} named the feeling in the room #R1",
            kind=NoteKind.STRENGTH,
            criteria=["R1"],
            facilitators=[first],
        )
    )
    for crit, value in (("R1", framework.scale.values[-1]), ("R2", level), ("S2", None)):
        session.rate(first, crit, value)
    session.put_summary(first, strengths="Warm and steady.", development="Protect the plenary.")
    response = session.record.response(first).model_copy(
        update={
            "reflection": "I want to slow down at the start.",
            "actions": [Action(id=f"act-{day}", text="Plan reflection time as fixed")],
        }
    )
    session.put_response(first, response)
    session.set_status(Status.COMPLETED)
    session.close()


@pytest.fixture
def history(workspace: Workspace, repo: Repository, framework: Framework) -> Workspace:
    workspace.secret_path.write_text(SECRET)
    asha, tom = Person.named("Asha Rahman"), Person.named("Tom Price")
    _observed(repo, framework, [asha], 2, 2)
    _observed(repo, framework, [asha, tom], 9, 3, observer="Bea Jones")
    _observed(repo, framework, [asha], 20, 3, title="Anti-racist practice")
    return workspace


async def _open(pilot, row: int = 0) -> None:
    await settle(pilot)
    table = pilot.app.screen.query_one("#sessions", DataTable)
    table.move_cursor(row=row)
    await pilot.press("p")
    await settle(pilot)


def _text(screen, key: str) -> str:
    return str(screen.query_one(f"#portfolio-{key}", Static).render())


async def test_a_leads_view_codes_then_names_then_the_pdf(history: Workspace, clock) -> None:
    app = make_app(history, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)  # newest first: Asha's, observed alone
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        p = screen.portfolio
        assert p is not None and not p.names and p.facilitator.startswith("F-")
        assert len(p.observations) == 3 and [o.wave for o in p.observations] == ["1", "1", "2"]
        story = _text(screen, "story")
        assert "Asha" not in story and "observed 3 times" in story
        assert "R1" in _text(screen, "strengths")
        assert "Plan reflection time as fixed" in _text(screen, "actions")
        assert "I want to slow down" in _text(screen, "words")
        chart = _text(screen, "chart")
        assert "R1  ███" in chart and "S2  ···" in chart
        await pilot.press("n")
        await settle(pilot)
        assert screen.portfolio.names and "Asha Rahman" in _text(screen, "story")
        await pilot.press("e")
        await settle(pilot)
        written = list(history.exports_dir.glob("portfolio_*.pdf"))
        assert len(written) == 1 and written[0].read_bytes().startswith(b"%PDF")
        assert written[0].name.startswith("portfolio_asha-rahman_")  # names shown: by name
        assert "Written:" in str(screen.query_one("#portfolio-status", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PortfolioScreen)


async def test_a_co_delivered_session_asks_whose(history: Workspace, clock) -> None:
    app = make_app(history, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot, row=1)  # the co-delivered one
        assert isinstance(app.screen, ChoosePerson)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PortfolioScreen)
        assert app.screen.facilitator == "tom-price"
        assert len(app.screen.portfolio.observations) == 1
        await pilot.press("escape")
        await _open(pilot, row=1)
        await pilot.press("escape")  # nobody chosen: nothing opens
        await settle(pilot)
        assert not isinstance(app.screen, (ChoosePerson, PortfolioScreen))


async def test_nothing_highlighted_and_no_team_says_so(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        said = captured_notifications(app)
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert not isinstance(app.screen, PortfolioScreen)
        assert any("Highlight a session" in m for m in said)


async def test_hostile_names_and_text_are_shown_as_typed(
    workspace: Workspace, repo: Repository, framework: Framework, clock
) -> None:
    eve = Person(id="eve", name=HOSTILE)
    _observed(repo, framework, [eve], 2, 2, observer="[link=x]Mal[/link]")
    _observed(repo, framework, [eve], 9, 3)
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        await pilot.press("n")
        await settle(pilot)
        story = _text(screen, "story")
        assert "[bold]Eve[/]" in story and "\\x1b" in story and "\x1b" not in story
        assert "\u202e" not in story
        visits = _text(screen, "visits")
        assert "[link=x]Mal[/link]" in visits


async def test_your_own_portfolio_has_names(tmp_path: Path, framework: Framework, clock) -> None:
    from tests.helpers_team import three

    team = three(tmp_path)
    ws = Workspace(team.ws["b"])
    tom = Person(id=team.member_id("b"), name="Tom Price")
    _observed(Repository(ws, clock=clock), framework, [tom], 2, 2)
    app = make_app(ws, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        assert screen.portfolio.own and screen.portfolio.names
        assert "Your portfolio" in _text(screen, "story")
        await pilot.press("n")  # one's own always shows names
        await settle(pilot)
        assert screen.portfolio.names


def _steady(row: int, *keys: str):
    async def run_before(pilot) -> None:
        pilot.app.sub_title = "workspace"
        await _open(pilot, row)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        no_blink(pilot.app)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_portfolio_snapshot(snap_compare, history: Workspace, clock, size) -> None:
    app = make_app(history, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_steady(0))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_portfolio_snapshot_ratings(snap_compare, history: Workspace, clock, size) -> None:
    app = make_app(history, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=_steady(0, "n", "]", "]", "]"))
