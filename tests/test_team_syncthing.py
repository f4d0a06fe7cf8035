"""Integration: a team folder moved by real Syncthing between two instances on 127.0.0.1.

Skipped, saying why, where Debian's ``syncthing`` is not installed (``make`` installs it
where it can). Each step waits for the files the other side wrote to arrive whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observe.store.team import keys
from tests.helpers_sync import has, observe, record
from tests.helpers_syncthing import Instance, arrived, two_instances, wait_for
from tests.helpers_team import Team, run

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


def test_an_observation_goes_from_one_workspace_to_the_other(tmp_path: Path) -> None:
    """The team forms across the two copies; Asha observes Tom, shares and syncs; Syncthing
    moves the sealed files; Tom's sync brings the observation into his workspace, shared,
    with his roster id on it. One test: each instance pair takes seconds to start."""
    lead, member = tmp_path / "lead", tmp_path / "member"
    with two_instances(tmp_path) as (a, b):
        form_team(lead, member, a, b)
        listed = json.loads(run(member, "team", "list", "--format", "json").stdout)
        assert {m["name"]: m["role"] for m in listed["members"]} == {
            "Asha Rahman": "lead",
            "Tom Price": "member",
        }
        people = Team(a.folder, {"a": lead, "b": member})
        session_id = observe(people, observer="a", facilitators=("b",))
        run(lead, "share", session_id[:8])
        run(lead, "sync")
        a.scan()

        def tom_has_it() -> bool:
            run(member, "sync")
            return has(people, "b", session_id)

        wait_for(tom_has_it, 60, "the shared observation in Tom's workspace")
        got = record(people, "b", session_id)
        assert got.session.status.value == "shared"
        assert [p.id for p in got.session.meta.facilitators] == [member_id(member)]
        assert got.session.meta.observer.id == member_id(lead)
        assert len(got.live_notes()) == 2
        for folder in (a.folder, b.folder):
            assert plaintext_in(folder, [b"Asha Rahman", b"Tom Price", b"quiet table"]) == []
