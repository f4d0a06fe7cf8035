"""The review's list of agreed actions: Enter edits, d marks done, x drops, c carries."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class ActionTable(DataTable[str]):
    """Letters here close or carry the highlighted action (the screen does the work)."""

    BINDINGS = [
        Binding(
            "d",
            "screen.close_action('done')",
            "Done",
            id="review.action_done",
            tooltip="The highlighted agreed action is done",
        ),
        Binding(
            "x",
            "screen.close_action('dropped')",
            "Dropped",
            id="review.action_dropped",
            tooltip="Drop the highlighted agreed action: it is no longer followed up",
        ),
        Binding(
            "c",
            "screen.carry_action",
            "Carry",
            id="review.action_carry",
            tooltip="Keep the highlighted action open for next time (Enter changes its date)",
        ),
    ]
