"""People from the roster: one id and one spelling per person, on the command line and in Tab."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from observe.cli import main as cli_main
from observe.core.errors import UsageError
from observe.services.team_people import team_people
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.helpers_team import NAMES, Team, run, three


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return three(tmp_path)


def completions(ws: Path, args: list[str], incomplete: str) -> list[str]:
    complete = ShellComplete(cli_main.main, {}, "observe", "_OBSERVE_COMPLETE")
    return [c.value for c in complete.get_completions(["-w", str(ws), *args], incomplete)]


def test_roster_people_and_near_matches(team: Team) -> None:
    people = team_people(team.ws["b"])
    assert people is not None
    assert sorted(people.names()) == sorted(NAMES.values())
    assert people.you().id == team.member_id("b")
    person = people.person("  tom PRICE ")
    assert (person.id, person.name) == (team.member_id("b"), "Tom Price")
    assert people.person(team.member_id("c")).name == NAMES["c"]
    with pytest.raises(UsageError) as caught:
        people.person("Tom Pryce")
    assert "did you mean Tom Price" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert people.near("asha") == ["Asha Rahman"]


def test_outside_a_team_names_are_free_text(tmp_path: Path) -> None:
    assert team_people(tmp_path) is None


def test_waiting_to_be_admitted_is_outside(tmp_path: Path) -> None:
    lead, newcomer = tmp_path / "lead", tmp_path / "new"
    run(lead, "team", "init", str(tmp_path / "shared"), "--name", "Asha Rahman")
    run(newcomer, "team", "join", str(tmp_path / "shared"), "--name", "Tom Price")
    assert team_people(newcomer) is None


def test_new_writes_roster_ids_and_spellings(team: Team, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(cli_main, "run_app", lambda ws, **kw: opened.append(kw))
    team.run("c", "new", "--facilitator", "asha rahman", "--facilitator", "TOM PRICE")
    session = opened[0]["open_session"]
    meta = session.session.meta
    try:
        assert [(p.id, p.name) for p in meta.facilitators] == [
            (team.member_id("a"), "Asha Rahman"),
            (team.member_id("b"), "Tom Price"),
        ]
        # The observer is this workspace's person from the roster when not named.
        assert (meta.observer.id, meta.observer.name) == (team.member_id("c"), NAMES["c"])
    finally:
        session.close()
    stored = Repository(Workspace(team.ws["c"])).load(session.path).session.meta
    assert [p.id for p in stored.facilitators] == [team.member_id("a"), team.member_id("b")]


def test_a_name_not_on_the_roster_is_one_line(team: Team, monkeypatch) -> None:
    monkeypatch.setattr(cli_main, "run_app", lambda ws, **kw: pytest.fail("app started"))
    result = team.run("c", "new", "--facilitator", "Asha Rahmen", code=2)
    err = result.stderr.strip()
    assert err.count("\n") == 0
    assert "not on the team's roster" in err and "Asha Rahman" in err
    result = team.run("c", "new", "--facilitator", "Asha Rahman", "--observer", "Zed", code=2)
    assert "'Zed' is not on the team's roster" in result.stderr
    assert not list((team.ws["c"] / "sessions").glob("*.json"))


def test_completion_from_the_roster(team: Team, tmp_path: Path) -> None:
    ws = team.ws["c"]
    assert completions(ws, ["new", "--facilitator"], "") == sorted(NAMES.values())
    assert completions(ws, ["new", "--facilitator"], "t") == ["Tom Price"]
    assert completions(ws, ["new", "--observer"], "si") == [NAMES["c"]]
    assert completions(ws, ["team", "remove"], "as") == ["Asha Rahman"]
    assert completions(ws, ["bundle", "--to"], "TO") == ["Tom Price"]
    assert completions(tmp_path / "nowhere", ["new", "--facilitator"], "") == []
    assert not (tmp_path / "nowhere").exists()  # completion makes no workspace


def test_admit_completes_the_people_asking(tmp_path: Path) -> None:
    lead = tmp_path / "lead"
    run(lead, "team", "init", str(tmp_path / "shared"), "--name", "Asha Rahman")
    run(tmp_path / "x", "team", "join", str(tmp_path / "shared"), "--name", "Tom Price")
    run(tmp_path / "y", "team", "join", str(tmp_path / "shared"), "--name", "Bea Jones")
    assert sorted(completions(lead, ["team", "admit"], "")) == ["Bea Jones", "Tom Price"]
    assert completions(lead, ["team", "admit"], "b") == ["Bea Jones"]
    assert completions(tmp_path / "x", ["team", "admit"], "") == []  # not a lead
