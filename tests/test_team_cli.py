"""The team commands as three people use them: init, join, admit, list, lead, remove."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import orjson

from tests.helpers_team import NAMES, Team, run, three


def roles(team: Team, who: str) -> dict[str, str]:
    listed = json.loads(team.run(who, "team", "list", "--format", "json").stdout)
    return {m["name"]: m["role"] for m in listed["members"]}


def test_three_workspaces_are_three_people_in_one_team(tmp_path: Path) -> None:
    team = three(tmp_path)
    want = {NAMES["a"]: "lead", NAMES["b"]: "member", NAMES["c"]: "member"}
    for who in "abc":
        assert roles(team, who) == want
    table = team.run("b", "team", "list").stdout
    assert "Tom Price" in table and "member (you)" in table
    ids = {team.member_id(w) for w in "abc"}
    assert len(ids) == 3
    assert sorted(p.name for p in (team.folder / "members").iterdir()) == sorted(ids)


def test_the_team_file_holds_the_id_and_format_only(tmp_path: Path) -> None:
    team = three(tmp_path)
    data = orjson.loads((team.folder / "team.json").read_bytes())
    assert set(data) == {"format", "team"}
    for path in (team.folder / "members").rglob("*"):
        assert (
            path.name in {"door.json", "join.age"}
            or path.is_dir()
            or (path.name.startswith("roster-") and path.suffix == ".age")
        )


def test_a_newcomer_waits_and_a_lead_sees_who_asks(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    run(tmp_path / "a", "team", "init", str(folder), "--name", "Asha Rahman")
    run(tmp_path / "b", "team", "join", str(folder), "--name", "Tom Price")
    assert "Waiting for a lead" in run(tmp_path / "b", "team", "list").stdout
    assert "Asking to join: Tom Price" in run(tmp_path / "a", "team", "list").stdout
    listed = json.loads(run(tmp_path / "a", "team", "list", "--format", "json").stdout)
    assert [r["name"] for r in listed["asking"]] == ["Tom Price"]


def test_a_lead_makes_a_lead_who_can_then_admit(tmp_path: Path) -> None:
    team = three(tmp_path)
    team.run("a", "team", "lead", NAMES["b"])
    assert roles(team, "c")[NAMES["b"]] == "lead"
    assert roles(team, "b")[NAMES["b"]] == "lead"  # b's next team command puts up b's door
    assert (team.folder / "members" / team.member_id("b") / "door.json").is_file()
    d = tmp_path / "d"
    run(d, "team", "join", str(team.folder), "--name", "Kwame Mensah")
    team.run("b", "team", "admit", "Kwame Mensah")  # b is a lead now
    assert roles(team, "a")["Kwame Mensah"] == "member"
    assert roles(team, "c")["Kwame Mensah"] == "member"
    assert json.loads(run(d, "team", "list", "--format", "json").stdout)["version"] == 5


def test_a_removed_member_is_shown_removed_and_gets_no_new_roster(tmp_path: Path) -> None:
    team = three(tmp_path)
    team.run("a", "team", "remove", NAMES["c"])
    assert roles(team, "b")[NAMES["c"]] == "removed"
    # c still holds version 3 and cannot read version 4: it was not sealed to them
    assert json.loads(team.run("c", "team", "list", "--format", "json").stdout)["version"] == 3


def test_members_cannot_change_the_roster(tmp_path: Path) -> None:
    team = three(tmp_path)
    for args in (["admit", "x"], ["lead", NAMES["c"]], ["remove", NAMES["a"]]):
        result = team.run("b", "team", *args, code=2)
        assert result.stderr.strip() == "observe: only a lead of the team can do that"


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    team = three(tmp_path)
    cases = [
        ("a", ["team", "admit", "Nobody"], "no join request from 'Nobody'"),
        ("a", ["team", "lead", "Nobody"], "no member called 'Nobody'"),
        ("a", ["team", "lead", NAMES["a"]], "already a lead"),
        ("a", ["team", "remove", NAMES["a"]], "last lead"),
        ("a", ["team", "init", str(tmp_path / "other"), "--name", "X"], "already belongs"),
    ]
    for who, args, message in cases:
        err = team.run(who, *args, code=2).stderr
        assert message in err and err.count("\n") == 1, err
    fresh = tmp_path / "fresh"
    for args, message in [
        (["team", "list"], "not in a team"),
        (["team", "join", str(tmp_path / "nowhere"), "--name", "X"], "no such folder"),
        (["team", "join", str(tmp_path), "--name", "X"], "not a team folder"),
        (["team", "init", str(tmp_path / "n"), "--name", "  "], "cannot be empty"),
        (["team", "init", str(tmp_path / "n"), "--name", "a\x1b[2Jb"], "control characters"),
        (["team", "init", str(team.folder), "--name", "X"], "already a team folder"),
    ]:
        err = run(fresh, *args, code=2).stderr
        assert message in err and err.count("\n") == 1, err


def test_the_membership_file_and_keys_are_private(tmp_path: Path) -> None:
    team = three(tmp_path)
    for who in "abc":
        for path in [team.ws[who] / "team-folder.json", team.ws[who] / ".observe-keys"]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, (path, oct(mode))


def test_key_backup_and_restore_through_the_command_line(tmp_path: Path) -> None:
    team = three(tmp_path)
    secret = tmp_path / "pass.txt"
    secret.write_text("a long passphrase\n")
    out = tmp_path / "asha.keys"
    team.run("a", "team", "key", "backup", "--out", str(out), "--passphrase-file", str(secret))
    again = team.run(
        "a", "team", "key", "backup", "--out", str(out), "--passphrase-file", str(secret), code=2
    )
    assert "already exists" in again.stderr
    into_keys = team.ws["a"] / ".observe-keys" / "x"
    refused = team.run("a", "team", "key", "backup", "--out", str(into_keys), code=2)
    assert "never goes into" in refused.stderr
    moved = tmp_path / "a2"
    run(moved, "team", "key", "restore", str(out), "--passphrase-file", str(secret))
    assert (moved / ".observe-keys" / "identity.json").read_bytes() == (
        team.ws["a"] / ".observe-keys" / "identity.json"
    ).read_bytes()


def test_a_passphrase_file_that_is_not_text_or_is_empty_is_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    for content, message in [(b"\xff\xfe", "not UTF-8"), (b"", "empty"), (b"\n", "empty")]:
        secret = tmp_path / "pass"
        secret.write_bytes(content)
        args = ["team", "key", "backup", "--out", str(tmp_path / "k"), "--passphrase-file"]
        err = run(ws, *args, str(secret), code=2).stderr
        assert message in err and err.count("\n") == 1
    assert not (tmp_path / "k").exists()
