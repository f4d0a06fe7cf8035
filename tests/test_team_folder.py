"""Reading a folder others write: only regular files in valid members' parts, within a
size limit; files still arriving are skipped; conflict copies are read; nothing is deleted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from observe.store.team import folder as tf
from observe.store.team.errors import TeamError
from observe.store.team.folder import TeamFolder
from tests.helpers_team import NAMES, run, three

MID = "m-" + "a" * 16


def made(tmp_path: Path) -> TeamFolder:
    folder = TeamFolder(tmp_path / "f")
    folder.create("t-" + "b" * 16)
    return folder


def test_only_our_files_in_valid_parts_are_listed(tmp_path: Path) -> None:
    folder = made(tmp_path)
    folder.write(MID, "join.age", b"x")
    part = folder.part(MID)
    (part / "notes.txt").write_bytes(b"x")  # not a name the app writes
    (part / ".tmp-join.age.1.x.partial").write_bytes(b"x")
    (part / "~join.age").write_bytes(b"x")
    (part / "join.sync-conflict-20260304-093000-ABCDEF7.age").write_bytes(b"y")
    (part / "roster-2 (Tom's conflicted copy 2026-03-04).age").write_bytes(b"z")
    (folder.members_dir / "Not An Id").mkdir()
    (folder.members_dir / "Not An Id" / "join.age").write_bytes(b"x")
    os.symlink(part, folder.members_dir / ("m-" + "c" * 16))  # a linked part is not followed
    os.symlink(part / "join.age", part / "roster-3.age")  # nor a linked file
    found = {(e.name, e.stands_for) for e in folder.entries()}
    assert found == {
        ("join.age", "join.age"),
        ("join.sync-conflict-20260304-093000-ABCDEF7.age", "join.age"),
        ("roster-2 (Tom's conflicted copy 2026-03-04).age", "roster-2.age"),
    }


def test_a_file_still_arriving_is_skipped_and_odd_files_refused(tmp_path: Path) -> None:
    folder = made(tmp_path)
    path = folder.write(MID, "join.age", b"x")
    path.write_bytes(b"")
    (entry,) = folder.entries()
    assert folder.read(entry) is None
    path.unlink()
    assert folder.read(entry) is None  # gone since listed: a sync engine moved it
    with open(path, "wb") as handle:
        handle.truncate(tf.MAX_DOCUMENT + 1)
    with pytest.raises(TeamError, match="too large"):
        folder.read(entry)
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(TeamError, match="not a regular file"):
        folder.read(entry)


def test_only_names_the_app_writes_can_be_written(tmp_path: Path) -> None:
    folder = made(tmp_path)
    for name in ["../x.age", "roster-0.age", "notes.txt", "join.age/..", ""]:
        with pytest.raises(ValueError):
            folder.write(MID, name, b"x")
    with pytest.raises(ValueError):
        folder.write("../m", "join.age", b"x")


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    folder = made(tmp_path)
    path = folder.write(MID, "join.age", b"same")
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))
    folder.write(MID, "join.age", b"same")
    assert path.stat().st_mtime_ns == before - 10**9


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not a team folder"),
        (b"", "cannot read"),
        (b"[]", "known format"),
        (b'{"format": 1, "team": "../../x"}', "no valid team id"),
    ],
)
def test_a_bad_team_file_is_one_clear_error(tmp_path: Path, content, message) -> None:
    (tmp_path / "f").mkdir()
    if content is not None:
        (tmp_path / "f" / "team.json").write_bytes(content)
    with pytest.raises(TeamError, match=message):
        TeamFolder(tmp_path / "f").team_id()


def test_the_app_deletes_nothing_it_did_not_write(tmp_path: Path) -> None:
    team = three(tmp_path)
    a = team.member_id("a")
    strangers = [
        team.folder / "README.md",
        team.folder / "members" / a / "roster-3.sync-conflict-20260304-093000-ABCDEF7.age",
        team.folder / "members" / a / "roster-3-LAPTOP.age",
        team.folder / "members" / a / "notes.txt",
        team.folder / "members" / team.member_id("b") / "join (x's conflicted copy 2026-01-02).age",
        team.folder / "members" / "whatever" / "file",
    ]
    for path in strangers:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"\x00garbage")
    team.run("a", "team", "lead", NAMES["b"])
    team.run("a", "team", "remove", NAMES["c"])
    for who in "abc":
        team.run(who, "team", "list")
    assert all(p.read_bytes() == b"\x00garbage" for p in strangers)


def test_a_conflict_copy_of_a_roster_is_read_as_that_roster(tmp_path: Path) -> None:
    """One lead on two devices: the newest roster arrives only as a Syncthing conflict copy."""
    team = three(tmp_path)
    run(tmp_path / "d", "team", "join", str(team.folder), "--name", "Kwame Mensah")
    team.run("a", "team", "admit", "Kwame Mensah")
    part = team.folder / "members" / team.member_id("a")
    (part / "roster-4.age").rename(part / "roster-4.sync-conflict-20260304-093000-ABCDEF7.age")
    listed = team.run("b", "team", "list")
    assert "Kwame Mensah" in listed.stdout and listed.stderr == ""
