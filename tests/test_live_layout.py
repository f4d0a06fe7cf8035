"""What the live screen shows at small sizes: whole notes, reachable details and keys."""

from __future__ import annotations

import re

from observe.app.widgets.criteria import CriterionDetails
from observe.app.widgets.timeline import Timeline
from observe.core.models import Framework
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_live import live_app, stored, type_note

SMALL = (80, 24)


def words_shown(widget: Timeline, lines: int) -> str:
    """The text the widget's first ``lines`` lines show, as one run of words: a line drawn
    wider than the room beside the scrollbar loses its end to it."""
    width = widget.scrollable_content_region.width
    strips = [widget.render_line(y) for y in range(lines)]
    lost = [s.text[width:] for s in strips if s.text[width:].strip()]
    assert not lost, f"cut off by the scrollbar: {lost}"
    return re.sub(r"\s+", " ", " ".join(s.crop(0, width).text for s in strips))


async def test_notes_written_before_the_scrollbar_appears_are_shown_whole(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    # One line each before the scrollbar takes a column, some of them exactly full.
    early = [f"pace {'x' * n} end{n}" for n in range(22, 36)]
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        timeline = app.screen.query_one(Timeline)
        for text in early:
            await type_note(pilot, text)
        for n in range(10):  # enough for the timeline to scroll
            await type_note(pilot, f"note {n} about the room")
        assert timeline.max_scroll_y > 0
        shown = ""
        height = timeline.scrollable_content_region.height
        for top in range(0, timeline.virtual_size.height, height):
            timeline.scroll_to(y=top, animate=False)
            await pilot.pause()
            shown += words_shown(timeline, height)
        record = stored(app)
    assert [n.text for n in record.live_notes()[: len(early)]] == early
    for text in early:
        assert text in shown


async def test_the_details_scroll_from_the_keyboard_to_the_levels_at_80x24(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        details = app.screen.query_one(CriterionDetails)
        assert details.display and details.max_scroll_y > 0  # the levels are below the fold
        for _ in range(details.max_scroll_y // 3 + 1):
            await pilot.press("ctrl+down")
        await pilot.pause()
        assert details.scroll_y == details.max_scroll_y
        text = details.query_one("#details-text")
        assert text.region.bottom <= details.region.bottom  # its last line, the levels, in view
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert details.scroll_y == details.max_scroll_y - 3
        await pilot.press(*"typing still works", "enter")
        await pilot.pause()
        record = stored(app)
    assert [n.text for n in record.live_notes()] == ["typing still works"]


def footer_keys_whole(app: object, width: int) -> list[str]:
    """The footer's keys, each asserted to be drawn whole within ``width`` columns."""
    from textual.widgets import Footer

    footer = app.screen.query_one(Footer)  # type: ignore[attr-defined]
    keys = list(footer.query("FooterKey"))
    for key in keys:
        assert key.region.right <= width, f"{key.key} {key.description} is cut off"
    return [key.key for key in keys]


async def test_the_live_footer_is_whole_at_80_columns_and_f1_has_every_key(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from observe.app.screens.help import help_sections

    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        shown = footer_keys_whole(app, SMALL[0])
        assert {"f10", "f2", "f3", "f4", "f9", "f12", "f1"} <= set(shown)
        helped = {k for _, rows in help_sections(app.screen) for k, _ in rows}
        assert {"f6", "f7", "f8", "^z", "^↓", "^↑", "del", "^p"} <= helped
        await type_note(pilot, "still typing")
        record = stored(app)
    assert [n.text for n in record.live_notes()] == ["still typing"]


async def test_wrapup_at_80x24_keys_whole_and_the_box_written_in_has_room(
    workspace: Workspace, framework: Framework, clock: FakeClock
) -> None:
    from textual.widgets import TextArea

    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        footer_keys_whole(app, SMALL[0])
        await pilot.press("tab")
        await pilot.pause()
        area = app.focused
        assert isinstance(area, TextArea) and area.id == "wrap-strengths"
        assert area.size.width >= 40 and area.size.height >= 8
        await pilot.press(*"warm welcome")
        await pilot.pause(0.5)
        record = stored(app)
    assert record.summary("asha-rahman").strengths == "warm welcome"
