"""F1 help: the screen's own keys first with a line each, then the focused widget's, then global."""

from __future__ import annotations

import io
from datetime import date

from rich.console import Console
from textual.screen import Screen

from observe.app.application import ObserveApp, make_app
from observe.app.keys import action_state, declared_bindings
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


def _listed_everywhere(screen: Screen[object]) -> list[str]:
    """Own keys of ``screen`` with a label that F1 or the palette leaves out."""
    own = [
        b
        for b in declared_bindings(screen, own_only=True)
        if b.description and action_state(screen, b.action) is not False
    ]
    assert own, type(screen).__name__
    f1 = {text for _, text in dict(help_sections(screen)).get("Keys on this screen", [])}
    palette = {c.title: c.help for c in screen.app.get_system_commands(screen)}
    missing = []
    for b in own:
        if (b.tooltip or b.description) not in f1:
            missing.append(f"F1 of {type(screen).__name__}: {b.key} {b.description}")
        if b.description not in palette or (b.tooltip or "") not in palette[b.description]:
            missing.append(f"palette of {type(screen).__name__}: {b.key} {b.description}")
    return missing


async def test_f1_and_the_palette_list_every_key_a_screen_declares(
    workspace: Workspace, clock, repo, framework
) -> None:
    """Each screen's own keys, once, as bindings: F1 and the palette both read them."""
    add_session(repo, framework, "Asha Rahman", status="completed", day=date(2026, 3, 3))
    add_session(repo, framework, "Tom Reed", "Mia Chen")  # newest: first in the list
    app = make_app(workspace, clock=clock)
    missing: list[str] = []
    seen: list[str] = []

    async def check(*keys: str) -> None:
        await pilot.press(*keys)
        await settle(pilot)
        seen.append(type(app.screen).__name__)
        missing.extend(_listed_everywhere(app.screen))

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check()  # home
        await check("n")  # the new-observation form
        await check("escape", "f")  # frameworks
        await check("escape", "c")  # collate
        await check("escape", "i")  # import
        await check("escape", "enter")  # the live screen of the co-delivered session
        await check("f10")  # its wrap-up
        await check("f12", "f12", "down", "v")  # the completed session's review
        await check("f5")  # its export
        await check("escape", "escape", "f1")  # help over home
    assert seen == [
        "HomeScreen",
        "NewObservationScreen",
        "FrameworksScreen",
        "CollateScreen",
        "ImportScreen",
        "LiveScreen",
        "WrapUpScreen",
        "ReviewScreen",
        "ExportScreen",
        "HelpScreen",
    ]
    assert not missing, missing
