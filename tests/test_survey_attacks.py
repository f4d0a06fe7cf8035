"""Forged and misplaced survey rounds are refused with a reason; hostile round keys go nowhere."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from observe.core.frameworks import load
from observe.core.survey import Round
from observe.store.team import keys
from observe.store.team.envelope import seal
from observe.store.team.folder import TeamFolder
from observe.store.workspace import packaged_criteria
from tests.helpers_survey import pinned_today, seven
from tests.test_survey_team import open_round

__all__ = ["pinned_today"]
SURVEY = load(packaged_criteria() / "community-health.toml")


def test_a_round_written_by_a_member_is_refused(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    open_round(team, pinned_today)
    member = keys.load(team.ws["m1"])
    team_id = json.loads((team.folder / "team.json").read_text())["team"]
    forged = Round(
        "s-" + "f" * 16, team_id, SURVEY, date(2026, 3, 1), date(2026, 3, 2), 3, member.member_id
    )
    everyone = [keys.load(team.ws[w]).public for w in team.ws]
    data = seal(
        forged.to_bytes(),
        writer=member,
        kind="survey-round",
        doc=f"survey-{forged.id}",
        recipients=everyone,
    )
    TeamFolder(team.folder).write(member.member_id, f"survey-{forged.id}.age", data)
    result = team.run("m2", "survey", "list", "--format", "json")
    ids = [r["id"] for r in json.loads(result.stdout)["rounds"]]
    assert forged.id not in ids and len(ids) == 1
    assert "may not write a survey-round" in result.stderr


def test_a_lead_round_copied_into_another_part_is_refused(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    lead = team.member_id("lead")
    source = team.folder / "members" / lead / f"survey-{round_id}.age"
    shutil.copy(source, team.folder / "members" / team.member_id("m3") / source.name)
    result = team.run("m2", "survey", "list", "--format", "json")
    assert len(json.loads(result.stdout)["rounds"]) == 1
    assert "not a survey round of the lead whose part it is in" in result.stderr


def test_hostile_round_keys_name_no_round(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    open_round(team, pinned_today)
    for key in ["../../etc", "s-", "", "s-zzzzzzzzzzzzzzzz"]:
        result = team.run("lead", "survey", "report", key, code=2)
        assert "no survey round" in result.stderr or "several rounds" in result.stderr
    assert sorted(p.name for p in team.folder.iterdir()) == ["answers", "members", "team.json"]
