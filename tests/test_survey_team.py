"""A lead and six members answer a round through a team folder; the report counts right."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from observe.core.frameworks import load
from observe.store.workspace import packaged_criteria
from tests.helpers_survey import AFTER, CLOSES, DURING, MEMBERS, OPENS, pinned_today, seven
from tests.helpers_team import Team

__all__ = ["pinned_today"]

SURVEY = load(packaged_criteria() / "community-health.toml")
STATEMENTS = [(d.id, c.id) for d in SURVEY.domains for c in d.criteria]


def plan(i: int) -> dict[str, int | str]:
    """Person ``i``'s levels: varied, some prefer-not, one statement left out by some."""
    out: dict[str, int | str] = {}
    for k, (_, sid) in enumerate(STATEMENTS):
        if (i + k) % 9 == 0:
            out[sid] = "prefer-not"
        elif (i * 3 + k) % 11 == 0:
            continue  # not answered
        else:
            out[sid] = 1 + (i * 7 + k * 3) % 5
    return out


def open_round(team: Team, pin, *, threshold: str = "5") -> str:
    pin(OPENS)
    team.run(
        "lead",
        "survey",
        "open",
        "--opens",
        OPENS.isoformat(),
        "--closes",
        CLOSES.isoformat(),
        "--threshold",
        threshold,
    )
    listing = json.loads(team.run("m0", "survey", "list", "--format", "json").output)
    assert [r["status"] for r in listing["rounds"]] == ["open"]
    return listing["rounds"][0]["id"]


def answer(team: Team, who: str, round_id: str, levels: dict, comment: str | None = None):
    args = [f"--level={k}={v}" for k, v in levels.items()]
    if comment is not None:
        args.append(f"--comment=P4={comment}")
    return team.run(who, "survey", "answer", round_id, *args)


def report(team: Team, round_id: str) -> dict:
    return json.loads(team.run("lead", "survey", "report", round_id, "--format", "json").output)


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return seven(tmp_path)


def test_seven_answers_are_counted_as_an_independent_count_says(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    people = ["lead"] + [f"m{i}" for i in range(len(MEMBERS))]
    for i, who in enumerate(people):
        answer(team, who, round_id, plan(i), comment=f"comment number {i}")
    pinned_today(AFTER)
    data = report(team, round_id)
    assert data["members"] == 7 and data["answers"] == 7 and data["shown"]
    assert data["response"] == "7 of 7 members answered (100%)"
    labels = data["scale"]
    for principle in data["principles"]:
        pooled = Counter()
        for statement in principle["statements"]:
            given = [plan(i).get(statement["id"]) for i in range(7)]
            expected = Counter(v for v in given if isinstance(v, int))
            n = sum(expected.values())
            pooled += expected
            if n < 5:
                assert statement == {**statement, "suppressed": True}
                assert "counts" not in statement
                continue
            assert statement["n"] == n
            assert statement["counts"] == {labels[v - 1]: expected[v] for v in range(1, 6)}
            agree = expected[4] + expected[5]
            assert statement["agree_pct"] == int(agree * 100 / n + 0.5)
        if any(s.get("suppressed") for s in principle["statements"]):
            assert principle["summary"] is None
        else:
            assert principle["summary"]["n"] == sum(pooled.values())
            assert principle["summary"]["counts"] == {labels[v - 1]: pooled[v] for v in range(1, 6)}
    comments = next(p["comments"] for p in data["principles"] if p["id"] == "P4")
    assert sorted(comments) == sorted(f"comment number {i}" for i in range(7))
    assert data["comment_warning"] and "identify" in data["comment_warning"]


def test_four_answers_suppress_every_figure(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    for i in range(4):
        answer(team, f"m{i}", round_id, plan(i), comment="a comment")
    pinned_today(AFTER)
    data = report(team, round_id)
    assert data["answers"] is None and not data["shown"]
    assert data["response"] == "fewer than 5 of 7 members answered"
    for principle in data["principles"]:
        assert principle["summary"] is None and principle["comments"] == []
        assert all(
            s == {"id": s["id"], "text": s["text"], "suppressed": True}
            for s in principle["statements"]
        )
    table = team.run("lead", "survey", "report", round_id).output
    assert "agree" not in table.replace("disagree", "") or "% agree" not in table
    assert "n=" not in table and "a comment" not in table


def test_no_figure_before_the_round_closes(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    for i in range(6):
        answer(team, f"m{i}", round_id, plan(i))
    data = report(team, round_id)
    assert not data["shown"]
    assert all(p["summary"] is None for p in data["principles"])
    assert "closed" in data["notes"][0]


def test_a_second_answer_from_one_workspace_is_refused(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    answer(team, "m0", round_id, plan(0))
    again = team.run("m0", "survey", "answer", round_id, "--level=P1a=3", code=2)
    assert "answered that round already" in again.stderr
    files = list((team.folder / "answers" / round_id).iterdir())
    assert len(files) == 1


def test_answers_only_while_open_and_only_valid_ones(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    pinned_today(AFTER)
    late = team.run("m0", "survey", "answer", round_id, "--level=P1a=3", code=2)
    assert "closed on 2026-03-14" in late.stderr
    pinned_today(DURING)
    bad = team.run("m0", "survey", "answer", round_id, "--level=P1a=9", code=2)
    assert "not on the scale" in bad.stderr
    unknown = team.run("m0", "survey", "answer", round_id, "--level=ZZ=3", code=2)
    assert "unknown statement" in unknown.stderr
    assert not list((team.folder / "answers" / round_id).iterdir())


def test_only_leads_open_rounds_and_read_reports(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    refused = team.run("m0", "survey", "open", "--closes", "2026-04-01", code=2)
    assert "only a lead" in refused.stderr
    pinned_today(AFTER)
    refused = team.run("m0", "survey", "report", round_id, code=2)
    assert "only a lead" in refused.stderr


def test_threshold_is_at_least_three_and_fixed_once_answers_exist(team: Team, pinned_today):
    pinned_today(OPENS)
    low = team.run("lead", "survey", "open", "--closes", "2026-03-14", "--threshold", "2", code=2)
    assert "threshold" in low.stderr
    round_id = open_round(team, pinned_today, threshold="6")
    team.run("lead", "survey", "threshold", round_id, "5")
    listing = json.loads(team.run("m1", "survey", "list", "--format", "json").output)
    assert listing["rounds"][0]["threshold"] == 5
    answer(team, "m1", round_id, plan(1))
    fixed = team.run("lead", "survey", "threshold", round_id, "3", code=2)
    assert "fixed" in fixed.stderr


def test_someone_admitted_after_a_round_opened_can_answer_it(team: Team, pinned_today):
    round_id = open_round(team, pinned_today)
    team.ws["late"] = team.folder.parent / "late"
    team.run("late", "team", "join", str(team.folder), "--name", "Lee Late")
    team.run("lead", "team", "admit", "Lee Late")
    team.run("late", "team", "list")
    assert json.loads(team.run("late", "survey", "list", "--format", "json").stdout)["rounds"] == []
    team.run("lead", "survey", "list")  # the lead's app seals the round again, to everyone now
    listing = json.loads(team.run("late", "survey", "list", "--format", "json").stdout)
    assert [r["id"] for r in listing["rounds"]] == [round_id]
    pinned_today(DURING)
    answer(team, "late", round_id, {"P1a": 2})
