"""Attacks on saving: a full disk, an unwritable folder, failures at random writes.

Whatever fails, nothing acknowledged is dropped: every change stays in memory, the writer
tries again (after a pause, and at once on the next change), the next write carries them all,
the screens say "not saved" until a write succeeds, and quitting asks first.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Static

from observe.app.application import make_app
from observe.app.dialogs.unsaved import UnsavedChanges
from observe.app.screens.review import ReviewScreen
from observe.app.widgets.save_status import SaveStatus
from observe.core.frameworks import load_all
from observe.core.models import Framework, Note
from observe.core.notetext import parse
from observe.services import session_writer
from observe.services.session_owner import SessionOwner
from observe.store import codec, files
from observe.store.repository import OpenSession, Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta
from tests.helpers_disk import Faults, fill, read_only, small_tmpfs
from tests.helpers_live import enter_text, live_app, session_path, stored, type_note
from tests.helpers_report import build_session


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(session_writer, "RETRY_S", (0.05, 0.1))
    # Emergency copies go to the user's data folder: a private one for each test.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def texts_on_disk(path: Path) -> list[str]:
    return sorted(n.text for n in files.read_record(path).live_notes())


@pytest.fixture
def owner(repo: Repository, framework: Framework) -> Iterator[SessionOwner]:
    owner = SessionOwner(repo.create(make_meta(), framework))
    yield owner
    owner.abandon()


def note(owner: SessionOwner, text: str, draft: str = "") -> None:
    owner.add_note(parse(text, owner.vocab), draft=draft)


# ---------------------------------------------------------------- fault injection


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EIO, errno.EROFS])
def test_a_failed_write_keeps_every_change_and_the_retry_writes_them_all(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    note(owner, "before the fault")
    assert owner.flush()
    faults = Faults(monkeypatch, code)
    faults.on = True
    note(owner, "first while failing")
    owner.rate("asha-rahman", "R1", 3)
    owner.save_draft("typed, not entered")
    wait_until(lambda: owner.save_state.failing)
    assert not owner.flush(1.0)
    assert texts_on_disk(owner.path) == ["before the fault"]
    state = owner.save_state
    assert state.pending == 3 and state.error
    # The writer keeps trying on its own: no change is needed for the retry.
    tries = faults.calls
    wait_until(lambda: faults.calls > tries + 1)
    faults.on = False
    wait_until(lambda: owner.pending == 0)
    assert not owner.save_state.failing
    record = files.read_record(owner.path)
    assert texts_on_disk(owner.path) == ["before the fault", "first while failing"]
    assert [(r.criterion, r.level) for r in record.ratings] == [("R1", 3)]
    assert files.read_draft(files.parse_raw(owner.path.read_bytes())) == "typed, not entered"


def test_the_next_change_retries_at_once_and_carries_the_earlier_ones(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_writer, "RETRY_S", (60.0,))  # no timed retry in this test
    faults = Faults(monkeypatch)
    faults.on = True
    note(owner, "lost today")
    wait_until(lambda: owner.save_state.failing)
    faults.on = False
    note(owner, "the next note")
    wait_until(lambda: owner.pending == 0)
    assert texts_on_disk(owner.path) == ["lost today", "the next note"]


def test_a_new_session_whose_first_write_fails_is_written_later(
    repo: Repository, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch)
    faults.on = True
    owner = SessionOwner.create(repo, make_meta(), framework)
    note(owner, "noted before the file existed")
    wait_until(lambda: owner.save_state.failing)
    assert not owner.path.exists()
    faults.on = False
    owner.close()  # at once if the next try is the one that works, else after it
    wait_until(lambda: owner.closed)
    assert texts_on_disk(owner.path) == ["noted before the file existed"]


def test_closing_with_unsaved_changes_keeps_the_session_open_until_they_are_written(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch)
    faults.on = True
    note(owner, "written when the disk comes back")
    assert not owner.close(timeout=0.5)
    assert not owner.closed and owner.pending == 1
    faults.on = False
    wait_until(lambda: owner.closed)
    assert texts_on_disk(owner.path) == ["written when the disk comes back"]


def test_copies_elsewhere_are_complete_private_session_files(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    faults = Faults(monkeypatch)
    note(owner, "on disk")
    assert owner.flush()
    faults.on = True
    note(owner, "only in memory", draft="half a tho")
    wait_until(lambda: owner.save_state.failing)
    faults.on = False  # os.replace works for the copies; the session's own folder stays bad
    (tmp_path / "usb").mkdir()
    copy = owner.write_copy(tmp_path / "usb")
    assert copy.name == owner.path.name
    with pytest.raises(FileExistsError):
        owner.write_copy(tmp_path / "usb")  # never over an existing file
    with pytest.raises(ValueError):
        owner.write_copy(owner.path.parent)
    rescue = owner.write_emergency_copy()
    assert rescue.name == f"{owner.session.id}.json"
    assert rescue.is_relative_to(tmp_path / "data")
    for path in (copy, rescue):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert texts_on_disk(path) == ["on disk", "only in memory"]
        assert files.read_draft(files.parse_raw(path.read_bytes())) == "half a tho"


def test_the_emergency_copy_falls_back_to_the_next_folder(
    owner: SessionOwner, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    target = owner.write_emergency_copy(iter([blocked / "sub", tmp_path / "second"]))
    assert target.parent == tmp_path / "second"


# ---------------------------------------------------------------- a real small disk


def test_a_full_tmpfs_loses_nothing_and_writes_once_space_is_freed(
    tmp_path: Path, framework: Framework
) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        ws = Workspace(disk / "ws").ensure(seed=True)
        owner = SessionOwner(Repository(ws, clock=FakeClock()).create(make_meta(), framework))
        try:
            note(owner, "before the disk filled")
            assert owner.flush()
            filler = fill(disk)
            for n in range(5):
                note(owner, f"typed on a full disk {n} " + "x" * 2000)
            wait_until(lambda: owner.save_state.failing)
            assert owner.save_state.error == "the disk is full"
            assert texts_on_disk(owner.path) == ["before the disk filled"]
            assert not [p for p in owner.path.parent.iterdir() if p.name.startswith(".tmp-")]
            filler.unlink()
            wait_until(lambda: owner.pending == 0)
            assert len(texts_on_disk(owner.path)) == 6
        finally:
            owner.abandon()


def test_a_read_only_sessions_folder_loses_nothing(
    repo: Repository, framework: Framework, workspace: Workspace
) -> None:
    owner = SessionOwner(repo.create(make_meta(), framework))
    try:
        assert owner.flush()
        with read_only(workspace.sessions_dir):
            note(owner, "typed while the folder is read-only")
            wait_until(lambda: owner.save_state.failing)
            assert owner.save_state.error == "the sessions folder cannot be written"
            assert texts_on_disk(owner.path) == []
        wait_until(lambda: owner.pending == 0)
        assert texts_on_disk(owner.path) == ["typed while the folder is read-only"]
    finally:
        owner.abandon()


# ---------------------------------------------------------------- any changes, failures anywhere

CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["note", "edit", "delete", "rate", "draft", "summary", "pause"]),
        st.integers(0, 40),
        st.booleans(),  # whether the write after this change fails
    ),
    max_size=20,
)


@settings(max_examples=40, deadline=None)
@given(changes=CHANGES)
def test_any_changes_with_failed_writes_end_with_the_file_equal_to_memory(
    changes: list[tuple[str, int, bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws").ensure(seed=True)
        clock = FakeClock()
        framework = load_all(ws.criteria_dir).get("good-facilitation")
        session = Repository(ws, clock=clock).create(make_meta(), framework)
        failing = {"on": False}
        real = os.replace

        def replace(src: str, dst: str) -> None:
            if failing["on"]:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(src, dst)

        try:
            with mock.patch.object(os, "replace", replace):
                for kind, n, fails in changes:
                    clock.advance(1)
                    apply_change(session, kind, n)
                    before = session.path.read_bytes()
                    failing["on"] = fails
                    try:
                        session.save()
                    except OSError:
                        assert fails and session.path.read_bytes() == before
                        assert session.pending > 0
                    else:
                        assert session.pending == 0
                failing["on"] = False
                session.save()
            assert session.pending == 0
            record, draft, _ = codec.decode(session.path.read_bytes())
            memory = session.record
            assert record.session == memory.session
            assert record.summaries == memory.summaries
            assert by_id(record.notes) == by_id(memory.notes)
            assert by_id(record.ratings) == by_id(memory.ratings)
            assert draft == session.draft
        finally:
            session.close()


def by_id(docs: list[Any]) -> dict[str, Any]:
    return {d.id: d for d in docs}


def apply_change(session: OpenSession, kind: str, n: int) -> None:
    notes = session.record.notes
    if kind == "note" or (kind in ("edit", "delete") and not notes):
        session.apply_note(Note(at=session.clock(), text=f"note {n} #R1", criteria=["R1"]))
    elif kind == "edit":
        session.apply_note(session.edited(notes[n % len(notes)].id, text=f"edited {n}"))
    elif kind == "delete":
        note = notes[n % len(notes)]
        session.apply_note(session.edited(note.id, deleted=not note.deleted))
    elif kind == "rate":
        session.apply_rating(session.rated("asha-rahman", f"R{1 + n % 3}", 1 + n % 4))
    elif kind == "draft":
        session.apply_draft(f"draft {n}" if n % 5 else "")
    elif kind == "summary":
        session.apply_summary(session.summarised("asha-rahman", strengths=f"strengths {n}"))
    else:
        clock = session.session.clock.model_copy(update={"paused_s": float(n)})
        session.apply_session(session.updated(clock=clock))


# ---------------------------------------------------------------- the screens


async def wait_for(
    pilot: Pilot, condition: Callable[[], bool], what: Callable[[], object] = str
) -> None:
    end = time.monotonic() + 10.0
    while not condition():
        assert time.monotonic() < end, f"timed out: {what()}"
        await pilot.pause(0.05)


def shown(widget: SaveStatus) -> str:
    return str(widget.content) if widget.has_class("-failing") else ""


async def test_the_live_screen_says_not_saved_until_a_write_succeeds(
    workspace: Workspace, framework: Framework, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.write_all()
        status = app.screen.query_one(SaveStatus)
        assert shown(status) == ""
        faults.on = True
        await type_note(pilot, "kept while the disk is full")
        await type_note(pilot, "and this one")
        await wait_for(pilot, lambda: "changes waiting" in shown(status), lambda: shown(status))
        assert "the disk is full" in shown(status)
        faults.on = False
        await wait_for(pilot, lambda: shown(status) == "")
        record = stored(app)
        assert [n.text for n in record.notes] == ["kept while the disk is full", "and this one"]


async def test_the_wrap_up_screen_says_not_saved_too(
    workspace: Workspace, framework: Framework, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.write_all()
        await pilot.press("f10")
        await pilot.pause()
        faults.on = True
        await pilot.press("tab")
        await enter_text(pilot, "Clear framing")
        await pilot.press("tab")  # leaving the box saves it
        status = app.screen.query_one(SaveStatus)
        await wait_for(pilot, lambda: "1 change waiting" in shown(status))
        faults.on = False
        await wait_for(pilot, lambda: shown(status) == "")
        assert stored(app).summary("asha-rahman").strengths == "Clear framing"


async def quit_while_failing(pilot: Pilot, faults: Faults, text: str = "only in memory") -> None:
    await pilot.pause()
    assert pilot.app.write_all()
    faults.on = True
    await type_note(pilot, text)
    await pilot.press("ctrl+q")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnsavedChanges))


async def test_quit_with_unsaved_changes_asks_and_try_again_writes_them(
    workspace: Workspace, framework: Framework, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await quit_while_failing(pilot, faults)
        # The note, and the draft if the pause before Enter was long enough to save it.
        title = str(app.screen.query_one(".dialog-title", Static).content)
        assert title in ("1 change not saved", "2 changes not saved")
        await pilot.press("r")  # still failing: asked again
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedChanges))
        await pilot.press("escape")  # keep working
        await wait_for(pilot, lambda: not isinstance(app.screen, UnsavedChanges))
        faults.on = False
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    path = session_path(workspace)
    assert texts_on_disk(path) == ["only in memory"]
    assert app.exit_notes == []


async def test_quit_can_write_the_session_to_another_folder(
    workspace: Workspace,
    framework: Framework,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    usb = tmp_path / "usb"
    usb.mkdir()
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await quit_while_failing(pilot, faults)
        await pilot.press("w")
        await pilot.pause()
        await enter_text(pilot, str(usb))
        await pilot.press("enter")
        await wait_for(pilot, lambda: not app.is_running)
    (copy,) = usb.iterdir()
    assert copy.name == session_path(workspace).name
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert texts_on_disk(copy) == ["only in memory"]
    assert texts_on_disk(session_path(workspace)) == []
    assert app.exit_notes == [f"observe: the session was written to {copy}"]


async def test_quit_and_lose_them_is_explicit(
    workspace: Workspace, framework: Framework, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await quit_while_failing(pilot, faults)
        await pilot.press("l")
        await wait_for(pilot, lambda: not app.is_running)
    faults.on = False
    assert texts_on_disk(session_path(workspace)) == []
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "observe").exists()  # no copy: as asked
    Repository(workspace).open(session_path(workspace)).close()  # the lock was let go


async def test_an_exit_without_asking_copies_the_unsaved_session_and_says_where(
    workspace: Workspace, framework: Framework, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = live_app(workspace, make_meta(), framework, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.write_all()
        faults.on = True
        await type_note(pilot, "typed as the app was stopped")
        await enter_text(pilot, "and a draft")
    (note_line,) = app.exit_notes
    copy = Path(note_line.rsplit(" ", 1)[-1])
    assert copy.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
    assert texts_on_disk(copy) == ["typed as the app was stopped"]
    assert files.read_draft(files.parse_raw(copy.read_bytes())) == "and a draft"


async def test_the_review_screen_says_not_saved_too(
    workspace: Workspace, repo: Repository, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        path = session.path
    faults = Faults(monkeypatch, only=workspace.sessions_dir)
    app = make_app(workspace, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ReviewScreen(path))
        await pilot.pause()
        assert app.write_all()
        faults.on = True
        await pilot.press("f4")
        await pilot.pause()
        await enter_text(pilot, "I rushed the close")
        status = app.screen.query_one(SaveStatus)
        await wait_for(pilot, lambda: "1 change waiting" in shown(status), lambda: shown(status))
        faults.on = False
        await wait_for(pilot, lambda: shown(status) == "")
        response = Repository(workspace).load(path).response("asha-rahman")
        assert response.reflection == "I rushed the close"


@settings(max_examples=15, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["note", "rate", "draft", "summary", "delete"]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_the_owner_ends_with_the_file_equal_to_memory_whatever_writes_fail(
    steps: list[tuple[str, bool]],
) -> None:
    """The owner's thread against writes failing at random: once one succeeds, the file is
    everything in memory."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws").ensure(seed=True)
        clock = FakeClock()
        framework = load_all(ws.criteria_dir).get("good-facilitation")
        owner = SessionOwner(Repository(ws, clock=clock).create(make_meta(), framework))
        failing = {"on": False}
        real = os.replace

        def replace(src: str, dst: str) -> None:
            if failing["on"]:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(src, dst)

        try:
            with (
                mock.patch.object(os, "replace", replace),
                mock.patch.object(session_writer, "RETRY_S", (0.01,)),
            ):
                for n, (kind, fails) in enumerate(steps):
                    failing["on"] = fails
                    clock.advance(1)
                    if kind == "note":
                        note(owner, f"note {n} #R1")
                    elif kind == "rate":
                        owner.rate("asha-rahman", f"R{1 + n % 3}", 1 + n % 4)
                    elif kind == "draft":
                        owner.save_draft(f"draft {n}")
                    elif kind == "summary":
                        owner.set_summary("asha-rahman", "strengths", f"strengths {n}")
                    else:
                        owner.delete_last()
                failing["on"] = False
                wait_until(lambda: owner.pending == 0)
            record, draft, _ = codec.decode(owner.path.read_bytes())
            memory = owner.record
            assert record.session == memory.session
            assert record.summaries == memory.summaries
            assert by_id(record.notes) == by_id(memory.notes)
            assert by_id(record.ratings) == by_id(memory.ratings)
            assert draft == owner.draft
        finally:
            owner.abandon()


def test_an_emergency_copy_makes_every_folder_private(owner: SessionOwner, tmp_path: Path) -> None:
    """The rescue folder's missing parents are made 0700 too, not with the umask's 0755."""
    target = tmp_path / "home" / ".local" / "share" / "observe" / "unsaved"
    written = owner.write_emergency_copy(iter([target]))
    assert written.parent == target
    for folder in (target, *list(target.parents)[:4]):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_an_emergency_copy_passes_over_a_file_where_its_folder_should_be(
    owner: SessionOwner, tmp_path: Path
) -> None:
    (tmp_path / "blocked").write_text("a file")
    written = owner.write_emergency_copy(iter([tmp_path / "blocked" / "x", tmp_path / "ok"]))
    assert written.parent == tmp_path / "ok"
