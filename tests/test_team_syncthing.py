"""Integration: a team folder moved by real Syncthing between two instances on 127.0.0.1.

Skipped, saying why, where Debian's ``syncthing`` is not installed (``make`` installs it
where it can). Each step waits for the files the other side wrote to arrive whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observe.store.team import keys
from tests.helpers_syncthing import Instance, arrived, two_instances
from tests.helpers_team import run

pytestmark = pytest.mark.slow


def member_id(ws: Path) -> str:
    identity = keys.load(ws)
    assert identity is not None
    return identity.member_id


def form_team(lead: Path, member: Path, a: Instance, b: Instance) -> None:
    """Asha founds the team in her copy; Tom joins from his; Asha admits him; he reads it."""
    run(lead, "team", "init", str(a.folder), "--name", "Asha Rahman")
    a.scan()
    arrived(b, "team.json")
    arrived(b, f"members/{member_id(lead)}/door.json")
    run(member, "team", "join", str(b.folder), "--name", "Tom Price")
    b.scan()
    arrived(a, f"members/{member_id(member)}/join.age")
    run(lead, "team", "admit", "Tom Price")
    a.scan()
    arrived(b, f"members/{member_id(lead)}/roster-2.age")


def plaintext_in(folder: Path, words: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and ".stfolder" not in path.parts:
            raw = path.read_bytes()
            found += [f"{path.name}: {w!r}" for w in words if w in raw]
    return found


def test_a_team_forms_over_syncthing(tmp_path: Path) -> None:
    lead, member = tmp_path / "lead", tmp_path / "member"
    with two_instances(tmp_path) as (a, b):
        form_team(lead, member, a, b)
        listed = json.loads(run(member, "team", "list", "--format", "json").stdout)
        assert {m["name"]: m["role"] for m in listed["members"]} == {
            "Asha Rahman": "lead",
            "Tom Price": "member",
        }
        assert listed["version"] == 2
        # Both copies hold the same team, and no name in plain text.
        for folder in (a.folder, b.folder):
            assert plaintext_in(folder, [b"Asha Rahman", b"Tom Price"]) == []
