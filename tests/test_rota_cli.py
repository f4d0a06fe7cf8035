"""observe rota: plan, adjust, publish and follow up, from the command line, with attacks."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from observe.cli.main import main
from observe.core.models import Person
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta
from tests.helpers_team import three

HOSTILE = '=HYPERLINK("http://x")\x1b[31m[bold]Red[/]\u202e'
PAIRS = [("Asha Rahman", "Tom Price"), ("Kofi Mensah", HOSTILE), ("Mei Chen", "Ravi Patel")]
TODAY = "2026-03-10"


def run(ws: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(main, ["--workspace", str(getattr(ws, "root", ws)), *args])
    out = result.output + (result.stderr or "")
    assert result.exit_code == code, out
    assert "Traceback" not in out
    return result


def add_session(ws: Workspace, facilitators: tuple[str, ...], observer: str, wave: str) -> None:
    meta = make_meta(*facilitators).model_copy(
        update={
            "wave": wave,
            "observer": Person.named(observer),
            "partner": f"Partner {facilitators[0][:1]}",
        }
    )
    from observe.core.frameworks import load_all

    framework = load_all(ws.criteria_dir).get("good-facilitation")
    Repository(ws).create(meta, framework).close()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """Three pairs who delivered in wave 1 and were observed there; wave 2 to plan."""
    workspace = Workspace(tmp_path / "ws").ensure(seed=True)
    for n, pair in enumerate(PAIRS):
        observer = PAIRS[(n + 1) % 3][0]
        add_session(workspace, pair, observer, "1")
    return workspace


def plan_file(ws: Workspace, *, draft: bool) -> dict:
    name = "wave-2.draft.json" if draft else "wave-2.json"
    return orjson.loads((ws.root / "rota" / name).read_bytes())


def test_plan_keeps_a_draft_that_keeps_the_rules(ws: Workspace) -> None:
    out = run(ws, "rota", "--today", TODAY, "plan", "--wave", "2", "--due", "2026-04-01")
    assert "draft plan for wave 2" in out.stdout
    plan = plan_file(ws, draft=True)
    assert plan["state"] == "draft" and plan["wave"] == "2"
    observed = {p["id"] for a in plan["assignments"] for p in a["facilitators"]}
    assert observed == {Person.named(n).id for pair in PAIRS for n in pair}
    last = {(PAIRS[(n + 1) % 3][0], name) for n, pair in enumerate(PAIRS) for name in pair}
    for a in plan["assignments"]:
        mine = {f["name"] for f in a["facilitators"]}
        assert a["observer"]["name"] not in mine
        assert not any((a["observer"]["name"], f) in last for f in mine)
        assert a["due"] == "2026-04-01"


def test_an_impossible_rule_is_one_line_naming_it(ws: Workspace) -> None:
    result = run(ws, "rota", "plan", "--wave", "2", "--spread", "0", code=2)
    line = result.stderr.strip()
    assert "\n" not in line
    assert line.startswith("observe: the rule 'everyone observes about as often' cannot hold")
    assert not (ws.root / "rota" / "wave-2.draft.json").exists()


def test_set_swap_add_remove_publish_and_progress(ws: Workspace) -> None:
    run(ws, "rota", "plan", "--wave", "2", "--due", "2026-04-01")
    before = plan_file(ws, draft=True)["assignments"]
    run(ws, "rota", "swap", "--wave", "2", "a1", "a2")
    after = plan_file(ws, draft=True)["assignments"]
    assert after[0]["observer"] == before[1]["observer"]
    assert after[1]["observer"] == before[0]["observer"]
    # Moving an observer onto their own delivery is allowed, and said as a warning.
    own = after[0]["facilitators"][0]["name"]
    moved = run(ws, "rota", "set", "--wave", "2", "1", "--observer", own, "--due", "2026-03-01")
    assert "nobody observes themselves" in moved.stderr
    assert plan_file(ws, draft=True)["assignments"][0]["due"] == "2026-03-01"
    run(ws, "rota", "set", "--wave", "2", "a9", "--observer", own, code=2)
    run(ws, "rota", "set", "--wave", "2", "a1", "--observer", "Nobody Known", code=2)
    run(ws, "rota", "remove", "--wave", "2", "a3")
    run(ws, "rota", "add", "--wave", "2", "--observer", "Asha Rahman", "--facilitator", "Mei Chen")
    assert [a["id"] for a in plan_file(ws, draft=True)["assignments"]] == ["a1", "a2", "a4"]
    published = run(ws, "rota", "publish", "--wave", "2")
    assert "to this workspace (no team folder)" in published.stdout
    assert not (ws.root / "rota" / "wave-2.draft.json").exists()
    assert plan_file(ws, draft=False)["state"] == "published"
    run(ws, "rota", "publish", "--wave", "2", code=2)  # no draft left to publish
    # The first assignment becomes done once its observer's session exists in wave 2.
    first = plan_file(ws, draft=False)["assignments"][0]
    add_session(ws, ("Someone Else",), first["observer"]["name"], "2")
    names = tuple(f["name"] for f in plan_file(ws, draft=False)["assignments"][1]["facilitators"])
    add_session(ws, names, plan_file(ws, draft=False)["assignments"][1]["observer"]["name"], "2")
    shown = run(ws, "rota", "--today", TODAY, "--wave", "2").stdout
    rows = [line for line in shown.splitlines() if line.startswith("2 ")]
    assert "overdue" in rows[0]  # due 2026-03-01, nothing of its facilitators seen
    assert rows[1].rstrip().endswith("done")
    assert "Wave 2 (published 1)" in shown


def test_csv_cells_are_neutralised_and_ics_parses_back(ws: Workspace, tmp_path: Path) -> None:
    run(ws, "rota", "plan", "--wave", "2", "--due", "2026-04-01")
    text = run(ws, "rota", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["wave", "id", "observer"]
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(
        c.startswith("'=HYPERLINK") or "& '=HYPERLINK" in c or "=HYPERLINK" in c for c in cells
    )
    assert "\x1b" not in text and "\u202e" not in text
    printed = run(ws, "rota", "--format", "ics").stdout
    assert len(Calendar.from_ical(printed).walk("VEVENT")) == len(rows) - 1
    assert "\x1b" not in printed and "\\r" not in printed
    target = tmp_path / "rota.ics"
    run(ws, "rota", "--format", "ics", "--out", str(target))
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == len(plan_file(ws, draft=True)["assignments"])
    assert {e.decoded("dtstart") for e in events} == {date(2026, 4, 1)}
    assert len({str(e["uid"]) for e in events}) == len(events)
    raw = target.read_text()
    assert "\x1b" not in raw and "\u202e" not in raw
    assert "\\x1b" in raw  # the escape shows, as text
    run(ws, "rota", "--format", "ics", "--out", str(target), code=2)  # never replaced
    run(ws, "rota", "--format", "ics", "--out", str(ws.root / "rota" / "x.ics"), code=2)


def test_hostile_names_never_reach_the_terminal_raw(ws: Workspace) -> None:
    planned = run(ws, "rota", "plan", "--wave", "2")
    shown = run(ws, "rota").stdout
    for out in (planned.stdout, shown):
        assert "\x1b" not in out and "\u202e" not in out
        assert "\\x1b[31m[bold]Red[/]\\u202e" in out


def test_no_rota_yet_says_how_to_make_one(ws: Workspace) -> None:
    assert "observe rota plan --wave W" in run(ws, "rota").stdout
    assert "wave 5 has no rota yet" in run(ws, "rota", "--wave", "5", code=2).stderr
    assert "no plan yet" in run(ws, "rota", "swap", "--wave", "5", "a1", "a2", code=2).stderr


def test_a_damaged_plan_is_one_line_and_kept(ws: Workspace) -> None:
    folder = ws.root / "rota"
    folder.mkdir()
    (folder / "wave-2.draft.json").write_text('{"format": 1, "wave": "2", "assignments": 7}')
    result = run(ws, "rota", "--wave", "2", code=2)
    assert "not a rota plan" in result.stderr
    assert (folder / "wave-2.draft.json").read_text().endswith("7}")


def test_a_team_lead_publishes_and_members_follow(tmp_path: Path) -> None:
    team = three(tmp_path)
    lead_ws = Workspace(team.ws["a"]).ensure(seed=True)
    for pair, observer in [
        (("Asha Rahman", "Tom Price"), "Siân O'Neil"),
        (("Siân O'Neil",), "Asha Rahman"),
    ]:
        add_session(lead_ws, pair, observer, "1")
    team.run("b", "rota", "plan", "--wave", "2", code=2)  # only a lead plans
    team.run("a", "rota", "plan", "--wave", "2", "--allow-repeat")
    out = team.run("a", "rota", "publish", "--wave", "2").stdout
    assert "the team folder (rota-2.age)" in out
    sealed = team.folder / "members" / team.member_id("a") / "rota-2.age"
    assert sealed.is_file() and b"Tom Price" not in sealed.read_bytes()
    seen = team.run("b", "rota", "--wave", "2").stdout
    assert "published 1" in seen
    plan = orjson.loads((team.ws["a"] / "rota" / "wave-2.json").read_bytes())
    for a in plan["assignments"]:
        assert a["observer"]["name"] in seen
    # A member's forged rota in their own part is refused: members may not write rotas.
    forged = team.folder / "members" / team.member_id("b") / "rota-2.age"
    forged.write_bytes(sealed.read_bytes())
    again = team.run("c", "rota", "--wave", "2")
    assert "published 1" in again.stdout
    assert f"refused members/{team.member_id('b')}/rota-2.age" in again.stderr


def test_the_demo_has_a_rota_per_wave_with_done_due_and_overdue(tmp_path: Path) -> None:
    from observe.core.frameworks import load_all
    from observe.core.rota.progress import counts
    from observe.services import demo, demo_rota, rota

    workspace = Workspace(tmp_path / "ws").ensure(seed=True)
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    demo.generate(workspace.sessions_dir, framework, count=90, seed=1)
    today = date(2026, 11, 28)
    plans = demo_rota.write(workspace, seed=1, today=today)
    assert [p.wave for p in plans] == ["1", "2", "3"]
    assert all(p.state == "published" for p in plans)
    found = rota.overview(workspace, None, today).waves
    assert [w.breaches for w in found] == [[], [], []]  # the rules hold, as published
    total = {k: sum(counts(w.rows)[k] for w in found) for k in ("done", "due", "overdue")}
    assert total["done"] > 0 and total["due"] > 0 and total["overdue"] >= 1
    current = counts(found[-1].rows)
    assert current["done"] > 0 and current["due"] > 0  # the wave under way
    shown = run(workspace, "rota", "--today", today.isoformat()).stdout
    assert "Wave 3 (published 1)" in shown and "overdue" in shown


def test_the_demo_writes_no_rota_into_a_teams_workspace(tmp_path: Path) -> None:
    from observe.services import demo_rota, rota_team
    from observe.store.team import membership

    assert rota_team.MEMBERSHIP_FILE == membership.FILE
    team = three(tmp_path)
    workspace = Workspace(team.ws["a"]).ensure(seed=True)
    assert demo_rota.write(workspace, seed=1, today=date(2026, 11, 28)) == []
    assert not (team.folder / "members" / team.member_id("a") / "rota-1.age").exists()
