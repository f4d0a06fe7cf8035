"""`observe agreement`: the JSON contract, the other formats, the --out rule, demo data worth
reading, and hostile names and titles shown as typed in every output."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.core.models import Framework, Person, Rating, Status
from observe.core.untrusted import FORMULA_START
from observe.services import demo_phrases as words
from observe.services.demo import generate
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_leads import session_tables, write_tables
from tests.test_attack_text import CRITERION_TITLE, NAMES, RAW_CONTROL, hostile_framework

HTML_NAME = "<b>Bold</b> Ann"
FIELDS = {"units", "exact", "within_one", "alpha_ordinal", "alpha_interval"}


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("agreement") / "ws").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    generate(ws.sessions_dir, framework, count=100, seed=5)
    return ws


def run(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


def test_json_has_overall_and_every_criterion_lowest_first(demo_ws: Workspace) -> None:
    data = json.loads(run(demo_ws, "agreement", "--demo", "--format", "json").stdout)
    assert data["demo"] is True and data["groups"] >= 5
    overall, criteria = data["overall"], data["criteria"]
    assert overall.keys() >= FIELDS and overall["units"] >= 100
    assert overall["units"] == sum(c["units"] for c in criteria.values())
    framework = load_all(demo_ws.criteria_dir).get("good-facilitation")
    assert set(criteria) <= {c.id for _, c in framework.criteria()}
    for cid, c in criteria.items():
        assert c.keys() >= FIELDS and c["criterion"] == cid
        assert 0 <= c["exact"] <= c["within_one"] <= 1
    # Realistic disagreement: neither perfect nor chance, and not the same everywhere.
    alphas = [c["alpha_ordinal"] for c in criteria.values() if c["alpha_ordinal"] is not None]
    assert alphas == sorted(alphas)  # the lowest agreement first
    assert 0.3 < overall["alpha_ordinal"] < 0.95 and alphas[-1] - alphas[0] > 0.2
    assert (
        overall["alpha_ordinal_ci"][0] < overall["alpha_ordinal"] < overall["alpha_ordinal_ci"][1]
    )
    pairs = overall["kappa_pairs"]
    assert pairs and all(p["observers"][0].startswith("O-") for p in pairs)
    assert any(p["ci"] for p in pairs) and all(-1 <= (p["value"] or 0) <= 1 for p in pairs)
    assert data["left_out"]["observed_alone"] > 0 and data["left_out"]["not_observed_answers"] > 0


def test_the_same_data_give_the_same_figures(demo_ws: Workspace) -> None:
    first = run(demo_ws, "agreement", "--demo", "--format", "json").stdout
    assert run(demo_ws, "agreement", "--demo", "--format", "json").stdout == first


def test_names_only_when_asked(demo_ws: Workspace) -> None:
    coded = run(demo_ws, "agreement", "--demo").stdout
    named = run(demo_ws, "agreement", "--demo", "--names").stdout
    people = [n for n in words.FACILITATORS if n in named]
    assert people and not any(n in coded for n in words.FACILITATORS)
    assert "pseudonymous codes" in coded and "O-" in coded


def test_table_names_the_lowest_first_and_explains(demo_ws: Workspace) -> None:
    text = run(demo_ws, "agreement", "--demo").stdout
    assert "DEMO DATA" in text and "lowest first" in text
    rows = text.split("== agreement per criterion, lowest first")[1].split("\n\nall")[0]
    lines = [line for line in rows.splitlines()[3:] if line.strip()]
    assert len(lines) > 10
    assert "kappa (quadratic weights) per pair of observers" in text
    assert "'Not observed' is missing, not a level." in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= 100


def test_csv_has_a_row_per_criterion_overall_and_pairs(demo_ws: Workspace) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run(demo_ws, "agreement", "--demo", "--format", "csv").stdout))
    )
    scopes = [r["scope"] for r in rows]
    assert scopes.count("overall") == 1 and "kappa overall" in scopes
    data = json.loads(run(demo_ws, "agreement", "--demo", "--format", "json").stdout)
    assert [r["criterion"] for r in rows if r["scope"] == "criterion"] == list(data["criteria"])
    overall = next(r for r in rows if r["scope"] == "overall")
    assert float(overall["alpha_ordinal"]) == pytest.approx(data["overall"]["alpha_ordinal"])


def test_real_sessions_only_without_demo(demo_ws: Workspace) -> None:
    data = json.loads(run(demo_ws, "agreement", "--format", "json").stdout)
    assert data["demo"] is False and data["overall"]["units"] == 0 and data["criteria"] == {}
    assert data["left_out"]["demo"] > 0
    result = run(demo_ws, "agreement", "--format", "pdf", code=2)
    assert "no co-observed units" in result.stderr


def test_out_is_never_replaced_without_force(demo_ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    run(demo_ws, "agreement", "--demo", "--format", "json", "--out", str(target))
    assert json.loads(target.read_text())["overall"]["units"] > 0
    refused = run(demo_ws, "agreement", "--demo", "--out", str(target), code=2)
    assert "already exists" in refused.stderr
    run(demo_ws, "agreement", "--demo", "--out", str(target), "--force")
    assert target.read_text().startswith("DEMO DATA")
    inside = demo_ws.sessions_dir / "x.json"
    run(demo_ws, "agreement", "--demo", "--out", str(inside), code=2)
    assert not inside.exists()


def test_pdf_reads_as_text(demo_ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "agreement.pdf"
    run(demo_ws, "agreement", "--demo", "--format", "pdf", "--out", str(target))
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Per criterion, lowest agreement first" in text and "Demo data" in text
    assert "Pairs of observers" in text and "O-" in text
    # Its own footer on every page, not the collated report's.
    assert "Collated peer observation" not in text
    assert text.count("a shared sense of each level") == len(PdfReader(target).pages)
    saved = run(demo_ws, "agreement", "--demo", "--format", "pdf").stdout.strip()
    assert Path(saved).parent == demo_ws.exports_dir and Path(saved).name.startswith("agreement_")


# ---------------------------------------------------------------- hostile text


def co_observed(ws: Workspace, framework: Framework, rng: random.Random, group: int) -> None:
    """Two observers with hostile names rate the same two facilitators on the same criteria."""
    cal = f"cal-{group}"
    people = [Person.named(NAMES[group % 5]), Person.named(NAMES[(group + 1) % 5])]
    criteria = ["R1", "R2", "S1"]
    truth = {(p.id, c): rng.randint(1, 4) for p in people for c in criteria}
    for k in range(2):
        tables = session_tables(rng, framework, status=Status.COMPLETED)
        doc = tables[files.SESSION_TABLE]["1"]
        observer = Person.named(HTML_NAME if (group, k) == (0, 1) else NAMES[(group + 2 + k) % 5])
        doc["meta"].update(
            calibration=cal,
            facilitators=[p.model_dump(mode="json") for p in people],
            observer=observer.model_dump(mode="json"),
            region="=cmd|' /C calc'!A0",
            mode="in_person",
        )
        ratings = []
        for (fac, crit), level in truth.items():
            seen = level if k == 0 or rng.random() < 0.6 else rng.randint(1, 4)
            ratings.append(
                Rating(
                    id=Rating.id_for(doc["id"], fac, crit),
                    facilitator=fac,
                    criterion=crit,
                    level=seen,
                ).dump()
            )
        tables[files.RATINGS_TABLE] = {str(i): r for i, r in enumerate(ratings, 1)}
        write_tables(ws, tables)


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("hostile-agreement") / "ws").ensure(seed=True)
    framework = hostile_framework(ws)
    rng = random.Random(4)
    for group in range(8):
        co_observed(ws, framework, rng, group)
    return ws


def test_hostile_names_and_titles_are_shown_as_typed(hostile_ws: Workspace, tmp_path: Path) -> None:
    table = run(hostile_ws, "agreement", "--names").stdout
    assert not RAW_CONTROL.search(table)
    assert "\\x1b]0;owned\\x07" in table and "\\u202e" in table
    data = json.loads(run(hostile_ws, "agreement", "--names", "--format", "json").stdout)
    assert data["criteria"]["R1"]["title"] == CRITERION_TITLE
    observers = {o for p in data["overall"]["kappa_pairs"] for o in p["observers"]}
    assert observers <= {Person.named(n).name for n in [*NAMES, HTML_NAME]}
    assert len(observers) >= 3
    body = list(
        csv.reader(io.StringIO(run(hostile_ws, "agreement", "--names", "--format", "csv").stdout))
    )
    for row in body[1:]:
        for cell in row:
            assert not RAW_CONTROL.search(cell), cell
            assert not cell.startswith(FORMULA_START) or is_number(cell), cell
    assert any(row[3] == "'" + CRITERION_TITLE for row in body)
    target = tmp_path / "hostile.pdf"
    run(hostile_ws, "agreement", "--names", "--format", "pdf", "--out", str(target))
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert "[b]R1[/b]" in text and "HYPERLINK" in text
    assert HTML_NAME in text  # markup printed as typed, never interpreted


def test_the_command_line_starts_without_the_statistics_libraries() -> None:
    import subprocess
    import sys

    heavy = {"numpy", "sklearn", "scipy", "krippendorff", "openpyxl"}
    loaded = "{m.split('.')[0] for m in sys.modules}"
    code = f"import sys, observe.cli.main\nprint(sorted({loaded} & {heavy!r}))\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
