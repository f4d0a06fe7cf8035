"""New observation form: validation beside the fields, keyboard-only start, remembered defaults."""

from __future__ import annotations

import json

from textual.widgets import Input, SelectionList, Static

from observe.app.application import make_app
from observe.app.screens.new import NewObservationScreen, form_problems, split_names
from observe.store.workspace import Workspace
from tests.helpers_home import settle, stand_in


async def open_form(pilot) -> NewObservationScreen:
    await settle(pilot)
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NewObservationScreen)
    return screen


def error_of(screen: NewObservationScreen, name: str) -> str:
    widget = screen.query_one(f"#{name}-error", Static)
    return str(widget.render()) if widget.display else ""


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def test_names_and_checks() -> None:
    assert split_names(" Asha Rahman, Tom Price ;Bea ") == ["Asha Rahman", "Tom Price", "Bea"]
    good = {"facilitators": "Asha", "date": "2026-03-04", "start": "9:30", "framework": "x"}
    assert form_problems(good) == {}
    bad = form_problems({**good, "facilitators": "Asha, asha", "date": "4/3/26", "start": "25:00"})
    assert set(bad) == {"facilitators", "date", "start"}
    assert "named twice" in bad["facilitators"]


async def test_messages_appear_beside_the_fields(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        date_box = screen.query_one("#date", Input)
        assert date_box.value == "2026-03-04"  # today, from the app's clock
        assert screen.query_one("#start", Input).value == "09:30"
        date_box.value = "next tuesday"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewObservationScreen)  # nothing started
        assert "Add at least one facilitator" in error_of(screen, "facilitators")
        assert "YYYY-MM-DD" in error_of(screen, "date")
        assert app.focused is screen.query_one("#facilitators", Input)  # first problem
        await type_text(pilot, "Al, al")
        assert error_of(screen, "facilitators") == ""  # cleared as soon as it is edited
        await pilot.press("f10")
        await pilot.pause()
        assert "named twice" in error_of(screen, "facilitators")
        assert list(workspace.sessions_dir.glob("*.json")) == []


async def test_keyboard_only_fill_and_start(workspace: Workspace, clock, monkeypatch) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Asha Rahman, Tom Price")
        await pilot.press("tab")
        await type_text(pilot, "Jo Obi")
        await pilot.press("tab")
        await type_text(pilot, "PSDP")
        await pilot.press("tab")
        await type_text(pilot, "2")
        await pilot.press("tab")
        await type_text(pilot, "NW")
        await pilot.press("tab")
        await type_text(pilot, "PA")
        await pilot.press("tab", "tab")  # cohort left empty
        await type_text(pilot, "Day 2")
        await pilot.press("tab", "tab")  # date stays today
        await pilot.press("ctrl+u")
        await type_text(pilot, "10:15")
        await pilot.press("tab")  # mode
        await pilot.press("enter", "down", "enter")  # online
        await pilot.press("tab", "tab")  # past the framework to the focus criteria
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space", "down", "space")  # R1 and R2
        await pilot.press("tab", "space")  # consent noted
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, live)
        session = app.screen.arg
        path = session.path
        session.close()

    stored = json.loads(path.read_text(encoding="utf-8"))
    doc = stored["session"]["1"]
    meta = doc["meta"]
    assert doc["status"] == "in_progress"
    assert [f["name"] for f in meta["facilitators"]] == ["Asha Rahman", "Tom Price"]
    assert meta["observer"]["name"] == "Jo Obi"
    assert (meta["programme"], meta["wave"], meta["region"], meta["partner"]) == (
        "PSDP",
        "2",
        "NW",
        "PA",
    )
    assert (meta["title"], meta["date"], meta["start"], meta["mode"]) == (
        "Day 2",
        "2026-03-04",
        "10:15",
        "online",
    )
    assert meta["focus"] == ["R1", "R2"] and meta["consent"] is True
    assert doc["framework"]["id"] == "good-facilitation"

    # The next form starts from what this observer typed last time.
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        values = screen.values()
        assert values["observer"] == "Jo Obi" and values["wave"] == "2"
        assert values["partner"] == "PA" and values["mode"] == "online"
        assert values["facilitators"] == "" and values["title"] == ""
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_focus_criteria_follow_the_mode(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        focus = screen.query_one("#focus", SelectionList)
        framework = screen.framework()
        assert framework is not None
        online_only = [c.id for _, c in framework.criteria() if c.modes == ["online"]]
        ids = [focus.get_option_at_index(i).value for i in range(focus.option_count)]
        if online_only:
            assert not set(online_only) & set(ids)
        from textual.widgets import Select

        screen.query_one("#mode", Select).value = "online"
        await pilot.pause()
        ids = [focus.get_option_at_index(i).value for i in range(focus.option_count)]
        assert set(online_only) <= set(ids)
        assert str(focus.get_option_at_index(0).prompt).startswith("R1  Builds safe")


async def test_text_sent_in_one_burst_follows_each_tab(workspace: Workspace) -> None:
    """Keys that arrive together (a paste-speed typist, tmux send-keys) go where Tab points."""
    from textual import events

    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        # Queue every key before any is handled, as a terminal read of several bytes does.
        for key in [*"Asha Rahman", "tab", *"Jo Bloggs", "tab", "tab", "2"]:
            char = key if len(key) == 1 else ("\t" if key == "tab" else None)
            name = {" ": "space"}.get(key, key)
            app.post_message(events.Key(name, char))
        await pilot.pause()
        await pilot.pause()
        values = {
            name: screen.query_one(f"#{name}", Input).value
            for name in ("facilitators", "observer", "wave")
        }
        assert values == {"facilitators": "Asha Rahman", "observer": "Jo Bloggs", "wave": "2"}


def test_the_form_and_the_command_line_check_a_new_session_alike(workspace: Workspace) -> None:
    import pytest

    from observe.core.errors import UsageError
    from observe.services.sessions import new_session_meta

    typed = {"facilitators": "Asha, asha", "date": "2026-03-04", "start": "9.30", "framework": "x"}
    message = form_problems(typed)["facilitators"]
    with pytest.raises(UsageError, match=message):
        new_session_meta(workspace, facilitators=["Asha", "asha"])
    meta, _ = new_session_meta(workspace, facilitators=["Asha"], date="2026-03-04", start="9.30")
    assert (meta.date.isoformat(), meta.start) == ("2026-03-04", "09:30")
    with pytest.raises(UsageError, match="HH:MM"):
        new_session_meta(workspace, facilitators=["Asha"], start="25:00")


def _burst(app, keys: list[str]) -> None:
    """Queue every key before any is handled, as a terminal read of a paste does."""
    from textual import events

    for key in keys:
        char = key if len(key) == 1 else ("\t" if key == "tab" else None)
        name = {" ": "space", ",": "comma"}.get(key, key)
        app.post_message(events.Key(name, char))


async def test_start_takes_every_key_typed_before_it(workspace: Workspace, monkeypatch) -> None:
    """ctrl+s right after a fast-typed field stores the whole field, every time."""
    live = stand_in(monkeypatch, "live", "LiveScreen")
    for attempt in range(4):
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_form(pilot)
            _burst(app, [*"Jo Bloggs1, Kim Lee", "tab", *"Ann Obs", "ctrl+s", "ctrl+s"])
            await settle(pilot)
            assert isinstance(app.screen, live), attempt
            session = app.screen.arg
            path = session.path
            session.close()
        meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
        assert [f["name"] for f in meta["facilitators"]] == ["Jo Bloggs1", "Kim Lee"]
        assert meta["observer"]["name"] == "Ann Obs"
        # A second ctrl+s on the way does not start a second session.
        assert len(list(workspace.sessions_dir.glob("*.json"))) == attempt + 1


async def test_start_after_pressed_keys_stores_them_all(workspace: Workspace, monkeypatch) -> None:
    live = stand_in(monkeypatch, "live", "LiveScreen")
    for attempt in range(2):
        app = make_app(workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_form(pilot)
            await pilot.press(*"Jo Bloggs1, Kim Lee", "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, live), attempt
            session = app.screen.arg
            path = session.path
            session.close()
        meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
        assert [f["name"] for f in meta["facilitators"]] == ["Jo Bloggs1", "Kim Lee"]
