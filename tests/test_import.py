"""Import and bundles: order-independent, idempotent, safe against hostile zips."""

from __future__ import annotations

import copy
import json
import random
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.store.importer import import_paths
from observe.store.lock import is_lock
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_leads import session_tables, write_tables


def cli(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output + (result.stderr or "")
    return result


def new_ws(root: Path, name: str) -> Workspace:
    return Workspace(root / name).ensure(seed=True)


def documents(ws: Workspace) -> dict[str, Any]:
    """Every document of every session file, keyed by file, table and id (doc_ids left out)."""
    out: dict[str, Any] = {}
    for path in sorted(ws.sessions_dir.glob("*.json")):
        data = orjson.loads(path.read_bytes())
        for table, docs in data.items():
            for doc in docs.values():
                key = f"{doc.get('table', '')}:{doc['id']}"
                out[f"{path.name}/{table}/{key}"] = doc
    return out


def edit_note(tables: dict[str, Any], text: str, deleted: bool = False, which: int = 0) -> None:
    note = list(tables["notes"].values())[which]
    note.update(rev=note["rev"] + 1, text=text, deleted=deleted)


@pytest.fixture
def two_observers(tmp_path: Path) -> tuple[Workspace, Workspace, str]:
    """Two workspaces sharing one session edited on both sides, plus sessions of their own."""
    a, b = new_ws(tmp_path, "a"), new_ws(tmp_path, "b")
    framework = load_all(a.criteria_dir).get("good-facilitation")
    rng = random.Random(3)
    shared = session_tables(rng, framework, status=None)
    while len(shared["notes"]) < 3:
        shared = session_tables(rng, framework)
    mine, theirs = copy.deepcopy(shared), copy.deepcopy(shared)
    edit_note(mine, "seen by A")  # the same note edited on both machines: a conflict
    edit_note(theirs, "seen by B")
    edit_note(mine, "gone", deleted=True, which=1)  # a tombstone on A only
    write_tables(a, mine)
    write_tables(b, theirs)
    for _ in range(3):
        write_tables(a, session_tables(rng, framework))
        write_tables(b, session_tables(rng, framework))
    return a, b, next(iter(shared["session"].values()))["id"]


def bundle(ws: Workspace, out: Path) -> Path:
    result = cli(ws, "bundle", "--out", str(out))
    assert "sessions" in result.output
    return out


def test_bundles_import_the_same_in_either_order_and_twice_changes_nothing(
    tmp_path: Path, two_observers: tuple[Workspace, Workspace, str]
) -> None:
    a, b, shared_id = two_observers
    za, zb = bundle(a, tmp_path / "a.zip"), bundle(b, tmp_path / "b.zip")
    manifest = json.loads(zipfile.ZipFile(za).read("manifest.json"))
    assert {"id", "rev", "sha256", "file"} <= set(manifest["sessions"][0])
    assert manifest["observe"]

    one, two = new_ws(tmp_path, "c1"), new_ws(tmp_path, "c2")
    first = cli(one, "import", str(za))
    assert "4 added" in first.output
    out = cli(one, "import", str(zb)).output
    assert "3 added, 1 updated" in out and "1 new conflicts" in out
    assert f"conflict: session {shared_id[:8]}" in out
    cli(two, "import", str(zb))
    cli(two, "import", str(za))
    assert documents(one) == documents(two)
    assert len(list(one.sessions_dir.glob("*.json"))) == 7

    before = {p.name: p.read_bytes() for p in one.sessions_dir.glob("*.json")}
    again = cli(one, "import", str(za), str(zb)).output
    assert "0 added, 0 updated, 8 unchanged, 0 new conflicts" in again
    assert {p.name: p.read_bytes() for p in one.sessions_dir.glob("*.json")} == before

    # The tombstone from A won; both edits of the conflicting note are kept for a person.
    path = next(one.sessions_dir.glob(f"*_{shared_id[:8]}.json"))
    record = Repository(one).load(path)
    assert sum(n.deleted for n in record.notes) >= 1
    from observe.store.index import Index

    counts = {e.id: e.conflicts for e in Index(one).refresh()}
    assert counts[shared_id] == 1 and sum(counts.values()) == 1
    listing = cli(one, "conflicts").output
    assert "seen by A" in listing and "seen by B" in listing
    texts = [line for line in listing.splitlines() if "seen by B" in line]
    number = texts[0].split()[0]
    note_id = json.loads(cli(one, "conflicts", "list", "--format", "json").output)[0]["document"]
    settled = cli(one, "conflicts", "settle", shared_id[:8], note_id[:8], "--keep", number)
    assert "settled" in settled.output
    assert "No conflicts." in cli(one, "conflicts").output
    assert all(e.conflicts == 0 for e in Index(one).refresh())
    kept = next(n for n in Repository(one).load(path).notes if n.id == note_id)
    assert kept.text == "seen by B" and kept.rev == 3


def test_import_of_files_and_folders(tmp_path: Path, two_observers: Any) -> None:
    a, _, _ = two_observers
    target = new_ws(tmp_path, "t")
    one_file = sorted(a.sessions_dir.glob("*.json"))[0]
    assert "1 added" in cli(target, "import", str(one_file)).output
    assert "3 added, 0 updated, 1 unchanged" in cli(target, "import", str(a.sessions_dir)).output


def hostile_zip(path: Path, good: bytes, framework_tables: dict[str, Any]) -> None:
    newer = copy.deepcopy(framework_tables)
    next(iter(newer["session"].values()))["schema"] = 99
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("../escape.json", good)
        zf.writestr("/abs/escape.json", good)
        link = zipfile.ZipInfo("sessions/link.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("sessions/bomb.json", b" " * (80 * 1024 * 1024))
        zf.writestr("sessions/dense.json", b" " * (8 * 1024 * 1024))  # small, but ratio ~1000
        zf.writestr("sessions/notes.json", b'{"hello": "not a session"}')
        zf.writestr("sessions/newer.json", orjson.dumps(newer))
        zf.writestr("readme.txt", b"hello")
        zf.writestr("sessions/good.json", good)


def test_hostile_bundle_members_are_refused_one_by_one(tmp_path: Path) -> None:
    target = new_ws(tmp_path / "inner", "ws")
    framework = load_all(target.criteria_dir).get("good-facilitation")
    tables = session_tables(random.Random(5), framework)
    zpath = tmp_path / "hostile.zip"
    hostile_zip(zpath, orjson.dumps(tables), tables)
    result = cli(target, "import", str(zpath), code=2)
    assert "1 added" in result.output  # the good member still imports
    errors = result.stderr.splitlines()
    assert len(errors) == 8
    assert all(line.startswith("observe: refused hostile.zip:") for line in errors)
    text = result.stderr
    assert "climbs out" in text and "absolute" in text and "symbolic link" in text
    assert "too large" in text and "compression ratio" in text
    assert "not a session" in text and "schema 99 is newer" in text
    assert "Traceback" not in result.output + text
    assert not (tmp_path / "inner" / "escape.json").exists()
    assert not (tmp_path / "escape.json").exists()
    assert [p.name for p in target.sessions_dir.iterdir() if not is_lock(p)] == [
        next(target.sessions_dir.glob("*.json")).name
    ]


def test_a_lying_member_size_is_caught_while_streaming(tmp_path: Path) -> None:
    from observe.store.bundle import Refused, read_bundle

    zpath = tmp_path / "liar.zip"
    with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sessions/x.json", b"{" + b" " * 5000 + b"}")
    raw = bytearray(zpath.read_bytes())
    # Shrink the declared size in the central directory to 10 bytes.
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    zpath.write_bytes(bytes(raw))
    (item,) = list(read_bundle(zpath))
    assert isinstance(item, Refused)


def test_not_a_zip_and_missing_paths_are_refused(tmp_path: Path) -> None:
    target = new_ws(tmp_path, "ws")
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2")
    result = cli(target, "import", str(junk), str(tmp_path / "missing.zip"), code=2)
    assert "not valid JSON" in result.stderr and "no such file" in result.stderr


def test_open_or_unreadable_local_sessions_are_never_written(tmp_path: Path) -> None:
    target, source = new_ws(tmp_path, "t"), new_ws(tmp_path, "s")
    framework = load_all(target.criteria_dir).get("good-facilitation")
    rng = random.Random(9)
    base = session_tables(rng, framework)
    path = write_tables(target, base)
    newer = copy.deepcopy(base)
    edit_note(newer, "changed elsewhere")
    write_tables(source, newer)
    before = path.read_bytes()
    with Repository(target).open(path):
        result = cli(target, "import", str(source.sessions_dir), code=2)
    assert "already open" in result.stderr
    assert path.read_bytes() == before

    broken = session_tables(rng, framework)
    broken_path = write_tables(target, broken)
    broken_path.write_bytes(b"{ not json")
    write_tables(source, broken)
    result = cli(target, "import", str(source.sessions_dir), code=2)
    assert "unreadable" in result.stderr and broken_path.name in result.stderr
    assert broken_path.read_bytes() == b"{ not json"
    assert "1 updated" in result.output  # the other session still merged


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 1), st.sampled_from(["x", "y"])),
        min_size=1,
        max_size=6,
    ),
    order=st.permutations([0, 1, 2]),
)
def test_import_order_never_changes_the_result(
    edits: list[tuple[int, int, str]], order: list[int]
) -> None:
    """Three copies of one session, edited apart, imported in any order: the same files."""
    root = Path(tempfile.mkdtemp(prefix="observe-order-"))
    try:
        framework = load_all(new_ws(root, "seed").criteria_dir).get("good-facilitation")
        rng = random.Random(1)
        base = session_tables(rng, framework)
        while len(base["notes"]) < 2:
            base = session_tables(rng, framework)
        copies = [copy.deepcopy(base) for _ in range(3)]
        for which, note, text in edits:
            edit_note(copies[which], text, deleted=text == "y" and note == 1, which=note)
        sources = []
        for i, tables in enumerate(copies):
            ws = new_ws(root, f"src{i}")
            write_tables(ws, tables)
            sources.append(ws.sessions_dir)
        straight, shuffled = new_ws(root, "one"), new_ws(root, "two")
        for i in range(3):
            import_paths(straight, [sources[i]])
        for i in order:
            import_paths(shuffled, [sources[i]])
        assert documents(straight) == documents(shuffled)
        again = import_paths(shuffled, sources)
        assert again.count("unchanged") == 3 and not again.new_conflicts
        assert documents(straight) == documents(shuffled)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_file_named_zip_that_is_not_one_says_so(tmp_path: Path) -> None:
    ws = new_ws(tmp_path, "w")
    fake = tmp_path / "bundle.zip"
    fake.write_text("hello", encoding="utf-8")
    result = cli(ws, "import", str(fake), code=2)
    assert "not a zip file" in result.output and "JSON" not in result.output
    assert list(ws.sessions_dir.glob("*.json")) == []


def test_bundling_only_demo_sessions_points_to_demo(tmp_path: Path) -> None:
    ws = new_ws(tmp_path, "w")
    cli(ws, "demo", "--sessions", "3")
    result = cli(ws, "bundle", "--out", str(tmp_path / "b.zip"), code=2)
    assert "3 demo sessions do: --demo bundles them" in result.output
    assert "3 sessions" in cli(ws, "bundle", "--demo", "--out", str(tmp_path / "b.zip")).output
