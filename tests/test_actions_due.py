"""Whose actions home shows as past their date: a facilitator their own, a lead the team's,
without a team everyone's by facilitator (alphabetical, never a ranking); the line's words."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from observe.app.screens.home_actions import due_line
from observe.core.models import Framework, Person
from observe.services.actions_due import EVERYONE, MINE, TEAM, open_in_view, past_their_date
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_actions import HOSTILE, act, with_actions
from tests.helpers_team import NAMES, three

TODAY = date(2026, 3, 20)
ASHA, TOM = Person.named("Asha Rahman"), Person.named("Tom Price")


def seed(repo: Repository, framework: Framework, asha: Person, tom: Person) -> None:
    with_actions(
        repo,
        framework,
        [asha, tom],
        {
            asha.id: [act("Name the aim first", date(2026, 3, 1))],
            tom.id: [
                act("Ask a quieter voice first", date(2026, 3, 3)),
                act("Pause after questions", date(2026, 3, 10)),
                act("Try a fishbowl", date(2026, 4, 1)),  # not yet due
                act("Read the handbook", None),
            ],
        },
    )


def test_without_a_team_everyone_by_facilitator_in_name_order(
    repo: Repository, framework: Framework
) -> None:
    seed(repo, framework, TOM, ASHA)  # Tom's actions are Asha's here and the other way
    due = past_their_date(repo.workspace, TODAY)
    assert due.whose.view == EVERYONE
    assert due.by_facilitator() == [("Asha Rahman", 2), ("Tom Price", 1)]
    line = str(due_line(due))
    assert line == "Actions (d): 3 actions past their date, for 2 people"
    listed = open_in_view(repo.workspace, TODAY)
    assert [a.text for a in listed.actions] == [  # soonest first, then those without a date
        "Name the aim first",
        "Ask a quieter voice first",
        "Pause after questions",
        "Try a fishbowl",
        "Read the handbook",
    ]
    assert due_line(past_their_date(repo.workspace, date(2026, 3, 1))) is None  # none yet


def team_sessions(tmp_path: Path, framework: Framework) -> tuple[object, Person, Person]:
    team = three(tmp_path)
    asha = Person(id=team.member_id("a"), name=NAMES["a"])  # the lead
    tom = Person(id=team.member_id("b"), name=NAMES["b"])
    repo = Repository(Workspace(team.ws["b"]).ensure(seed=True), clock=FakeClock())
    seed(repo, framework, asha, tom)
    lead = Workspace(team.ws["a"]).ensure(seed=True)
    for path in repo.workspace.sessions_dir.glob("*.json"):
        shutil.copy(path, lead.sessions_dir / path.name)
    return team, asha, tom


def test_a_facilitator_sees_their_own_and_a_lead_the_teams(
    tmp_path: Path, framework: Framework
) -> None:
    team, _, tom = team_sessions(tmp_path, framework)
    mine = past_their_date(Workspace(team.ws["b"]), TODAY)
    assert (mine.whose.view, mine.whose.facilitator) == (MINE, tom.id)
    assert [a.text for a in mine.past] == ["Ask a quieter voice first", "Pause after questions"]
    assert str(due_line(mine)) == (
        "Actions (d): 2 of your actions are past their date: Ask a quieter voice first (by 3 Mar) …"
    )
    lead = past_their_date(Workspace(team.ws["a"]), TODAY)
    assert lead.whose.view == TEAM
    assert str(due_line(lead)) == (
        "Actions (d): 3 actions past their date across the team, for 2 people"
    )
    outsider = past_their_date(Workspace(team.ws["c"]).ensure(seed=True), TODAY)
    assert outsider.whose.view == MINE and outsider.actions == []
    assert due_line(outsider) is None


def test_hostile_action_text_stays_text_on_one_short_line(
    repo: Repository, framework: Framework
) -> None:
    with_actions(repo, framework, [ASHA], {ASHA.id: [act(HOSTILE, date(2026, 3, 1))]})
    due = past_their_date(repo.workspace, TODAY)
    [only] = due.past
    assert only.text == HOSTILE  # as the file holds it
    mine = type(due)(type(due.whose)(MINE, ASHA.id, ASHA.name), TODAY, due.actions)
    line = str(due_line(mine))
    assert "\x1b" not in line and "\u202e" not in line and "\n" not in line
    assert "[b]Ask[/b]" in line and "\\u202e" in line and len(line) < 120
