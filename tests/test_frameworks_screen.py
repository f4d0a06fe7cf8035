"""Frameworks screen: each framework previewed, invalid files listed with file, line and field."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from observe.app.application import make_app
from observe.app.screens.frameworks import FrameworksScreen, preview
from observe.store.workspace import Workspace
from tests.helpers_home import settle

BROKEN = """id = "broken"
version = "1"
title = "Broken"

[scale]
[[scale.levels]]
value = 1
label = "One"

[[scale.levels]]
value = 2
label = "Two"

[[domains]]
id = "A"
title = "Domain A"

  [[domains.criteria]]
  id = "A1"
  prompt = "No title here"
"""


def preview_text(screen: FrameworksScreen) -> str:
    return str(screen.query_one("#frameworks-text", Static).render())


async def test_lists_previews_and_explains_errors(workspace: Workspace, clock, framework) -> None:
    (workspace.criteria_dir / "zz-broken.toml").write_text(BROKEN, encoding="utf-8")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FrameworksScreen)
        options = screen.query_one("#frameworks-list", OptionList)
        assert options.option_count == 2
        text = preview_text(screen)
        assert "Good facilitation practice" in text and "Scale" in text
        assert "R1 Builds safe and trusting relationships" in text
        assert framework.domains[0].criteria[0].look_fors[0] in text
        await pilot.press("down")
        await pilot.pause()
        text = preview_text(screen)
        assert "zz-broken.toml does not validate" in text
        # the file, the line of the bad criterion, and the path of the missing field
        assert "zz-broken.toml:18: domains[0].criteria[0].title: field required" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


def test_preview_names_online_only_criteria(framework) -> None:
    text = preview(framework).plain
    online = [c for _, c in framework.criteria() if c.modes is not None]
    for criterion in online:
        assert f"{criterion.id} {criterion.title} (" in text
    if online:
        assert "only)" in text
    for level in framework.scale.levels:
        assert level.label in text
