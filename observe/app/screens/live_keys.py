"""The live screen's keys, each declared once with its label and its line of help.

The footer, F1 and the command palette all read them from here (through ``LiveScreen``).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from observe.app.screens.rating_keys import rating_bindings

LIVE_BINDINGS: list[BindingType] = [
    *rating_bindings("live"),
    Binding(
        "f10",
        "wrapup",
        "Wrap-up",
        id="live.wrapup",
        tooltip="Rate from the evidence and write the summary",
    ),
    Binding(
        "f2",
        "next_facilitator",
        "Switch",
        id="live.facilitator",
        tooltip="Rate for the next facilitator (also f in the criteria)",
    ),
    Binding("f3", "phase", "Phase", id="live.phase", tooltip="Start a new phase"),
    Binding("f4", "pause", "Pause", id="live.pause", tooltip="Pause or resume the timer (a break)"),
    Binding(
        "f6",
        "edit_last",
        "Edit",
        show=False,  # the footer fits 80 columns; F1 lists it, and ↑ is the quick way
        id="live.edit",
        tooltip="Bring the last note back into the input (also ↑ in an empty input)",
    ),
    Binding(
        "f7",
        "delete_last",
        "Delete",
        show=False,  # in F1, with F6 and F8: the footer keeps what fits 80 columns
        id="live.delete",
        tooltip="Remove the last note (F8 brings it back)",
    ),
    Binding(
        "f8",
        "undo_delete",
        "Undo",
        show=False,  # F7 says, when it removes a note, that F8 brings it back
        id="live.undo",
        tooltip="Bring back the note removed last",
    ),
    Binding(
        "f9",
        "details",
        "Details",
        id="live.details",
        tooltip="Show the highlighted criterion's prompt, look-fors and levels",
    ),
    Binding(
        "ctrl+down",
        "scroll_details(3)",
        "Details down",
        show=False,
        id="live.details_down",
        tooltip="Scroll the criterion's details (F9) on, to its levels",
    ),
    Binding(
        "ctrl+up",
        "scroll_details(-3)",
        "Details up",
        show=False,
        id="live.details_up",
        tooltip="Scroll the criterion's details (F9) back up",
    ),
    Binding(
        "f5",
        "last_time",
        "Last time",
        show=False,  # the line "From last time" names the key when there is something
        id="live.last_time",
        tooltip="The actions agreed last time: mark what you see of each",
    ),
    Binding(
        "ctrl+o",
        "own_focus",
        "Their focus",
        show=False,  # said on the screen when a facilitator wrote one; F1 lists it
        id="live.own_focus",
        tooltip="What the facilitators asked to be looked at, in their own words",
    ),
    Binding(
        "f12",
        "leave",
        "Leave",
        id="live.leave",
        tooltip="Back to your sessions; this one stays in progress",
    ),
    Binding(
        "escape",
        "cancel_edit",
        "Cancel edit",
        show=False,
        id="live.cancel",
        tooltip="Stop editing the last note; it stays as it was",
    ),
]
