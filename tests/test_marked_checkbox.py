"""The review's acknowledgement box says its state with a mark, not only with a colour."""

from __future__ import annotations

from textual.app import App, ComposeResult

from observe.app.widgets.marked_checkbox import MarkedCheckbox


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedCheckbox("I acknowledge it")


async def test_the_box_shows_a_mark_when_ticked_and_none_when_not() -> None:
    app = _One()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(MarkedCheckbox)
        assert "✓" not in str(box.render())
        box.focus()
        await pilot.press("space")
        assert box.value and "✓" in str(box.render())
        await pilot.press("space")
        assert not box.value and "✓" not in str(box.render())
