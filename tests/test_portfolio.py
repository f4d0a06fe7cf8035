"""A facilitator's portfolio: the core over a generated multi-wave history, the JSON shape,
whose view it is (theirs with names, a lead's pseudonymised), and the names asked for."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from observe.core.calibration import FINISHED, groups_of
from observe.core.models import Framework
from observe.core.portfolio import build, counted
from observe.core.portfolio_model import JSON_VERSION
from observe.services.demo import generate
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_team import run


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace: three waves, co-delivered and co-observed sessions, actions."""
    root = tmp_path_factory.mktemp("history")
    ws = Workspace(root / "ws").ensure(seed=True)
    from observe.core.frameworks import load_all

    framework = load_all(ws.criteria_dir).get("good-facilitation")
    generate(ws.sessions_dir, framework, count=120, seed=5)
    return ws.root


def records_of(root: Path) -> list:
    return [files.read_record(p) for p in sorted((root / "sessions").glob("*.json"))]


def busiest(records: list) -> str:
    seen = Counter(p.id for r in records for p in r.session.meta.facilitators)
    return seen.most_common(1)[0][0]


def test_every_finished_observation_across_waves_once(history: Path) -> None:
    records = records_of(history)
    fid = busiest(records)
    p = build(records, fid, demo=True)
    by_id = {r.session.id: r for r in records}
    chosen = [by_id[o.session] for o in p.observations]
    assert len(chosen) >= 5
    assert len({o.wave for o in p.observations}) >= 2
    assert [o.date for o in p.observations] == sorted(o.date for o in p.observations)
    assert all(r.status in FINISHED for r in chosen)
    assert all(fid in {f.id for f in r.session.meta.facilitators} for r in chosen)
    # A co-observed delivery counts once: its agreed record when there is one.
    groups = groups_of(_entries(records))
    for r in chosen:
        group = groups.get(r.session.meta.calibration)
        if group is not None and group.agreed is not None:
            assert r.session.meta.agreed
    calibrated = {o.session for o in p.observations if by_id[o.session].session.meta.calibration}
    assert len(calibrated) == len({by_id[s].session.meta.calibration for s in calibrated})
    # Everything of theirs that is finished and not a second observer's copy is there.
    mine = [r for r in records if fid in {f.id for f in r.session.meta.facilitators}]
    left = sum(p.left_out.values())
    assert len(chosen) + left == len(mine)
    assert p.observations[0].observer  # a name: no pseudonyms asked for


def _entries(records: list) -> list:
    from observe.core.portfolio import _entry

    return [_entry(r) for r in records]


def test_demo_never_mixes_with_real(history: Path) -> None:
    records = records_of(history)
    fid = busiest(records)
    p = build(records, fid)
    assert p.observations == [] and p.ratings == []
    assert p.left_out["demo"] >= 5


def test_ratings_over_time_per_criterion(history: Path) -> None:
    records = records_of(history)
    fid = busiest(records)
    p = build(records, fid, demo=True)
    (series,) = p.ratings  # one framework in the demo
    values = [v for v, _ in series.scale]
    sessions = {o.session for o in p.observations}
    assert series.criteria
    for crit, title, points in series.criteria:
        assert title and crit
        assert [x.date for x in points] == sorted(x.date for x in points)
        assert all(x.level is None or x.level in values for x in points)
        assert all(x.session in sessions for x in points)
        assert all((x.level is None) == (x.label == "not observed") for x in points)


def test_themes_recur_with_their_evidence(history: Path) -> None:
    records = records_of(history)
    fid = busiest(records)
    p = build(records, fid, demo=True)
    dates = {o.session: o.date for o in p.observations}
    assert p.strengths and p.development
    for theme in p.strengths + p.development:
        assert theme.observations >= 2
        assert len({e.session for e in theme.evidence}) == theme.observations
        assert all(e.session in dates and e.date == dates[e.session] for e in theme.evidence)
        assert [e.date for e in theme.evidence] == sorted(e.date for e in theme.evidence)
    counts = [t.observations for t in p.strengths]
    assert counts == sorted(counts, reverse=True)
    top = p.ratings[0].scale[-1][1]
    assert any(e.text == f"Rated {top}" for t in p.strengths for e in t.evidence)


def test_actions_and_what_became_of_them(history: Path) -> None:
    records = records_of(history)
    followed_up = Counter(
        u.facilitator
        for r in records
        if r.status in FINISHED and not r.session.meta.calibration
        for u in r.followups
    )
    fid = followed_up.most_common(1)[0][0]
    p = build(records, fid, demo=True)
    assert p.actions
    states = {a.state for a in p.actions}
    assert states <= {"open", "done", "dropped", None}
    followed = [a for a in p.actions if a.follow_ups]
    assert followed
    for a in followed:
        for f in a.follow_ups:
            assert a.agreed is None or f.date >= a.agreed
            assert f.mark_label
    assert p.reflections or p.summaries


def test_counted_works_on_index_entries_as_on_records(history: Path) -> None:
    from observe.services.sessions import refresh_index

    ws = Workspace(history)
    records = records_of(history)
    fid = busiest(records)
    entries, left = counted(refresh_index(ws), fid, demo=True)
    p = build(records, fid, demo=True)
    assert [e.id for e in entries] == [o.session for o in p.observations]
    assert left == p.left_out


def test_json_shape(history: Path) -> None:
    result = run(history, "portfolio", _name(history), "--demo", "--format", "json", "--names")
    data = json.loads(result.output)
    assert data["version"] == JSON_VERSION
    assert set(data) == {
        "version", "facilitator", "names", "own", "demo", "left_out", "observations",
        "ratings", "strengths", "development", "summaries", "actions", "reflections",
        "self_assessments",
    }  # fmt: skip
    assert data["names"] is True and data["demo"] is True and data["own"] is False
    assert set(data["observations"][0]) == {
        "session", "date", "wave", "region", "partner", "title", "mode", "observer",
        "co_facilitators", "status", "framework",
    }  # fmt: skip
    series = data["ratings"][0]
    assert set(series) == {"framework", "title", "scale", "criteria"}
    assert set(series["criteria"][0]) == {"criterion", "title", "points"}
    assert set(series["criteria"][0]["points"][0]) == {"session", "date", "wave", "level", "label"}
    theme = data["strengths"][0]
    assert set(theme) == {"framework", "criterion", "title", "observations", "evidence"}
    assert set(theme["evidence"][0]) == {"session", "date", "source", "text"}
    summary = data["summaries"][0]
    assert set(summary) == {"session", "date", "strengths", "development", "summary"}


def test_json_shape_of_actions_reflections_and_hopes(
    workspace: Workspace, framework: Framework
) -> None:
    from observe.core.focus import Hope, SelfAssessment
    from observe.core.models import Action, Person, Status
    from observe.store.repository import Repository
    from tests.conftest import make_meta

    asha = Person.named("Asha Rahman")
    hoped = SelfAssessment(facilitator=asha.id, hopes=[Hope(criterion="R1", text="safe")])
    meta = make_meta("Asha Rahman").model_copy(update={"self_assessments": [hoped]})
    session = Repository(workspace).create(meta, framework)
    response = session.record.response(asha.id).model_copy(
        update={"reflection": "Mine.", "actions": [Action(text="Try a round")]}
    )
    session.put_response(asha.id, response)
    session.set_status(Status.COMPLETED)
    session.close()
    data = json.loads(run(workspace.root, "portfolio", "asha", "--format", "json").output)
    (action,) = data["actions"]
    assert set(action) == {
        "id", "text", "owner", "by", "state", "changed", "session", "agreed", "follow_ups", "past",
    }  # fmt: skip
    assert action["state"] == "open" and action["follow_ups"] == []
    (reflection,) = data["reflections"]
    assert set(reflection) == {"session", "date", "reflection", "disagreement", "acknowledged"}
    (sa,) = data["self_assessments"]
    assert set(sa) == {"session", "date", "written", "overall", "hopes"}
    assert set(sa["hopes"][0]) == {"criterion", "title", "text", "seen", "notes"}
    assert data["left_out"] == {"demo": 0, "unfinished": 0, "co_observed": 0}


def _name(root: Path) -> str:
    records = records_of(root)
    fid = busiest(records)
    return next(p.name for r in records for p in r.session.meta.facilitators if p.id == fid)


def test_a_lead_sees_codes_unless_names(history: Path) -> None:
    name = _name(history)
    records = records_of(history)
    people = {p.name for r in records for p in r.session.meta.facilitators}
    people |= {r.session.meta.observer.name for r in records if r.session.meta.observer}
    text = run(history, "portfolio", name, "--demo").output
    assert "F-" in text and "O-" in text
    assert "pseudonymous codes" in text
    for person in people:
        assert person not in text, person
        assert person.split()[0] not in text, person
    data = json.loads(run(history, "portfolio", name, "--demo", "--format", "json").output)
    assert data["facilitator"]["id"] is None and data["facilitator"]["label"].startswith("F-")
    dumped = json.dumps(data, ensure_ascii=False)
    assert not any(person in dumped for person in people)
    named = run(history, "portfolio", name, "--demo", "--names").output
    assert named.startswith(f"Portfolio of {name}")
    # The same codes as collation gives.
    table = run(history, "collate", "--demo", "--by", "facilitator").output
    assert data["facilitator"]["label"] in table


def test_unknown_and_ambiguous_names_are_one_line(history: Path) -> None:
    name = _name(history)
    typo = name[:-1] + ("x" if name[-1] != "x" else "y")
    result = run(history, "portfolio", typo, "--demo", code=2)
    assert result.output.count("\n") == 1 and f"did you mean {name}" in result.output
    result = run(history, "portfolio", name, code=2)  # every session here is a demo one
    assert "only in demo sessions: --demo" in result.output
    result = run(history, "portfolio", "nobody-at-all-here", "--demo", code=2)
    assert "no facilitator" in result.output and result.output.count("\n") == 1
    result = run(history, "portfolio", "a", "--demo", code=2)  # many names start with "a"
    assert "could be" in result.output and result.output.count("\n") == 1
    first = name.split()[0]
    records = records_of(history)
    firsts = Counter(p.name.split()[0] for r in records for p in r.session.meta.facilitators)
    if firsts[first] == 1:  # a unique first name is enough
        assert run(history, "portfolio", first.lower(), "--demo", "--names").output.startswith(
            f"Portfolio of {name}"
        )


def test_out_is_never_replaced_without_force(history: Path, tmp_path: Path) -> None:
    name = _name(history)
    out = tmp_path / "p.json"
    out.write_text("mine")
    result = run(
        history, "portfolio", name, "--demo", "--format", "json", "--out", str(out), code=2
    )
    assert "--force" in result.output and out.read_text() == "mine"
    run(history, "portfolio", name, "--demo", "--format", "json", "--out", str(out), "--force")
    assert json.loads(out.read_text())["version"] == JSON_VERSION
    sessions = history / "sessions" / "x.json"
    run(history, "portfolio", name, "--demo", "--out", str(sessions), code=2)
    assert not sessions.exists()


def test_own_portfolio_shows_names_and_a_lead_codes(tmp_path: Path, framework: Framework) -> None:
    from observe.core.models import Person
    from observe.store.repository import Repository
    from tests.conftest import make_meta
    from tests.helpers_team import three

    team = three(tmp_path)
    ws_b = Workspace(team.ws["b"])
    tom = Person(id=team.member_id("b"), name="Tom Price")
    meta = make_meta("Asha Rahman").model_copy(update={"facilitators": [tom]})
    session = Repository(ws_b).create(meta, framework)
    session.rate(tom.id, "R1", framework.scale.values[-1])
    session.put_summary(tom.id, strengths="Tom held the room warmly.")
    from observe.core.models import Status

    session.set_status(Status.COMPLETED)
    path = session.path
    session.close()
    own = run(team.ws["b"], "portfolio", "tom").output
    assert own.startswith("Portfolio of Tom Price (your own record)")
    assert "Jo Observer" in own and "Tom held the room warmly." in own
    data = json.loads(run(team.ws["b"], "portfolio", "Tom Price", "--format", "json").output)
    assert data["own"] is True and data["names"] is True
    # The lead, holding the same session, sees codes (their workspace's key).
    (team.ws["a"] / "sessions").mkdir(exist_ok=True)
    (team.ws["a"] / "sessions" / path.name).write_bytes(path.read_bytes())
    lead = run(team.ws["a"], "portfolio", "Tom Price").output
    assert "Tom" not in lead and "Jo Observer" not in lead and "F-" in lead


def test_what_they_hoped_to_show_beside_what_was_seen(
    workspace: Workspace, framework: Framework
) -> None:
    from observe.core.focus import Hope, SelfAssessment
    from observe.core.models import Note, NoteKind, Person, Status
    from observe.store.repository import Repository
    from tests.conftest import make_meta

    asha = Person.named("Asha Rahman")
    hoped = SelfAssessment(
        facilitator=asha.id,
        hopes=[Hope(criterion="r1", text="I hope the opening feels safe"), Hope(criterion="s2")],
        overall="Pacing is what I worry about.",
    )
    meta = make_meta("Asha Rahman").model_copy(update={"self_assessments": [hoped]})
    session = Repository(workspace).create(meta, framework)
    session.add_note(
        Note(
            at=session.session.created_at,
            text="Asha greeted everyone by name #R1",
            kind=NoteKind.STRENGTH,
            criteria=["R1"],
        )
    )
    session.rate(asha.id, "R1", framework.scale.values[-1])
    session.set_status(Status.COMPLETED)
    record = session.record
    session.close()
    p = build([record], asha.id)
    (sa,) = p.self_assessments
    assert sa.overall == "Pacing is what I worry about."
    r1, s2 = sa.hopes
    top = framework.scale.levels[-1].label
    assert (r1.criterion, r1.text, r1.seen) == ("R1", "I hope the opening feels safe", top)
    assert r1.notes == ["Asha greeted everyone by name"]
    assert (s2.seen, s2.notes) == ("not rated", [])
    data = p.to_json()["self_assessments"][0]
    assert data["hopes"][0]["seen"] == top and data["date"] == "2026-03-04"


def test_name_completes_from_the_roster(tmp_path: Path) -> None:
    from click.shell_completion import ShellComplete

    from observe.cli import main as cli_main
    from tests.helpers_team import three

    team = three(tmp_path)
    complete = ShellComplete(cli_main.main, {}, "observe", "_OBSERVE_COMPLETE")
    found = complete.get_completions(["-w", str(team.ws["a"]), "portfolio"], "to")
    assert [c.value for c in found] == ["Tom Price"]


def test_two_frameworks_give_two_sets_of_ratings(
    workspace: Workspace, framework: Framework
) -> None:
    from observe.core.models import Person, Status
    from observe.store.repository import Repository
    from tests.conftest import make_meta

    other = framework.model_copy(update={"id": "online-only", "title": "Online practice"})
    asha = Person.named("Asha Rahman")
    records = []
    for fw, day in ((framework, 2), (other, 9), (framework, 16)):
        meta = make_meta("Asha Rahman").model_copy(
            update={"date": make_meta().date.replace(day=day)}
        )
        session = Repository(workspace).create(meta, fw)
        session.rate(asha.id, "R1", fw.scale.values[day % 2])
        session.set_status(Status.COMPLETED)
        records.append(session.record)
        session.close()
    p = build(records, asha.id)
    assert [s.framework for s in p.ratings] == ["good-facilitation", "online-only"]
    ((_, _, points),) = p.ratings[0].criteria
    assert [x.date.day for x in points] == [2, 16]
    ((_, _, points),) = p.ratings[1].criteria
    assert [x.date.day for x in points] == [9]


def test_level_rows_line_up_by_observation() -> None:
    from datetime import date

    from observe.core.portfolio_model import Point
    from observe.report.portfolio_text import level_row

    points = [
        Point("b", date(2026, 1, 2), "1", 4, "Top"),
        Point("d", date(2026, 1, 9), "1", None, ""),
    ]
    assert level_row(points, [1, 2, 3, 4]) == "█·"
    assert level_row(points, [1, 2, 3, 4], ["a", "b", "c", "d"]) == " █ ·"
    assert level_row([Point("a", date(2026, 1, 1), "1", 1, "Low")], [1, 2, 3, 4]) == "▁"


def test_an_open_action_past_its_date_says_so(workspace: Workspace, framework: Framework) -> None:
    from datetime import date

    from observe.core.choices import ActionState
    from observe.core.models import Person, Response, Status
    from observe.report.portfolio import _became
    from observe.report.portfolio_text import to_text
    from observe.store.repository import Repository
    from tests.conftest import make_meta
    from tests.helpers_actions import act

    asha = Person.named("Asha Rahman")
    session = Repository(workspace).create(make_meta("Asha Rahman"), framework)
    late = act("Ask a quieter voice first", date(2026, 3, 10))
    done = act("Name the aim first", date(2026, 3, 10)).model_copy(
        update={"state": ActionState.DONE, "changed": date(2026, 3, 9)}
    )
    later = act("Try a fishbowl", date(2026, 6, 1))
    response = Response(id="r", facilitator=asha.id, actions=[late, done, later])
    session.put_response(asha.id, response)
    session.set_status(Status.COMPLETED)
    record = session.record
    session.close()
    p = build([record], asha.id, today=date(2026, 4, 1))
    assert {a.text: a.past for a in p.actions} == {
        "Ask a quieter voice first": True,
        "Name the aim first": False,
        "Try a fishbowl": False,
    }
    assert [a["past"] for a in p.to_json()["actions"]] == [a.past for a in p.actions]
    assert "Ask a quieter voice first, by 2026-03-10 [open, past its date]" in to_text(p)
    words = {a.text: _became(a) for a in p.actions}
    assert words["Ask a quieter voice first"] == "still open, past the date agreed"
    assert words["Try a fishbowl"] == "still open"
    assert not any(a.past for a in build([record], asha.id).actions)  # no day: none marked


def test_an_observation_with_no_place_reads_without_a_stray_semicolon(
    workspace: Workspace, framework: Framework
) -> None:
    from observe.core.models import Person, Status
    from observe.report.portfolio_text import left_out_line, to_text
    from observe.store.repository import Repository
    from tests.conftest import make_meta

    asha = Person.named("Asha Rahman")
    meta = make_meta("Asha Rahman").model_copy(update={"region": "", "partner": ""})
    session = Repository(workspace).create(meta, framework)
    session.set_status(Status.COMPLETED)
    record = session.record
    session.close()
    p = build([record], asha.id)
    lines = to_text(p).splitlines()
    assert "      Observed by Jo Observer" in lines
    assert not any(line.strip().startswith(";") for line in lines)
    p.left_out = {"demo": 2}
    assert left_out_line(p) == "Not counted: 2 demo (--demo shows them)."
    assert left_out_line(p, demo_hint="") == "Not counted: 2 demo."
