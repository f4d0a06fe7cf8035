"""The leads' workbook, opened with openpyxl: its sheets, frozen headers, autofilters, number
types and formats, codes unless --names, and no formula anywhere, whatever the text says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.services import demo_phrases as words
from observe.services.demo import generate
from observe.store.workspace import Workspace
from tests.test_agreement_cli import HTML_NAME, hostile_ws  # noqa: F401 (a fixture)
from tests.test_attack_text import CRITERION_TITLE, NAMES

SHEETS = [
    "What was counted",
    "Criteria",
    "Change across waves",
    "Coverage",
    "Actions followed up",
    "Agreement",
    "Observer pairs",
]


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("workbook") / "ws").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    generate(ws.sessions_dir, framework, count=60, seed=8)
    return ws


def run(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


def workbook(ws: Workspace, tmp_path: Path, *args: str) -> Any:
    target = tmp_path / "leads.xlsx"
    out = run(ws, "collate", "--format", "xlsx", "--out", str(target), *args).stdout
    assert out.strip() == str(target)
    return load_workbook(target)


def cells(wb: Any) -> list[Any]:
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def header(ws: Any) -> list[Any]:
    return [c.value for c in ws[1]]


def test_one_sheet_per_view_each_a_filtered_table_with_a_frozen_header(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    wb = workbook(demo_ws, tmp_path, "--demo", "--by", "wave")
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1] if c.value), ws.title
        assert ws.max_row >= 2, ws.title


def test_numbers_are_numbers_with_formats(demo_ws: Workspace, tmp_path: Path) -> None:
    wb = workbook(demo_ws, tmp_path, "--demo")
    crit = wb["Criteria"]
    head = header(crit)
    n, mean = head.index("n") + 1, head.index("Mean") + 1
    rows = list(crit.iter_rows(min_row=2))
    assert all(isinstance(r[n - 1].value, int) for r in rows)
    means = [r[mean - 1] for r in rows if r[mean - 1].value is not None]
    assert means and all(isinstance(c.value, float) and c.number_format == "0.00" for c in means)
    assert all(c.data_type == "n" for c in means)
    agree = wb["Agreement"]
    head = header(agree)
    assert head[:6] == ["Framework", "Criterion", "Title", "Units", "Exact", "Within one"]
    body = list(agree.iter_rows(min_row=2, values_only=True))
    assert body[-1][1] == "(all)" and body[-1][3] > 50
    exact = [r[head.index("Exact")] for r in agree.iter_rows(min_row=2)]
    assert all(c.number_format == "0%" and 0 <= c.value <= 1 for c in exact if c.value is not None)
    alphas = [r[head.index("Alpha ordinal")] for r in body[:-1] if r[head.index("Alpha ordinal")]]
    assert alphas == sorted(alphas) and len(alphas) > 5  # lowest agreement first
    change = wb["Change across waves"]
    changes = [c for c in change.iter_rows(min_row=2) for c in c if c.number_format.startswith("+")]
    assert changes and any(isinstance(c.value, float) for c in changes)
    about = {r[0]: r[1] for r in wb["What was counted"].iter_rows(min_row=2, values_only=True)}
    assert about["Demo data only"] == "yes" and isinstance(about["Sessions counted"], int)
    assert about["People shown as"] == "pseudonymous codes"


def test_codes_unless_names(demo_ws: Workspace, tmp_path: Path) -> None:
    coded = [str(c.value) for c in cells(workbook(demo_ws, tmp_path, "--demo"))]
    assert not any(n in v for n in words.FACILITATORS for v in coded)
    assert any(v.startswith("F-") for v in coded) and any(v.startswith("O-") for v in coded)
    named = [str(c.value) for c in cells(workbook(demo_ws, tmp_path / "n", "--demo", "--names"))]
    assert any(n in v for n in words.FACILITATORS for v in named)


def test_saved_in_exports_without_out_and_out_rule(demo_ws: Workspace, tmp_path: Path) -> None:
    saved = Path(run(demo_ws, "collate", "--demo", "--format", "xlsx").stdout.strip())
    assert saved.parent == demo_ws.exports_dir and saved.suffix == ".xlsx"
    assert load_workbook(saved).sheetnames == SHEETS
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"keep")
    out = run(demo_ws, "collate", "--demo", "--format", "xlsx", "--out", str(target), code=2)
    assert "already exists" in out.stderr and target.read_bytes() == b"keep"
    inside = demo_ws.criteria_dir / "x.xlsx"
    run(demo_ws, "collate", "--demo", "--format", "xlsx", "--out", str(inside), code=2)
    assert not inside.exists()


def test_no_cell_is_ever_a_formula(hostile_ws: Workspace, tmp_path: Path) -> None:  # noqa: F811
    wb = workbook(hostile_ws, tmp_path, "--names", "--by", "region", "--by", "facilitator")
    every = cells(wb)
    assert every
    for cell in every:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    texts = {c.value for c in every if isinstance(c.value, str)}
    assert "'" + CRITERION_TITLE in texts
    assert "'=cmd|' /C calc'!A0" in texts  # the region, as typed, shown as text
    assert any(v.startswith("'" + NAMES[0]) for v in texts)  # =HYPERLINK(...) as text
    assert any(HTML_NAME in v for v in texts)
    assert not any("\x1b" in v or "\u202e" in v for v in texts)  # controls shown as escapes
