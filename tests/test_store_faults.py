"""Fault injection: fsync, os.replace and the write each fail in turn during a save.

The file is always exactly the old or the new version, no temp file is left behind, the
failed change stays in memory (pending), and the next save writes it with everything else.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from observe.core.models import Note
from observe.store import atomic, files
from observe.store.repository import OpenSession, Repository


class HalfWriter:
    """A file handle whose write stores half the bytes, then fails as a full disk would."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def fail_nth_fsync(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(errno.EIO, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def fail_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def replace(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", replace)


def fail_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real(*a, **k)))


# name -> (how to break the save, whether the new version reached the file)
FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], bool]] = {
    "fsync of the temp file": (lambda mp: fail_nth_fsync(mp, 1), False),
    "os.replace": (fail_replace, False),
    "write (disk full)": (fail_write, False),
    # replaced already: the file is wholly the new version, only its durability is unknown
    "fsync of the folder": (lambda mp: fail_nth_fsync(mp, 2), True),
}


def add_note(session: OpenSession, n: int) -> None:
    session.add_note(
        Note(id=f"00000000-0000-4000-8000-{n:012d}", at=session.clock(), text=f"note {n} #R1")
    )


def rate(session: OpenSession, n: int) -> None:
    session.rate("Asha Rahman", "R2", 1 + n % 4, comment=f"rating {n}")


def summarise(session: OpenSession, n: int) -> None:
    session.put_summary("asha-rahman", strengths=f"strengths {n}")


OPERATIONS = {"add_note": add_note, "rate": rate, "update": summarise}


def by_id(docs: list[Any]) -> dict[str, Any]:
    return {d.id: d for d in docs}


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if atomic.is_temp(p)]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_failed_save_leaves_old_or_new_file_and_the_next_save_works(
    repo: Repository,
    open_session: OpenSession,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
    operation: str,
) -> None:
    op = OPERATIONS[operation]
    for n in range(3):
        op(open_session, n)
        add_note(open_session, 100 + n)
    path = open_session.path
    old = path.read_bytes()
    before = open_session.record.model_copy(deep=True)

    # The same change, made without a fault on a copy, gives the "new" bytes.
    twin_path = path.with_name("twin.json")
    twin_path.write_bytes(old)
    breaker, reached_disk = FAULTS[fault]
    with monkeypatch.context() as mp:
        breaker(mp)
        with pytest.raises(OSError):
            op(open_session, 7)
    after = path.read_bytes()
    if reached_disk:
        assert after != old
        # the whole new version, valid
        assert by_id(files.read_record(path).notes) == by_id(open_session.record.notes)
    else:
        assert after == old
    # memory keeps the failed change, pending, whatever the disk holds
    assert open_session.pending == 1
    now = open_session.record
    assert now.session.rev >= before.session.rev
    assert set(by_id(before.notes)) <= set(by_id(now.notes))
    assert temp_files(path.parent) == []
    twin_path.unlink()
    assert open_session.save()  # the retry: the whole file from memory
    assert open_session.pending == 0
    on_disk = files.read_record(path)
    assert on_disk.session == open_session.session
    assert by_id(on_disk.notes) == by_id(open_session.record.notes)
    assert by_id(on_disk.ratings) == by_id(open_session.record.ratings)

    # The next save works on top of whatever is on disk, with no duplicate documents.
    op(open_session, 8)
    add_note(open_session, 200)
    data = orjson.loads(path.read_bytes())
    record = files.read_record(path)
    ids = [doc["id"] for doc in data.get("notes", {}).values()]
    assert len(ids) == len(set(ids))
    rating_ids = [doc["id"] for doc in data.get("ratings", {}).values()]
    assert len(rating_ids) == len(set(rating_ids))
    assert any(n.text == "note 200 #R1" for n in record.notes)
    assert record.session.rev >= before.session.rev
    assert by_id(open_session.record.notes) == by_id(record.notes)
    open_session.close()
    reopened = repo.open(path)
    assert by_id(reopened.record.notes) == by_id(record.notes)
    reopened.close()


@pytest.mark.parametrize("fault", list(FAULTS))
def test_write_atomic_is_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    target = tmp_path / "file.json"
    atomic.write_atomic(target, b'{"old": true}\n')
    breaker, reached_disk = FAULTS[fault]
    with monkeypatch.context() as mp:
        breaker(mp)
        with pytest.raises(OSError):
            atomic.write_atomic(target, b'{"new": true}\n' * 1000)
    expected = b'{"new": true}\n' * 1000 if reached_disk else b'{"old": true}\n'
    assert target.read_bytes() == expected
    assert sorted(tmp_path.iterdir()) == [target]
    assert target.stat().st_mode & 0o777 == 0o600
