"""Nothing in the team folder or a lead's workspace ties a survey answer to a member."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import orjson
import pytest

from observe.services import survey
from observe.store.team import keys, survey_drop
from tests.helpers_survey import AFTER, DURING, LEAD, MEMBERS, OPENS, pinned_today, seven
from tests.helpers_team import Team
from tests.test_survey_team import answer, open_round, plan

__all__ = ["pinned_today"]


def files_of(root: Path) -> dict[str, tuple[int, float, str]]:
    """Every file under ``root``: size, mtime and content hash by relative path."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            st = path.stat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[str(path.relative_to(root))] = (st.st_size, st.st_mtime, digest)
    return out


@pytest.fixture
def answered(tmp_path: Path, pinned_today) -> tuple[Team, str]:
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    for i in range(len(MEMBERS)):
        short = "x" if i % 2 else "a much longer comment " * 40
        answer(team, f"m{i}", round_id, plan(i) if i != 3 else {"P1a": 3}, comment=short)
    pinned_today(AFTER)
    return team, round_id


def test_answer_files_share_one_size_a_random_name_and_the_round_day(answered):
    team, round_id = answered
    folder = team.folder / "answers" / round_id
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(MEMBERS)
    assert all(re.fullmatch(r"[0-9a-f]{32}\.age", n) for n in names)  # no temp file left
    sizes = {(folder / n).stat().st_size for n in names}
    assert len(sizes) == 1, sizes  # a one-level answer and a long comment: the same size
    stamp = survey_drop.day_stamp(OPENS)
    assert {(folder / n).stat().st_mtime for n in names} == {stamp}
    assert folder.stat().st_mtime == stamp


def test_nothing_inside_an_answer_names_its_writer(answered):
    team, round_id = answered
    lead = keys.load(team.ws["lead"])
    ids = [team.member_id(f"m{i}") for i in range(len(MEMBERS))]
    folder = team.folder / "answers" / round_id
    for path in folder.iterdir():
        raw = path.read_bytes()
        assert not any(i.encode() in raw for i in ids)
        payload = survey_drop.open_answer(raw, lead)
        data = orjson.loads(payload)
        assert set(data) == {
            "format",
            "round",
            "team",
            "survey",
            "threshold",
            "nonce",
            "levels",
            "comments",
        }
        text = payload.decode()
        assert not any(i in text for i in ids)
        assert not any(name in text for name in [LEAD, *MEMBERS])
        assert not re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d", text)  # no date, no time of day


def test_answers_are_for_the_leads_only_and_not_signed(answered):
    team, round_id = answered
    member = keys.load(team.ws["m0"])
    for path in (team.folder / "answers" / round_id).iterdir():
        with pytest.raises(Exception, match="cannot decrypt"):
            survey_drop.open_answer(path.read_bytes(), member)
    refused = team.run("m0", "survey", "report", round_id, code=2)
    assert "only a lead" in refused.stderr


def test_answering_writes_nothing_in_the_members_own_part(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    before = files_of(team.folder / "members")
    pinned_today(DURING)
    answer(team, "m2", round_id, plan(2), comment="mine")
    assert files_of(team.folder / "members") == before


def test_the_members_machine_keeps_only_that_it_answered(answered):
    team, round_id = answered
    for i in range(len(MEMBERS)):
        ws = team.ws[f"m{i}"]
        assert sorted(p.name for p in (ws / "survey").iterdir()) == ["answered.json"]
        data = json.loads((ws / "survey" / "answered.json").read_text())
        assert data == {"format": 1, "rounds": [round_id]}
        for path in ws.rglob("*"):
            if path.is_file():
                assert b"longer comment" not in path.read_bytes()


def test_the_report_writes_nothing_in_the_leads_workspace(answered):
    team, round_id = answered
    before = files_of(team.ws["lead"])
    for fmt in ("table", "json"):
        team.run("lead", "survey", "report", round_id, "--format", fmt)
    assert files_of(team.ws["lead"]) == before


def test_the_order_of_files_changes_nothing(answered, tmp_path: Path):
    team, round_id = answered
    first = survey.report(team.ws["lead"], round_id, today=AFTER).tally
    folder = team.folder / "answers" / round_id
    moved = tmp_path / "moved"
    shutil.move(folder, moved)
    folder.mkdir()
    for path in sorted(moved.iterdir(), reverse=True):  # arrive in the other order
        shutil.copy2(path, folder / path.name)
    second = survey.report(team.ws["lead"], round_id, today=AFTER).tally
    strip = [(p.id, p.summary, [(s.id, s.figures) for s in p.statements]) for p in first.principles]
    again = [
        (p.id, p.summary, [(s.id, s.figures) for s in p.statements]) for p in second.principles
    ]
    assert strip == again
    assert sorted(c for p in first.principles for c in p.comments) == sorted(
        c for p in second.principles for c in p.comments
    )


def test_copies_strays_and_answers_from_elsewhere_are_not_counted(answered, tmp_path: Path):
    team, round_id = answered
    folder = team.folder / "answers" / round_id
    one = next(folder.iterdir())
    shutil.copy(one, folder / ("f" * 32 + ".age"))  # a copy under another name: counted once
    (folder / ("0" * 32 + ".age")).write_bytes(b"not age at all")
    outsider = keys.Identity.generate()
    forged = survey_drop.seal_answer(b'{"format": 1}', 4096, [outsider.public])
    (folder / ("1" * 32 + ".age")).write_bytes(forged)
    (folder / "notes.txt").write_text("not an answer name")
    os.symlink(one, folder / ("2" * 32 + ".age"))
    result = survey.report(team.ws["lead"], round_id, today=AFTER)
    assert result.tally.answers == len(MEMBERS)
    assert result.duplicates == 1 and result.refused == 2


def test_a_draft_is_kept_until_submitted_then_deleted(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    ws = team.ws["m1"]
    survey.save_draft(ws, round_id, {"P1a": 4}, {"P1": "half written"})
    assert survey.load_draft(ws, round_id) == ({"P1a": 4}, {"P1": "half written"})
    survey.submit(ws, round_id, {"P1a": 4}, {"P1": "half written"}, today=DURING)
    assert survey.load_draft(ws, round_id) == ({}, {})
    assert not (ws / "survey" / f"draft-{round_id}.json").exists()
