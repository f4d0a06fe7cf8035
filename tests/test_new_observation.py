"""New observation form: validation beside the fields, keyboard-only start, remembered defaults."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from textual.widgets import Input, Select, SelectionList, Static

from observe.app.application import make_app
from observe.app.screens.new import NewObservationScreen
from observe.app.screens.new_form import FormValues, form_problems, split_names
from observe.store import preferences
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
    good = FormValues(
        facilitators="Asha",
        date="2026-03-04",
        start="9:30",
        framework="x",
        consent="given",
        mode="online",
    )
    assert form_problems(good) == {}
    bad = form_problems(
        replace(good, facilitators="Asha, asha", date="4/3/26", start="25:00"),
        today=date(2027, 1, 2),
    )
    assert set(bad) == {"facilitators", "date", "start"}
    assert "named twice" in bad["facilitators"]
    assert "e.g. 2027-01-02" in bad["date"]  # the example is today, never a past date
    unanswered = form_problems(replace(good, consent="", mode=""))
    assert set(unanswered) == {"consent", "mode"}


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
        await pilot.press("tab")  # consent: asked, an answer in words
        await pilot.press("enter", "down", "enter")  # given
        await pilot.press("tab")  # mode: asked each time
        await pilot.press("enter", "down", "down", "enter")  # online
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
        await pilot.press("tab", "tab")  # past the framework to the focus criteria
        assert isinstance(app.focused, SelectionList)
        await pilot.press("space", "down", "space")  # R1 and R2
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
    assert meta["focus"] == ["R1", "R2"] and meta["consent"] == "given"
    assert doc["framework"]["id"] == "good-facilitation"

    remembered = preferences.load(workspace)
    assert remembered["wave"] == "2" and remembered["observer"] == "Jo Obi"
    assert "mode" not in remembered  # the mode is asked each time, never carried over


async def test_last_times_values_are_offered_visibly_never_copied(
    workspace: Workspace, clock, monkeypatch
) -> None:
    """An in-person session must not be stored as last time's online, wave 2, elsewhere."""
    live = stand_in(monkeypatch, "live", "LiveScreen")
    preferences.remember(
        workspace, {"observer": "Jo Obi", "wave": "2", "region": "NW", "partner": "PA"}
    )
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        values = screen.values()
        texts = [values.texts[k] for k in ("wave", "region", "partner")]
        assert [values.observer, *texts, values.mode] == [""] * 5
        wave = screen.query_one("#wave", Input)
        assert "last time: 2" in wave.placeholder  # said on the screen, not filled in
        assert "last time: 2" in str(wave.render_line(0).text)
        await type_text(pilot, "Bea Lowe")
        await pilot.press("tab")
        await pilot.press("enter", "down", "enter")  # consent given
        await pilot.press("tab")
        await pilot.press("enter", "down", "enter")  # in person
        await pilot.press("tab", "right")  # observer: → takes last time's name
        assert screen.query_one("#observer", Input).value == "Jo Obi"
        await pilot.press("right")  # in a filled box → only moves the cursor
        assert screen.query_one("#observer", Input).value == "Jo Obi"
        await pilot.press("tab", "tab", "end")  # wave: End takes it too
        assert wave.value == "2"
        await pilot.press("ctrl+s")  # region and partner left as offered: not taken
        await settle(pilot)
        assert isinstance(app.screen, live)
        path = app.screen.arg.path
        app.screen.arg.close()
    meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
    assert (meta["observer"]["name"], meta["wave"], meta["mode"]) == ("Jo Obi", "2", "in_person")
    assert (meta["region"], meta["partner"]) == ("", "")
    assert preferences.load(workspace)["region"] == "NW"  # an empty field forgets nothing


async def test_focus_criteria_follow_the_mode(workspace: Workspace, clock) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        focus = screen.query_one("#focus", SelectionList)
        framework = screen.framework()
        assert framework is not None
        online_only = [c.id for _, c in framework.criteria() if c.modes == ["online"]]
        from textual.widgets import Select

        screen.query_one("#mode", Select).value = "in_person"
        await pilot.pause()
        ids = [focus.get_option_at_index(i).value for i in range(focus.option_count)]
        if online_only:
            assert not set(online_only) & set(ids)
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
        for key in [*"Asha Rahman", "tab", "tab", "tab", *"Jo Bloggs", "tab", "tab", "2"]:
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

    typed = FormValues(facilitators="Asha, asha", date="2026-03-04", start="9.30", framework="x")
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
            screen = await open_form(pilot)
            screen.query_one("#consent", Select).value = "given"
            screen.query_one("#mode", Select).value = "online"
            await pilot.pause()
            keys = [*"Jo Bloggs1, Kim Lee", "tab", "tab", "tab", *"Ann Obs", "ctrl+s", "ctrl+s"]
            _burst(app, keys)
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
            screen = await open_form(pilot)
            screen.query_one("#consent", Select).value = "not_asked"
            screen.query_one("#mode", Select).value = "hybrid"
            await pilot.press(*"Jo Bloggs1, Kim Lee", "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, live), attempt
            session = app.screen.arg
            path = session.path
            session.close()
        meta = json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"]
        assert [f["name"] for f in meta["facilitators"]] == ["Jo Bloggs1", "Kim Lee"]


async def test_ticked_focus_criteria_show_a_mark_not_only_a_colour(
    workspace: Workspace, clock
) -> None:
    app = make_app(workspace, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(pilot)
        focus = screen.query_one("#focus", SelectionList)
        focus.select(focus.get_option_at_index(0).value)
        await pilot.pause()
        first, second = (focus.render_line(y).text for y in (0, 1))
        assert first.startswith("▐✓▌") and second.startswith("▐ ▌")
