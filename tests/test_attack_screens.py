"""Every screen and dialog opened with hostile text in every field: markup brackets, Textual
actions in markup, terminal control sequences. Nothing crashes, and the text shows as typed
(control characters as escapes)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

from observe.app.application import ObserveApp, make_app
from observe.core.frameworks import load_all
from observe.core.models import Framework, Meta, Note, NoteKind, Person, Status
from observe.core.untrusted import escape_controls
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.test_collate_screens import settle

TITLE = "Module 2 [/] recap"
BOLD = "[b]Bold[/b] [/]"
CLICK = "[@click=app.quit]Asha[/] Quit"
OBSERVER = "[link=https://evil.example]Jo[/link] [/]"
REGION = "[red]North[/] [/]"
PARTNER = "Partner [/] \x1b]0;owned\x07"
NOTE = "[/] noted [b]this[/b] \x1b[2J [@click=app.quit]x[/]"
SUMMARY = "[/]Summary [i]kept[/i]"
FW_TITLE = "[/]Good [b] practice"
CRIT_TITLE = "[/] criterion [i]one"
# A string written raw to the screen would carry these; escaped it shows "\x1b".
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SIZE = (130, 36)


def hostile_framework(ws: Workspace) -> Framework:
    """The default framework with markup in its title, a domain, a criterion and a level."""
    path = ws.criteria_dir / "good-facilitation.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('title = "Good facilitation practice"', f'title = "{FW_TITLE}"', 1)
    text = text.replace('label = "Emerging"', 'label = "[/]Emerging [b]"', 1)
    text = text.replace(
        'title = "Relationship-based practice and containment"', 'title = "[/]Domain [b]x"', 1
    )
    head, tail = text.split('id = "R1"', 1)
    tail = re.sub(r'title = "[^"]*"', f'title = "{CRIT_TITLE}"', tail, count=1)
    tail = re.sub(r'prompt = "[^"]*"', 'prompt = "[/]prompt [@click=app.quit]q[/]"', tail, count=1)
    path.write_text(head + 'id = "R1"' + tail, encoding="utf-8")
    return load_all(ws.criteria_dir).get("good-facilitation")


def hostile_meta(**fields: Any) -> Meta:
    from datetime import date

    values = {
        "date": date(2026, 3, 4),
        "start": "09:30",
        "facilitators": [Person.named(BOLD), Person.named(CLICK)],
        "observer": Person.named(OBSERVER),
        "wave": "[/]2",
        "region": REGION,
        "partner": PARTNER,
        "cohort": "[$accent]cohort",
        "programme": "[/]programme",
        "title": TITLE,
        "focus": ["R1"],
    }
    return Meta(**{**values, **fields})


def add_hostile(repo: Repository, framework: Framework, status: Status) -> Path:
    session = repo.create(hostile_meta(), framework)
    first, second = (p.id for p in session.session.meta.facilitators)
    session.add_note(Note(at=repo.clock(), text=NOTE, criteria=["R1"], facilitators=[first]))
    session.add_note(Note(at=repo.clock(), text=SUMMARY, kind=NoteKind.STRENGTH))
    session.rate(first, "R1", 2)
    if status is not Status.IN_PROGRESS:
        for pid in (first, second):
            session.put_summary(pid, summary=SUMMARY, strengths=NOTE, development=BOLD)
        session.set_status(Status.COMPLETED)
        if status is not Status.COMPLETED:
            session.set_status(status)
    path = session.path
    session.close()
    return path


@pytest.fixture
def hostile(workspace: Workspace, clock: FakeClock) -> tuple[Workspace, Framework, Repository]:
    framework = hostile_framework(workspace)
    return workspace, framework, Repository(workspace, clock=clock)


def shown(screen: Screen[Any]) -> str:
    """The text of every Static, table cell and option on ``screen``, as it would be drawn.

    A cell or option given as a plain string is drawn through markup; parsing it here as the
    widget would shows what was lost (or raises, as the app would).
    """
    parts: list[str] = []
    for widget in screen.query("*"):
        if isinstance(widget, DataTable):
            for row in range(widget.row_count):
                for cell in widget.get_row_at(row):
                    parts.append(
                        Text.from_markup(cell).plain if isinstance(cell, str) else _plain(cell)
                    )
        elif isinstance(widget, OptionList):
            for i in range(widget.option_count):
                prompt = widget.get_option_at_index(i).prompt
                parts.append(
                    Content.from_markup(prompt).plain if isinstance(prompt, str) else _plain(prompt)
                )
        elif isinstance(widget, Static):
            parts.append(_plain(widget.render()))
        for title in (widget.border_title, widget.border_subtitle):
            if title is not None:
                parts.append(_plain(title))
    return "\n".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, (Text, Content)):
        return value.plain
    return str(value)


def notifications(app: ObserveApp) -> list[str]:
    return [n.message for n in app._notifications]


# ---------------------------------------------------------------- home and the dialogs


async def test_home_lists_hostile_sessions_literally(hostile: Any) -> None:
    ws, framework, repo = hostile
    add_hostile(repo, framework, Status.IN_PROGRESS)
    add_hostile(repo, framework, Status.SHARED)
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=(240, 36)) as pilot:  # room for the names' first words
        await settle(pilot)
        text = shown(app.screen)
        # co-delivered names are fitted to the column (initials past the first name): what
        # shows is the typed characters, never their markup's effect
        assert "[b]Bold[/b]" in text and "[@click=app." in text and REGION in text
        assert "Partner [/" in text, text  # the column is narrow: the start shows
        assert not RAW.search(text)
        await pilot.press("down")
        await settle(pilot)
        assert app.is_running


async def test_resume_dialog_and_the_whose_feedback_dialog(hostile: Any) -> None:
    from observe.app.dialogs.session_dialogs import ChooseFacilitator, ResumeDialog

    ws, framework, repo = hostile
    add_hostile(repo, framework, Status.COMPLETED)
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ResumeDialog(f"{TITLE} · {BOLD} · {PARTNER}", more=1))
        await settle(pilot)
        text = shown(app.screen)
        assert TITLE in text and BOLD in text and escape_controls(PARTNER) in text
        app.pop_screen()
        app.push_screen(ChooseFacilitator([Person.named(BOLD), Person.named(CLICK)]))
        await settle(pilot)
        text = shown(app.screen)
        assert BOLD in text and CLICK in text
        assert app.is_running


# ---------------------------------------------------------------- new, live, wrap-up


async def test_new_form_shows_hostile_framework_titles(hostile: Any) -> None:
    ws, _framework, _repo = hostile
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        text = shown(app.screen)
        assert CRIT_TITLE in text or FW_TITLE in text
        assert app.is_running


async def test_live_screen_with_hostile_notes_names_and_criteria(
    hostile: Any, clock: FakeClock
) -> None:
    ws, framework, _repo = hostile
    app = make_app(ws, new_session=(hostile_meta(), framework), clock=clock, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tests.helpers_live import enter_text, type_note

        await type_note(pilot, NOTE)
        await type_note(pilot, "[/]")
        await pilot.press("f2")  # the next facilitator: the rating line names them
        await settle(pilot)
        text = shown(app.screen)
        assert TITLE in text and CRIT_TITLE in text
        assert escape_controls(NOTE) in text and "[/]" in text
        assert CLICK in text
        assert not RAW.search(text)
        await pilot.press("f3")  # the phase picker: a phase named in markup
        await settle(pilot)
        app.screen.query_one("#phase-name").focus()
        await pilot.pause()
        await enter_text(pilot, "[/]phase [b]\x1b]0;x\x07")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(1.2)  # the timer redraws every second, with the phase's name
        assert "[/]phase [b]\\x1b]0;x\\x07" in str(app.screen.query_one("#live-timer").render())
        assert app.is_running


async def test_wrapup_and_its_confirmation_show_text_as_typed(
    hostile: Any, clock: FakeClock
) -> None:
    from observe.app.screens.wrapup import ConfirmFinish

    ws, framework, repo = hostile
    path = add_hostile(repo, framework, Status.COMPLETED)
    app = make_app(ws, open_session=repo.open(path), clock=clock, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = shown(app.screen)
        assert TITLE in text and BOLD in text and CRIT_TITLE in text
        assert escape_controls(NOTE) in text
        assert not RAW.search(text)
        app.push_screen(ConfirmFinish([BOLD, CLICK]))
        await settle(pilot)
        assert BOLD in shown(app.screen) and CLICK in shown(app.screen)
        assert app.is_running


# ---------------------------------------------------------------- review and export


async def test_review_and_export_show_text_as_typed(hostile: Any) -> None:
    from observe.app.screens.exporting import ExportScreen
    from observe.app.screens.review import ReviewScreen

    ws, framework, repo = hostile
    path = add_hostile(repo, framework, Status.COMPLETED)
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(ReviewScreen(path))
        await settle(pilot)
        if app.screen.__class__.__name__ == "ChooseFacilitator":
            await pilot.press("enter")
            await settle(pilot)
        text = shown(app.screen)
        assert BOLD in text and TITLE in text
        assert not RAW.search(text)
        await pilot.press("f4")
        await settle(pilot)
        from tests.helpers_live import enter_text

        app.screen.query_one("#action-text").focus()
        await enter_text(pilot, "[/]act [b]")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        app.push_screen(ExportScreen([path], facilitator=None))
        await settle(pilot)
        assert app.is_running


# ---------------------------------------------------------------- collate, import, frameworks


async def test_collate_screen_with_names_and_codes(hostile: Any) -> None:
    from observe.app.screens.collate import CollateScreen

    ws, framework, repo = hostile
    add_hostile(repo, framework, Status.COMPLETED)
    add_hostile(repo, framework, Status.SHARED)
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CollateScreen())
        await settle(pilot)
        assert CRIT_TITLE in shown(app.screen)
        for key in ("b", "b", "b", "b", "k", "t", "t", "t"):  # to facilitator, names, tabs
            await pilot.press(key)
            await settle(pilot)
        text = shown(app.screen)
        assert BOLD in text or CLICK in text or REGION in text
        await pilot.press("slash")
        await pilot.press(*"region:[/]", "enter")
        await settle(pilot)
        assert app.is_running


async def test_import_screen_shows_hostile_refusals_and_conflicts(
    hostile: Any, tmp_path: Path
) -> None:
    import orjson

    from observe.app.screens.importing import ImportScreen
    from observe.store import files

    ws, framework, repo = hostile
    path = add_hostile(repo, framework, Status.COMPLETED)
    data = orjson.loads(path.read_bytes())
    note = next(iter(data[files.NOTES_TABLE].values()))
    note["text"] = "[/]changed \x1b]0;t\x07 [b]"
    inbox = tmp_path / "[b]in [link=x]"
    inbox.mkdir()
    (inbox / path.name).write_bytes(orjson.dumps(data))
    (inbox / "[red]bad [@click=app.quit]x.json").write_text("{[/]")
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen(tmp_path))
        await settle(pilot)
        from tests.helpers_live import enter_text

        await enter_text(pilot, f"'{inbox}'")
        await pilot.press("enter")
        await settle(pilot)
        text = shown(app.screen)
        assert "[red]bad [@click=app.quit]x.json" in text
        assert "[/]changed" in text and not RAW.search(text)
        assert app.is_running


async def test_frameworks_screen_and_help(hostile: Any) -> None:
    from observe.app.screens.frameworks import FrameworksScreen

    ws, _framework, _repo = hostile
    (ws.criteria_dir / "[b]broken [$accent].toml").write_text('id = "[/]x"\n')
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(FrameworksScreen())
        await settle(pilot)
        text = shown(app.screen)
        assert FW_TITLE in text and CRIT_TITLE in text and "[/]Emerging [b]" in text
        await pilot.press("down")
        await settle(pilot)
        text = shown(app.screen)
        assert "[b]broken [$accent].toml" in text, text
        await pilot.press("f1")
        await settle(pilot)
        assert app.is_running


async def test_notifications_carry_user_text_literally(hostile: Any) -> None:
    ws, _framework, _repo = hostile
    app = make_app(ws, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify(f"Saved {TITLE} \x1b[2J", title=BOLD)
        app.screen.notify(NOTE, severity="warning")
        await settle(pilot)
        messages = notifications(app)
        assert any(TITLE in m and "\\x1b[2J" in m for m in messages)
        assert not any(RAW.search(m) for m in messages)
        assert app.is_running


@given(st.text())
def test_text_escaped_into_markup_comes_out_as_typed(text: str) -> None:
    from observe.app.plain import in_markup

    shown = escape_controls(text, newlines=True)
    assert Content.from_markup(in_markup(text)).plain == shown
    # As the note hint uses it: our own words follow before the closing tag.
    assert Content.from_markup(f"[i]{in_markup(text)}: kept[/i]").plain == shown + ": kept"


@given(st.lists(st.text() | st.tuples(st.text(), st.sampled_from(["bold", "dim", "b $warning"]))))
def test_styled_parts_come_out_as_typed(parts: list[Any]) -> None:
    from observe.app.plain import styled

    expected = "".join(
        escape_controls(p if isinstance(p, str) else p[0], newlines=True) for p in parts
    )
    assert styled(*parts).plain == expected


@given(st.text(alphabet=st.sampled_from("[]/\\$@=abB #:")))
def test_bracket_soup_escaped_into_markup_comes_out_as_typed(text: str) -> None:
    from observe.app.plain import in_markup

    assert Content.from_markup(in_markup(text)).plain == text
