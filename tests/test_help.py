"""F1 help: the screen's own keys first with a line each, then the focused widget's, then global."""

from __future__ import annotations

import io

from rich.console import Console

from observe.app.application import ObserveApp, make_app
from observe.app.screens.help import HelpScreen, help_sections, help_text, render_help
from observe.store.workspace import Workspace
from tests.helpers_home import add_session, settle


async def test_f1_on_home_shows_its_keys_first(
    workspace: Workspace, clock, repo, framework
) -> None:
    add_session(repo, framework, "Asha Rahman")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = help_sections(home)
        headings = [h for h, _ in sections]
        assert headings == ["Keys on this screen", "In the sessions table", "Everywhere"]
        keys = dict(sections[0][1])
        assert keys["n"] == "Start a new observation"
        assert "o" in next(k for k in keys if "Open the highlighted" in keys[k])
        assert "/" in keys and "r" in keys
        # Textual's generic keys are summed up, not listed one by one
        table_rows = sections[1][1]
        assert table_rows == [("", "Arrows, Page Up/Down and Home/End move through it.")]
        everywhere = dict(sections[2][1])
        assert "^q" in everywhere and "f1" in everywhere and "^p" in everywhere
        text = help_text(home)
        assert "cursor" not in text and "Focus Next" not in text
        console = Console(width=70, record=True, file=io.StringIO())
        console.print(render_help(home))
        drawn = console.export_text()
        assert drawn.index("Start a new observation") < drawn.index("Everywhere")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


async def test_f1_on_the_form_names_the_focused_field(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = dict(help_sections(form))
        own = dict(sections["Keys on this screen"])
        assert own["^s, f10"] == "Create the session and open the live notes screen"
        field = sections["In the facilitators text box"]
        assert any("text editing" in text for _, text in field)
        assert len(field) <= 3


def test_every_binding_in_the_app_has_an_id_and_a_description() -> None:
    from observe.app.dialogs.session_dialogs import ResumeDialog
    from observe.app.screens.frameworks import FrameworksScreen
    from observe.app.screens.home import HomeScreen
    from observe.app.screens.new import NewObservationScreen

    for owner in (
        ObserveApp,
        HomeScreen,
        NewObservationScreen,
        FrameworksScreen,
        HelpScreen,
        ResumeDialog,
    ):
        for binding in owner.BINDINGS:
            assert binding.id, (owner.__name__, binding.key)
            assert binding.description and binding.tooltip, (owner.__name__, binding.key)
