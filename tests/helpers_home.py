"""Helpers for the home-area tests: sessions with chosen metadata, and stand-in screens.

The live, wrap-up and review screens belong to other areas; the dispatch tests put small
stand-ins in their place so that what is checked is where home sends you, with what.
"""

from __future__ import annotations

import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from observe.core.models import Framework, Meta, Note, Person, Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace


def add_session(
    repo: Repository,
    framework: Framework,
    *names: str,
    status: str = "in_progress",
    notes: int = 0,
    session_id: str | None = None,
    day: date = date(2026, 3, 4),
    **fields: Any,
) -> Path:
    """A closed session file with the given facilitators, status and metadata."""
    meta = Meta(
        date=day,
        start=fields.pop("start", "09:30"),
        facilitators=[Person.named(n) for n in names or ("Asha Rahman",)],
        observer=Person.named(fields.pop("observer", "Jo Observer")),
        **{"wave": "1", "region": "North West", "partner": "Partner A", **fields},
    )
    session = repo.create(meta, framework, session_id=session_id)
    for i in range(notes):
        session.add_note(Note(at=repo.clock(), text=f"note {i}"))
    if status != "in_progress":
        session.set_status(Status(status))
    path = session.path
    session.close()
    return path


def add_unreadable(workspace: Workspace, name: str = "2026-01-01_broken_deadbeef.json") -> Path:
    path = workspace.sessions_dir / name
    path.write_text('{"session": {"1": {"schema": 1', encoding="utf-8")
    return path


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def no_blink(app: App[Any]) -> None:
    for box in app.screen.query(Input):
        box.cursor_blink = False


class StandIn(Screen[None]):
    """Where home sent us, and with what."""

    def __init__(self, arg: Any = None, *rest: Any, **kwargs: Any) -> None:
        super().__init__()
        self.arg = arg
        self.rest = rest
        self.kwargs = kwargs

    def compose(self) -> ComposeResult:
        yield Static(f"{type(self).__name__}")


def stand_in(monkeypatch: pytest.MonkeyPatch, module: str, name: str) -> type[StandIn]:
    """Put a stand-in screen class ``name`` in ``observe.app.screens.<module>``."""
    cls = type(name, (StandIn,), {})
    fake = types.ModuleType(f"observe.app.screens.{module}")
    setattr(fake, name, cls)
    monkeypatch.setitem(sys.modules, f"observe.app.screens.{module}", fake)
    import observe.app.screens as package

    monkeypatch.setattr(package, module, fake, raising=False)
    return cls


def captured_notifications(app: App[Any]) -> list[str]:
    """Every notify() message of ``app``, recorded as it is sent."""
    messages: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        messages.append(str(message))
        original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return messages
