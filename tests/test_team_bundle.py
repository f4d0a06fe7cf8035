"""Bundles sealed to named team members: only they open them, and they see who sent them."""

from __future__ import annotations

from pathlib import Path

import pytest

from observe.core.frameworks import load_all
from observe.services import team as team_service
from observe.services.sealed_bundle import AGE_HEADER
from observe.store.repository import Repository
from observe.store.team import keys
from observe.store.team.envelope import seal
from observe.store.team.keys import Identity
from observe.store.workspace import Workspace
from tests.helpers_home import add_session
from tests.helpers_team import Team, run, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    found = three(tmp_path)
    ws = Workspace(found.ws["a"])
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    add_session(Repository(ws), framework, "Tom Price", notes=2, title="Secret supervision")
    return found


def bundle_to(team: Team, tmp_path: Path, *names: str, who: str = "a") -> Path:
    out = tmp_path / f"to-{len(names)}-{who}.zip"
    to = [arg for name in names for arg in ("--to", name)]
    result = team.run(who, "bundle", "--out", str(out), *to)
    assert "encrypted to" in result.output and "signed by you" in result.output
    return out


def sessions(ws: Path) -> list[Path]:
    return list((ws / "sessions").glob("*.json"))


def test_only_the_named_member_opens_it_and_sees_the_sender(team: Team, tmp_path: Path) -> None:
    out = bundle_to(team, tmp_path, "tom price")
    raw = out.read_bytes()
    assert raw.startswith(AGE_HEADER)
    for plain in (b"Tom Price", b"Secret supervision", b"note 0", b"manifest", b"PK\x03\x04"):
        assert plain not in raw
    result = team.run("b", "import", str(out))
    assert result.stdout.startswith("1 added")
    assert "sealed by Asha Rahman, signature checked" in result.stderr
    assert len(sessions(team.ws["b"])) == 1
    # Siân was not named: a one-line refusal, nothing imported.
    result = team.run("c", "import", str(out), code=2)
    assert result.stderr.count("\n") == 1 and "a bundle for someone else" in result.stderr
    assert sessions(team.ws["c"]) == []


def test_several_readers(team: Team, tmp_path: Path) -> None:
    out = bundle_to(team, tmp_path, "Tom Price", "Siân O'Neil")
    for who in ("b", "c"):
        assert team.run(who, "import", str(out)).stdout.startswith("1 added")


def test_outside_the_team_it_is_refused(team: Team, tmp_path: Path) -> None:
    out = bundle_to(team, tmp_path, "Tom Price")
    result = run(tmp_path / "outsider", "import", str(out), code=2)
    assert "this workspace is not in a team" in result.stderr
    assert sessions(tmp_path / "outsider") == []


def test_a_name_off_the_roster_writes_nothing(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    result = team.run("a", "bundle", "--out", str(out), "--to", "Tom Pryce", code=2)
    assert "did you mean Tom Price" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()
    result = run(tmp_path / "lone", "bundle", "--out", str(out), "--to", "Tom", code=2)
    assert "--to needs a team" in result.stderr and not out.exists()


def test_tampered_and_forged_bundles_are_refused(team: Team, tmp_path: Path) -> None:
    out = bundle_to(team, tmp_path, "Tom Price")
    raw = bytearray(out.read_bytes())
    raw[-40] ^= 1
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(bytes(raw))
    result = team.run("b", "import", str(tampered), code=2)
    assert result.stderr.count("\n") == 1 and "refused" in result.stderr
    # Someone outside the team seals a bundle to Tom's public key, claiming to be Asha.
    roster = team_service.refresh(team.ws["b"]).roster
    tom = roster.find("Tom Price").keys
    stranger = Identity.generate()
    forged = tmp_path / "forged.zip"
    forged.write_bytes(
        seal(out.read_bytes(), writer=stranger, kind="bundle", doc="b", recipients=[tom])
    )
    result = team.run("b", "import", str(forged), code=2)
    assert "who is not a member of your team" in result.stderr
    asha = keys.load(team.ws["a"])
    impostor = Identity(asha.member_id, stranger.age, stranger.signing)  # Asha's id, not her key
    forged.write_bytes(seal(b"PK", writer=impostor, kind="bundle", doc="b", recipients=[tom]))
    result = team.run("b", "import", str(forged), code=2)
    assert "forged or altered" in result.stderr
    assert sessions(team.ws["b"]) == []


def test_a_removed_senders_bundle_is_refused(team: Team, tmp_path: Path) -> None:
    ws_c = Workspace(team.ws["c"])
    framework = load_all(ws_c.criteria_dir).get("good-facilitation")
    add_session(Repository(ws_c), framework, "Asha Rahman")
    out = bundle_to(team, tmp_path, "Tom Price", who="c")
    team.run("a", "team", "remove", "Siân O'Neil")
    result = team.run("b", "import", str(out), code=2)
    assert "not a member of your team" in result.stderr


def test_plain_bundles_still_import(team: Team, tmp_path: Path) -> None:
    out = tmp_path / "plain.zip"
    team.run("a", "bundle", "--out", str(out))
    assert out.read_bytes().startswith(b"PK")
    assert run(tmp_path / "lead", "import", str(out)).stdout.startswith("1 added")
