"""Hostile bundles and session files: ids that climb out, links, bombs, odd files, drafts.

Each member that is unsafe is refused with its reason; the others still import, and nothing
is ever written outside the workspace.
"""

from __future__ import annotations

import os
import random
import stat
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.core.models import Note, Person, Rating
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_leads import session_tables, write_tables

BAD_IDS = [
    "x/../../../outside/evil",
    "../../outside",
    "/tmp/abs-evil",
    "..",
    "a\\b",
    "Upper-Case",
    "with space",
    "dot.dot",
    "",
    "-leading-dash",
    "x" * 65,
    "nul\x00byte",
    "é-accent",
]


def cli(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output + (result.stderr or "")
    assert "Traceback" not in result.output + (result.stderr or "")
    return result


def tables_for(ws: Workspace, seed: int, status: str = "completed") -> dict[str, Any]:
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    tables = session_tables(random.Random(seed), framework)
    next(iter(tables["session"].values()))["status"] = status
    return tables


def session_doc(tables: dict[str, Any]) -> dict[str, Any]:
    return next(iter(tables["session"].values()))


def zip_members(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, raw in members:
            zf.writestr(name, raw)
    return path


def everything_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Workspace]:
    """A workspace two folders down, so that '..' has somewhere to climb to."""
    root = tmp_path / "box"
    ws = Workspace(root / "a" / "ws").ensure(seed=True)
    return root, ws


# ---------------------------------------------------------------- ids at the models


@pytest.mark.parametrize("bad", BAD_IDS)
def test_models_refuse_ids_that_are_not_uuids_or_short_slugs(bad: str) -> None:
    with pytest.raises(ValueError):
        Person(id=bad, name="Someone")
    with pytest.raises(ValueError):
        Note(id=bad, at="2026-03-04T09:30:00+00:00", text="x")
    with pytest.raises(ValueError):
        Rating(id=bad, facilitator="asha", criterion="R1")
    with pytest.raises(ValueError):
        Rating(id="r1", facilitator=bad, criterion="R1")


def test_the_ids_the_app_makes_are_valid() -> None:
    long_name = "Maria " * 30
    for name in ["Siân O'Neil", "זהבה", "👩🏾‍🏫", long_name, "  x  ", "A--B"]:
        person = Person.named(name)
        assert Person(id=person.id, name=name) == person
        assert len(person.id) <= 64
    sid = "11111111-1111-4111-8111-111111111111"
    Rating(id=Rating.id_for(sid, "asha-rahman", "R1"), facilitator="asha-rahman", criterion="R1")
    Note(at="2026-03-04T09:30:00+00:00", text="x")  # a fresh uuid4


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_any_name_gives_a_valid_person_id(name: str) -> None:
    if not name.strip():
        return
    person = Person.named(name)
    assert Person(id=person.id, name=person.name).id == person.id


# ---------------------------------------------------------------- ids from a bundle


def test_a_facilitator_id_that_climbs_is_refused_and_nothing_leaves_the_workspace(
    sandbox: tuple[Path, Workspace], tmp_path: Path
) -> None:
    root, ws = sandbox
    hostile = tables_for(ws, 1)
    doc = session_doc(hostile)
    evil = "x/../../../outside/evil"
    doc["meta"]["facilitators"][0]["id"] = evil
    for rating in hostile["ratings"].values():
        rating["facilitator"] = evil
    good = tables_for(ws, 2)
    zpath = zip_members(
        tmp_path / "b.zip",
        [
            ("sessions/evil.json", orjson.dumps(hostile)),
            ("sessions/good.json", orjson.dumps(good)),
        ],
    )
    before = everything_under(root)
    result = cli(ws, "import", str(zpath), code=2)
    assert "1 added" in result.output
    (line,) = result.stderr.splitlines()
    assert "b.zip:sessions/evil.json" in line and "id" in line
    cli(ws, "export", session_doc(good)["id"][:8])
    created = everything_under(root) - before
    assert created and all(ws.root in p.parents for p in created), created
    assert not (root / "outside").exists()


@pytest.mark.parametrize("bad", ["../../../outside/evil", "ABSOLUTE", "..", "a/b"])
def test_a_session_id_that_climbs_is_refused_and_the_members_after_it_import(
    sandbox: tuple[Path, Workspace], tmp_path: Path, bad: str
) -> None:
    root, ws = sandbox
    hostile = tables_for(ws, 3)
    absolute = tmp_path / "abs-evil"
    session_doc(hostile)["id"] = str(absolute) if bad == "ABSOLUTE" else bad
    members = [("sessions/evil.json", orjson.dumps(hostile))]
    members += [(f"sessions/good{i}.json", orjson.dumps(tables_for(ws, 10 + i))) for i in range(2)]
    zpath = zip_members(tmp_path / "b.zip", members)
    before = everything_under(root)
    result = cli(ws, "import", str(zpath), code=2)
    assert "2 added" in result.output
    (line,) = result.stderr.splitlines()
    assert "sessions/evil.json" in line and "session" in line and "id" in line
    created = everything_under(root) - before
    assert all(ws.root in p.parents for p in created), created
    assert not list(tmp_path.glob("abs-evil*"))


@pytest.mark.parametrize("where", ["note", "rating", "observer", "note-facilitator"])
def test_bad_ids_anywhere_in_a_session_refuse_that_session_only(
    sandbox: tuple[Path, Workspace], tmp_path: Path, where: str
) -> None:
    _, ws = sandbox
    hostile = tables_for(ws, 4)
    while not hostile["notes"] or not hostile["ratings"]:
        hostile = tables_for(ws, random.randrange(1000))
    evil = "../evil"
    if where == "note":
        next(iter(hostile["notes"].values()))["id"] = evil
    elif where == "rating":
        next(iter(hostile["ratings"].values()))["id"] = evil
    elif where == "observer":
        session_doc(hostile)["meta"]["observer"]["id"] = evil
    else:
        next(iter(hostile["notes"].values()))["facilitators"] = [evil]
    zpath = zip_members(
        tmp_path / "b.zip",
        [
            ("sessions/x.json", orjson.dumps(hostile)),
            ("sessions/y.json", orjson.dumps(tables_for(ws, 5))),
        ],
    )
    result = cli(ws, "import", str(zpath), code=2)
    assert "1 added" in result.output
    assert "not a valid id" in result.stderr


def test_a_session_file_with_a_bad_id_in_the_workspace_is_listed_unreadable(
    workspace: Workspace,
) -> None:
    tables = tables_for(workspace, 6)
    path = write_tables(workspace, tables)
    data = orjson.loads(path.read_bytes())
    session_doc(data)["meta"]["facilitators"][0]["id"] = "../../x"
    path.write_bytes(orjson.dumps(data))
    listing = orjson.loads(cli(workspace, "sessions", "--format", "json").output)
    (entry,) = listing if isinstance(listing, list) else listing["sessions"]
    assert "not a valid id" in str(entry)
    cli(workspace, "export", session_doc(tables)["id"][:8], code=2)
    assert not workspace.exports_dir.exists() or not any(workspace.exports_dir.iterdir())


def test_the_fixture_sessions_in_the_repository_still_load() -> None:
    here = Path(__file__).parent.parent / "sessions"
    for path in files.session_files(here):
        files.read_record(path)


# ---------------------------------------------------------------- odd members and files


def test_links_bombs_and_schemas_in_one_bundle(
    sandbox: tuple[Path, Workspace], tmp_path: Path
) -> None:
    root, ws = sandbox
    good = orjson.dumps(tables_for(ws, 7))
    wrong_schema = tables_for(ws, 8)
    session_doc(wrong_schema)["schema"] = "one"
    deep = b'{"session": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    zpath = tmp_path / "h.zip"
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        link = zipfile.ZipInfo("sessions/link.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "../../../../etc/passwd")
        zf.writestr("sessions/../../up.json", good)
        zf.writestr("C:/windows.json", good)
        zf.writestr("sessions/bomb.json", b"\x00" * (70 * 1024 * 1024))
        zf.writestr("sessions/schema.json", orjson.dumps(wrong_schema))
        zf.writestr("sessions/deep.json", deep)
        zf.writestr("sessions/list.json", b"[]")
        zf.writestr("sessions/good.json", good)
    before = everything_under(root)
    result = cli(ws, "import", str(zpath), code=2)
    assert "1 added" in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 7, lines
    assert "sessions/deep.json: not imported: nested too deeply" in result.stderr
    created = everything_under(root) - before
    assert all(ws.root in p.parents for p in created)


@pytest.mark.timeout(30)
def test_a_fifo_is_refused_without_hanging(sandbox: tuple[Path, Workspace], tmp_path: Path) -> None:
    _, ws = sandbox
    folder = tmp_path / "incoming"
    folder.mkdir()
    os.mkfifo(folder / "pipe.json")
    write_tables(Workspace(tmp_path / "other").ensure(seed=True), tables_for(ws, 9))
    (folder / "good.json").write_bytes(
        next((tmp_path / "other" / "sessions").glob("*.json")).read_bytes()
    )
    result = cli(ws, "import", str(folder), code=2)
    assert "1 added" in result.output
    assert "pipe.json" in result.stderr and "not a regular file" in result.stderr
    result = cli(ws, "import", str(folder / "pipe.json"), code=2)
    assert "not a regular file" in result.stderr


@pytest.mark.timeout(30)
def test_a_fifo_in_sessions_is_listed_unreadable_without_hanging(workspace: Workspace) -> None:
    write_tables(workspace, tables_for(workspace, 10))
    os.mkfifo(workspace.sessions_dir / "2026-01-01_pipe_abcdef12.json")
    result = cli(workspace, "sessions", "--format", "json")
    assert "not a regular file" in result.output


def test_a_huge_session_file_is_listed_unreadable(workspace: Workspace) -> None:
    path = workspace.sessions_dir / "2026-01-01_huge_abcdef12.json"
    with path.open("wb") as f:
        f.truncate(files.MAX_SESSION_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(Exception, match="too large"):
        files.read_record(path)
    result = cli(workspace, "sessions", "--format", "json")
    assert "too large" in result.output


def test_deeply_nested_session_json_is_unreadable_not_a_crash(workspace: Workspace) -> None:
    path = workspace.sessions_dir / "2026-01-01_deep_abcdef12.json"
    tables = tables_for(workspace, 11)
    session_doc(tables)["meta"]["extra"] = "HOLE"
    raw = orjson.dumps(tables).replace(b'"HOLE"', b"[" * 5000 + b"]" * 5000)
    path.write_bytes(raw)
    with pytest.raises(Exception, match="nested too deeply"):
        files.read_record(path)
    result = cli(workspace, "sessions", "--format", "json")
    assert "nested too deeply" in result.output


@pytest.mark.timeout(30)
def test_settling_a_fifo_or_a_file_with_a_bad_id_is_one_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    fifo = tmp_path / "2026-01-01_pipe_abcdef12.json"
    os.mkfifo(fifo)
    result = cli(workspace, "conflicts", "settle", str(fifo), "n1", "--keep", "1", code=2)
    assert "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1
    hostile = tables_for(workspace, 15)
    session_doc(hostile)["id"] = "../../evil"
    bad = tmp_path / "2026-01-01_evil_abcdef12.json"
    bad.write_bytes(orjson.dumps(hostile))
    result = cli(workspace, "conflicts", "settle", str(bad), "n1", "--keep", "1", code=2)
    assert "not a valid id" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path.parent / ".evil.lock").exists()
