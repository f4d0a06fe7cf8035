"""A facilitator's focus through the team folder: sealed to the leads and the observers they
name (or the rota assigns), brought by sync, taken up by the observer's new session; a forged
focus refused."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from observe.cli import main as cli
from observe.core.focus import SelfAssessment
from observe.services import focus_team
from observe.services.team import refresh
from observe.store import focus_local
from observe.store.team.envelope import seal
from observe.store.team.membership import FILE as MEMBERSHIP_FILE
from observe.store.workspace import Workspace
from tests.helpers_team import Team, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    team = three(tmp_path)
    for ws in team.ws.values():
        Workspace(ws).ensure(seed=True)
    return team


def received(team: Team, who: str, about: str) -> dict | None:
    path = team.ws[who] / "focus" / "received" / f"{team.member_id(about)}.json"
    return orjson.loads(path.read_bytes())["focus"] if path.exists() else None


def test_the_membership_file_is_named_once() -> None:
    assert focus_team.MEMBERSHIP_FILE == MEMBERSHIP_FILE


def test_a_focus_goes_to_the_leads_and_the_named_observer_only(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    hope = "Naming what I notice"
    out = team.run("b", "focus", "set", "--criterion", "R2", "--hope", hope).stdout
    assert "Published in the team folder for: Asha Rahman" in out
    assert (team.folder / "members" / team.member_id("b") / "focus.age").is_file()
    team.run("b", "sync")
    team.run("c", "sync")
    assert received(team, "c", "b") is None  # not sealed to Siân: not hers to read
    assert "a focus from Tom Price" in team.run("a", "sync").stdout
    assert received(team, "a", "b")["hopes"][0]["text"] == "Naming what I notice"

    out = team.run(
        "b", "focus", "set", "--criterion", "P1", "--hope", "Cases first", "--to", "Siân O'Neil"
    ).stdout
    assert "Asha Rahman, Siân O'Neil" in out
    assert "a focus from Tom Price" in team.run("c", "sync").stdout
    assert "a focus from" not in team.run("c", "sync").stdout  # kept once
    got = received(team, "c", "b")
    assert got["hopes"] == [{"criterion": "P1", "text": "Cases first"}]

    # Siân observes Tom: her new session takes his focus up, once.
    monkeypatch.setattr(cli, "run_app", lambda ws, open_session, **_: open_session.close())
    result = team.run("c", "new", "--facilitator", "Tom Price")
    assert "Taken up Tom Price's own focus: P1" in result.stdout
    [path] = (team.ws["c"] / "sessions").glob("*.json")
    meta = json.loads(path.read_text())["session"]["1"]["meta"]
    assert meta["focus"] == ["P1"]
    assert meta["self_assessments"][0]["facilitator"] == team.member_id("b")
    assert "Taken up" not in team.run("c", "new", "--facilitator", "Tom Price").stdout

    assert "Focus cleared." in team.run("b", "focus", "clear").stdout
    assert not (team.folder / "members" / team.member_id("b") / "focus.age").exists()


def test_a_focus_forged_by_another_member_is_refused(team: Team) -> None:
    # Siân writes, in her own part, a focus that claims to be Tom's, sealed to the lead.
    state = refresh(team.ws["c"])
    forged = SelfAssessment(
        facilitator=team.member_id("b"), name="Tom Price", hopes=[{"criterion": "R1"}]
    )
    sealed = seal(
        focus_local.encode(forged),
        writer=state.identity,
        kind="focus",
        doc="focus",
        recipients=[m.keys for m in state.roster.current()],
    )
    state.folder.write(state.me, "focus.age", sealed)
    out = team.run("a", "sync")
    where = f"members/{team.member_id('c')}/focus.age"
    assert f"refused {where}: a focus whose writer is not the facilitator" in out.stderr
    assert received(team, "a", "b") is None and received(team, "a", "c") is None

    # The same bytes moved into Tom's part: signed by another than the part's owner.
    state.folder.part(state.me).joinpath("focus.age").unlink()
    part = team.folder / "members" / team.member_id("b")
    part.mkdir(exist_ok=True)
    (part / "focus.age").write_bytes(sealed)
    out = team.run("a", "sync")
    assert f"members/{team.member_id('b')}/focus.age: signed by" in out.stderr
    assert received(team, "a", "b") is None


def test_damaged_or_linked_focus_files_in_the_folder_are_passed_over(
    team: Team, tmp_path: Path
) -> None:
    part = team.folder / "members" / team.member_id("b")
    part.mkdir(exist_ok=True)
    (part / "focus.age").write_bytes(b"not age at all")  # as a file still arriving is
    team.run("a", "sync")
    assert received(team, "a", "b") is None
    (part / "focus.age").unlink()
    team.run("b", "focus", "set", "--criterion", "R1")
    real = part / "focus.age"
    elsewhere = tmp_path / "elsewhere.age"
    real.rename(elsewhere)
    real.symlink_to(elsewhere)
    team.run("a", "sync")
    assert received(team, "a", "b") is None


def test_outside_its_facilitator_a_focus_is_kept_here_only(team: Team) -> None:
    out = team.run("c", "focus", "set", "--for", "Tom Price", "--criterion", "R1").stdout
    assert "Published" not in out
    assert (team.ws["c"] / "focus" / f"{team.member_id('b')}.json").is_file()
    team.run("c", "focus", "set", "--for", "Nobody Here", "--criterion", "R1", code=2)


def test_the_observer_the_rota_assigns_can_read_it(team: Team) -> None:
    from tests.test_rota_cli import add_session

    lead_ws = Workspace(team.ws["a"])
    for pair, observer in [
        (("Asha Rahman", "Tom Price"), "Siân O'Neil"),
        (("Siân O'Neil",), "Asha Rahman"),
    ]:
        add_session(lead_ws, pair, observer, "1")
    team.run("a", "rota", "plan", "--wave", "2", "--allow-repeat")
    team.run("a", "rota", "publish", "--wave", "2")
    plan = orjson.loads((team.ws["a"] / "rota" / "wave-2.json").read_bytes())
    observers = {
        a["observer"]["name"]
        for a in plan["assignments"]
        if "Tom Price" in [f["name"] for f in a["facilitators"]]
    }
    assert observers == {"Siân O'Neil"}  # not a lead: she reads it only as his observer
    out = team.run("b", "focus", "set", "--criterion", "R1").stdout
    for name in observers:
        assert name in out
    assert "a focus from Tom Price" in team.run("c", "sync").stdout


def test_a_sync_with_nothing_new_decrypts_no_focus_again(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    import observe.services.team as team_service

    team.run("b", "focus", "set", "--criterion", "R1")
    team.run("c", "focus", "set", "--criterion", "L1")
    opened: list[str] = []
    real = team_service._unsealed

    def counting(state, entry, **kw):  # type: ignore[no-untyped-def]
        if entry.stands_for == "focus.age":
            opened.append(entry.where)
        return real(state, entry, **kw)

    monkeypatch.setattr(team_service, "_unsealed", counting)
    team.run("a", "sync")
    assert len(opened) == 2  # Tom's and Siân's, both sealed to the lead
    opened.clear()
    team.run("a", "sync")
    assert opened == []
    team.run("b", "focus", "set", "--criterion", "R2")  # a new focus: read again
    team.run("a", "sync")
    assert opened == [f"members/{team.member_id('b')}/focus.age"]


def _write_again(team: Team, who: str, criterion: str, hope: str) -> None:
    """A focus rewritten as the My next observation screen saves it: no readers named."""
    from observe.services import focus

    ws = Workspace(team.ws[who])
    person, own = focus.whose(ws, None)
    made = focus.make(ws, person, criteria=[criterion], hopes=[hope])
    focus.save(ws, made, own=own)


def test_a_changed_focus_keeps_its_readers_and_replaces_the_one_taken_up(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.run("b", "focus", "set", "--criterion", "R2", "--hope", "First", "--to", "Siân O'Neil")
    assert "a focus from Tom Price" in team.run("c", "sync").stdout
    monkeypatch.setattr(cli, "run_app", lambda ws, open_session, **_: open_session.close())
    assert "Taken up" in team.run("c", "new", "--facilitator", "Tom Price").stdout

    _write_again(team, "b", "P1", "Second")
    assert "a focus from Tom Price" in team.run("c", "sync").stdout
    assert received(team, "c", "b")["hopes"] == [{"criterion": "P1", "text": "Second"}]
    shown = team.run("c", "focus", "show", "Tom Price").stdout
    assert "Second" in shown and "taken up" not in shown
    assert "a focus from" not in team.run("c", "sync").stdout  # kept once

    # Cleared, the readers named before are forgotten: a new focus is not Siân's to read,
    # and her sync says nothing wrong and shows her no stale focus.
    team.run("b", "focus", "clear")
    _write_again(team, "b", "L1", "Third")
    out = team.run("c", "sync").stdout
    assert "refused 0" in out and "a focus from" not in out
    assert received(team, "c", "b") is None
