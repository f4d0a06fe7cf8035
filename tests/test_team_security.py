"""Attacks on the team folder: an outsider holding it, a third member, a forged or tampered
roster, a removed member."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from observe.store.team import keys
from observe.store.team.envelope import open_sealed, seal, unseal
from observe.store.team.errors import Undecryptable
from observe.store.team.roster import LEAD, Roster
from tests.helpers_team import NAMES, Team, run, three


def identity(team: Team, who: str) -> keys.Identity:
    found = keys.load(team.ws[who])
    assert found is not None
    return found


def trusted(team: Team, who: str) -> Roster:
    data = orjson.loads((team.ws[who] / "team-folder.json").read_bytes())
    return Roster.from_bytes(orjson.dumps(data["roster"]))


def refusals(team: Team, who: str) -> list[str]:
    return team.run(who, "team", "list").stderr.splitlines()


def test_an_outsider_holding_the_folder_reads_no_name_or_private_key(tmp_path: Path) -> None:
    team = three(tmp_path)
    team.run("a", "team", "lead", NAMES["b"])
    team.run("b", "team", "list")
    team.run("a", "team", "remove", NAMES["c"])
    secrets = []
    for who in "abc":
        person = identity(team, who)
        secrets += [str(person.age).encode(), person.to_bytes()]
        secrets.append(json.loads(person.to_bytes())["sign"].encode())
    c_public = identity(team, "c").public  # a member who was never a lead: no door
    forbidden = [n.encode() for n in NAMES.values()] + [
        n.casefold().encode() for n in NAMES.values()
    ]
    forbidden += [n.encode("utf-16-le") for n in NAMES.values()]
    forbidden += [b"AGE-SECRET-KEY", c_public.age.encode(), c_public.sign.encode(), *secrets]
    files = [p for p in team.folder.rglob("*") if p.is_file()]
    assert len(files) >= 8
    for path in files:
        data = path.read_bytes()
        for word in forbidden:
            assert word not in data, (path, word)
        assert b"Rahman" not in data and b"Price" not in data and b"O'Neil" not in data
    for part in (team.folder / "members").iterdir():  # file names carry ids only
        for path in part.iterdir():
            assert not any(n.split()[0].lower() in path.name.lower() for n in NAMES.values())


def test_a_third_member_cannot_read_what_is_not_theirs(tmp_path: Path) -> None:
    team = three(tmp_path)
    a, b, c = (identity(team, w) for w in "abc")
    blob = seal(
        b"for a and b only", writer=a, kind="session", doc="s1", recipients=[a.public, b.public]
    )
    assert open_sealed(blob, reader=b, key_for=trusted(team, "b").key_for).payload.startswith(
        b"for"
    )
    with pytest.raises(Undecryptable):
        unseal(blob, reader=c)
    # nor c's join request, which was sealed to the leads (and c) only
    join = (team.folder / "members" / c.member_id / "join.age").read_bytes()
    with pytest.raises(Undecryptable):
        unseal(join, reader=b)
    assert unseal(join, reader=a).header.writer == c.member_id


def forge(
    team: Team, writer: keys.Identity, base: Roster, part: str | None = None, version: int = 0
) -> Path:
    """A roster (one version up unless given) making ``writer`` a lead, sealed to all."""
    members = tuple(
        m if m.id != writer.member_id else type(m)(m.keys, m.name, LEAD) for m in base.members
    )
    fake = Roster(base.team, version or base.version + 1, members)
    blob = seal(
        fake.to_bytes(),
        writer=writer,
        kind="roster",
        doc=f"roster-{fake.version}",
        recipients=[m.keys for m in base.members],
    )
    folder = team.folder / "members" / (part or writer.member_id)
    folder.mkdir(exist_ok=True)
    path = folder / f"roster-{fake.version}.age"
    path.write_bytes(blob)
    return path


def test_a_roster_signed_by_a_member_is_refused_with_the_reason(tmp_path: Path) -> None:
    team = three(tmp_path)
    b = identity(team, "b")
    forge(team, b, trusted(team, "b"))
    for who in "ac":
        lines = refusals(team, who)
        assert len(lines) == 1
        assert lines[0].startswith(f"observe: refused members/{b.member_id}/roster-4.age:")
        assert "is a member and may not write a roster" in lines[0]
        assert trusted(team, who).version == 3
        assert trusted(team, who).get(b.member_id).role == "member"


def test_a_roster_put_in_a_leads_part_by_someone_else_is_refused(tmp_path: Path) -> None:
    team = three(tmp_path)
    b = identity(team, "b")
    forge(team, b, trusted(team, "b"), part=identity(team, "a").member_id)
    (line,) = refusals(team, "c")
    assert "in another's part" in line
    # and a member signing with their own key while claiming to be the lead
    impostor = keys.Identity(identity(team, "a").member_id, b.age, b.signing)
    forge(team, impostor, trusted(team, "b"), version=5)
    lines = refusals(team, "c")
    assert any("bad signature" in line for line in lines)
    assert trusted(team, "c").version == 3


def test_a_roster_with_a_flipped_byte_is_refused(tmp_path: Path) -> None:
    team = three(tmp_path)
    run(tmp_path / "d", "team", "join", str(team.folder), "--name", "Kwame Mensah")
    team.run("a", "team", "admit", "Kwame Mensah")
    path = team.folder / "members" / identity(team, "a").member_id / "roster-4.age"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    (line,) = refusals(team, "b")
    assert "roster-4.age: cannot decrypt" in line
    assert trusted(team, "b").version == 3


def test_a_removed_member_gets_nothing_new_and_cannot_write_a_roster(tmp_path: Path) -> None:
    team = three(tmp_path)
    c = identity(team, "c")
    before = trusted(team, "c")
    team.run("a", "team", "remove", NAMES["c"])
    v4 = team.folder / "members" / identity(team, "a").member_id / "roster-4.age"
    assert c.member_id not in unseal(v4.read_bytes(), reader=identity(team, "b")).header.recipients
    with pytest.raises(Undecryptable):
        unseal(v4.read_bytes(), reader=c)
    assert json.loads(team.run("c", "team", "list", "--format", "json").stdout)["version"] == 3
    # c, removed, writes a roster of version 5 making themselves a lead
    forge(team, c, before, version=5)
    lines = refusals(team, "b")
    assert any("was removed from the team" in line for line in lines), lines
    assert trusted(team, "b").get(c.member_id).role == "removed"


def test_a_roster_renamed_to_another_version_is_refused(tmp_path: Path) -> None:
    team = three(tmp_path)
    run(tmp_path / "d", "team", "join", str(team.folder), "--name", "Kwame Mensah")
    team.run("a", "team", "admit", "Kwame Mensah")
    part = team.folder / "members" / identity(team, "a").member_id
    (part / "roster-4.age").rename(part / "roster-9.age")
    (line,) = refusals(team, "b")
    assert "roster-9.age: its name is not the one its writer signed" in line
