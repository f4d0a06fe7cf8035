"""Helpers for the live-area tests: an app started on a new or reopened session, read-back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from observe.app.application import ObserveApp, make_app
from observe.core.models import Framework, Meta
from observe.core.record import SessionRecord
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock


def live_app(
    workspace: Workspace, meta: Meta, framework: Framework, clock: FakeClock, **options: Any
) -> ObserveApp:
    return make_app(
        workspace, new_session=(meta, framework), clock=clock, cursor_blink=False, **options
    )


def session_path(workspace: Workspace) -> Path:
    paths = Repository(workspace).paths()
    assert len(paths) == 1, paths
    return paths[0]


def stored(app: ObserveApp) -> SessionRecord:
    """The session as it is on disk, after everything handed to the writer is written."""
    assert app.write_all(10)
    return Repository(app.workspace).load(session_path(app.workspace))


async def enter_text(pilot: Pilot, text: str) -> None:
    """Put ``text`` into the focused input or text area at once (Pilot takes ~60 ms a key)."""
    focused = pilot.app.focused
    if isinstance(focused, Input):
        focused.insert_text_at_cursor(text)
    elif isinstance(focused, TextArea):
        focused.insert(text)
    else:
        raise AssertionError(f"no text widget has the focus: {focused}")
    await pilot.pause()


async def type_note(pilot: Pilot, text: str) -> None:
    clock = pilot.app.options.clock  # type: ignore[attr-defined]
    if isinstance(clock, FakeClock):
        clock.advance(1)  # notes are ordered by time: one second apart
    await enter_text(pilot, text)
    await pilot.press("enter")
    await pilot.pause()
