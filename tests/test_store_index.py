"""The index: refreshed by size and mtime, rebuilt when missing or broken, never parsing
files that did not change."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from observe.core.models import Framework, Note
from observe.services.demo import generate
from observe.store import index as index_module
from observe.store.index import Index
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the index parsed."""
    parsed: list[str] = []
    real = index_module.summarise

    def summarise(name: str, raw: bytes, stat: os.stat_result) -> index_module.Entry:
        parsed.append(name)
        return real(name, raw, stat)

    monkeypatch.setattr(index_module, "summarise", summarise)
    return parsed


@pytest.fixture
def twenty(workspace: Workspace, framework: Framework) -> list[Path]:
    return generate(workspace.sessions_dir, framework, count=20, seed=3)


def test_a_warm_index_parses_nothing_that_did_not_change(
    workspace: Workspace, twenty: list[Path], counted: list[str]
) -> None:
    cold = Index(workspace).refresh()
    assert len(cold) == 20 and len(counted) == 20
    counted.clear()
    warm = Index(workspace).refresh()
    assert counted == []
    assert [e.to_doc() for e in warm] == [e.to_doc() for e in cold]


def test_an_entry_is_refreshed_when_size_or_mtime_change(
    workspace: Workspace, repo: Repository, framework: Framework, counted: list[str]
) -> None:
    session = repo.create(make_meta(), framework)
    Index(workspace).refresh()
    session.add_note(Note(at=repo.clock(), text="first note"))
    counted.clear()
    (entry,) = Index(workspace).refresh()
    assert counted == [session.path.name] and entry.counts["notes"] == 1

    # Same size, new mtime (an edit of one letter): refreshed too.
    stat = session.path.stat()
    session.edit_note(session.record.notes[0].id, text="other note")
    assert session.path.stat().st_size == stat.st_size
    os.utime(session.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    counted.clear()
    (entry,) = Index(workspace).refresh()
    assert counted == [session.path.name] and entry.rev == session.session.rev
    session.close()


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        b"",
        b"{ not json",
        b"[]",
        orjson.dumps({"meta": {"1": {"version": 999}}, "sessions": {}}),
        orjson.dumps(
            {"meta": {"1": {"version": index_module.INDEX_VERSION}}, "sessions": {"1": {"name": 3}}}
        ),
    ],
)
def test_a_missing_or_broken_index_is_rebuilt(
    workspace: Workspace, twenty: list[Path], counted: list[str], damage: object
) -> None:
    expected = [e.to_doc() for e in Index(workspace).refresh()]
    if damage == "missing":
        workspace.index_path.unlink()
    else:
        assert isinstance(damage, bytes)
        workspace.index_path.write_bytes(damage)
    counted.clear()
    index = Index(workspace)
    assert [e.to_doc() for e in index.refresh()] == expected
    assert index.rebuilt and len(counted) == 20
    again = Index(workspace)
    again.refresh()
    assert not again.rebuilt


def test_removed_files_are_dropped_and_new_ones_added(
    workspace: Workspace, twenty: list[Path], framework: Framework, counted: list[str]
) -> None:
    Index(workspace).refresh()
    for path in twenty[:5]:
        path.unlink()
    more = generate(workspace.sessions_dir, framework, count=2, seed=99)
    counted.clear()
    names = [e.name for e in Index(workspace).refresh()]
    assert sorted(counted) == sorted(p.name for p in more)
    assert sorted(names) == sorted(p.name for p in twenty[5:] + more)


def test_the_index_is_private_and_small(workspace: Workspace, twenty: list[Path]) -> None:
    Index(workspace).refresh()
    assert workspace.index_path.stat().st_mode & 0o777 == 0o600
    sessions_bytes = sum(p.stat().st_size for p in twenty)
    assert workspace.index_path.stat().st_size < sessions_bytes / 5


def test_the_live_note_path_never_touches_the_index(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    session = repo.create(make_meta(), framework)
    Index(workspace).refresh()
    before = workspace.index_path.stat().st_mtime_ns, workspace.index_path.read_bytes()
    for n in range(5):
        session.add_note(Note(at=repo.clock(), text=f"note {n}"))
    session.rate("Asha Rahman", "R1", 2)
    session.close()
    after = workspace.index_path.stat().st_mtime_ns, workspace.index_path.read_bytes()
    assert after == before


def test_entries_agree_with_the_full_model_load(workspace: Workspace, twenty: list[Path]) -> None:
    from collections import Counter

    from observe.store import files

    for entry in Index(workspace).refresh():
        record = files.read_record(workspace.sessions_dir / entry.name)
        live = record.live_notes()
        kinds = Counter(n.kind.value for n in live)
        assert entry.counts == {
            "notes": len(live),
            **kinds,
            "ratings": sum(1 for r in record.ratings if r.level is not None),
        }
        assert sorted(map(tuple, entry.ratings)) == sorted(
            (r.facilitator, r.criterion, r.level) for r in record.ratings
        )
        assert entry.id == record.session.id and entry.status == record.session.status.value


def edit_tables(path: Path, change) -> None:
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


def test_odd_but_valid_notes_are_counted_and_bad_ratings_flagged(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    session = repo.create(make_meta(), framework)
    for n in range(3):
        session.add_note(Note(at=repo.clock(), text=f"note {n}"))
    session.rate("Asha Rahman", "R1", 2)
    session.close()
    path = session.path

    def hand_edited(data: dict) -> None:  # someone's script wrote a note without defaults
        data["notes"]["9"] = {"id": "x", "at": "2026-03-04T09:30:00+00:00", "text": "typed"}

    edit_tables(path, hand_edited)
    good = path.read_bytes()
    (entry,) = Index(workspace).refresh()
    assert entry.ok and entry.counts["notes"] == 4 and entry.counts["observation"] == 4

    for change, reason in [
        (lambda d: d["ratings"]["1"].update(level="3"), "level: expected a whole number"),
        (lambda d: d["ratings"]["1"].update(level=True), "level: expected a whole number"),
        (lambda d: d["ratings"]["1"].pop("criterion"), "ratings: each needs"),
        (lambda d: d["ratings"]["1"].update(facilitator=["a"]), "ratings:"),
        (lambda d: d["ratings"].update({"2": 7}), "ratings:"),
    ]:
        edit_tables(path, change)
        (entry,) = Index(workspace).refresh()
        assert not entry.ok and reason in (entry.error or ""), entry.error
        path.write_bytes(good)
        assert Index(workspace).refresh()[0].ok


def test_a_rebuild_on_several_cores_gives_the_same_index(
    workspace: Workspace, framework: Framework
) -> None:
    """A large rebuild forks workers (single-threaded processes only); the result is the same."""
    import json
    import subprocess
    import sys

    ws = workspace
    generate(ws.sessions_dir, framework, count=24, seed=9)
    (ws.sessions_dir / "broken.json").write_text("{not json", encoding="utf-8")
    one_process = [
        e.to_doc()
        for e in index_module._summarise_all(
            ws.sessions_dir, index_module._stat_session_files(ws.sessions_dir)
        )
    ]
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from observe.store import index as ix\n"
        "ix.PARALLEL_FROM = 1\n"
        "folder = Path(sys.argv[1])\n"
        "entries = ix._summarise_all(folder, ix._stat_session_files(folder))\n"
        "print(json.dumps([e.to_doc() for e in entries]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(ws.sessions_dir)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    forked = json.loads(run.stdout)
    key = lambda doc: doc["name"]  # noqa: E731
    assert sorted(forked, key=key) == json.loads(json.dumps(sorted(one_process, key=key)))
    assert len(forked) == 25 and any(doc["error"] for doc in forked)


def test_a_file_that_grew_since_its_stat_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 10)
    stat_before = path.stat()
    path.write_bytes(b"x" * 100_000)
    entry = index_module._summarise_file(tmp_path, "a.json", stat_before)
    assert index_module._read(str(path)) == b"x" * 100_000
    assert entry.size == 10  # the size listed, so the next refresh reads it again
    assert entry.error is not None and "not valid JSON" in entry.error
