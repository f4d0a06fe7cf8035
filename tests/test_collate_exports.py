"""The leads' outputs read clearly: aligned tables, conflicts shown where they differ, export
names that say what was collated and never replace one another, and a PDF laid out cleanly."""

from __future__ import annotations

import copy
import itertools
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.report import collated
from observe.report.collated_pdf import change_chart, collated_html, spread
from observe.services import collation
from observe.services.demo import generate
from observe.services.imports import around_difference, version_previews
from observe.store import merge
from observe.store.workspace import Workspace
from tests.helpers_leads import session_tables, write_tables


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("exports") / "ws").ensure(seed=True)
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    generate(workspace.sessions_dir, framework, count=150, seed=5)
    return workspace


def run(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


def test_change_across_waves_has_one_separated_column_per_wave(ws: Workspace) -> None:
    text = run(ws, "collate", "--by", "wave", "--format", "table", "--demo").output
    part = text.split("== change across waves")[1].split("==")[0]
    lines = [line for line in part.splitlines()[1:] if line.strip()]
    header, rows = lines[0], lines[1:]
    assert re.findall(r"wave \w+", header) == ["wave 1", "wave 2", "wave 3"]
    ends = [m.end() for m in re.finditer(r"wave \w+", header)]
    for row in rows:
        cells = re.split(r"\s{3,}", row.strip())
        assert len(cells) == 4, row  # the criterion and one cell per wave, well apart
        assert re.fullmatch(r"\d\.\d\d \(\d+\)", cells[1]), cells
        assert all(re.fullmatch(r"\d\.\d\d \(\d+\) [+-]\d\.\d\d", c) for c in cells[2:]), cells
        # Every cell ends under its wave's heading.
        assert [m.end() for m in re.finditer(r"\)(?: [+-]\d\.\d\d)?(?=\s|$)", row)] == ends


def test_distribution_says_what_it_counts(ws: Workspace) -> None:
    text = run(ws, "collate", "--format", "table", "--demo").output
    header = next(line for line in text.splitlines() if line.startswith("criterion"))
    assert header.rstrip().endswith("n at 1·2·3·4")
    row = next(line for line in text.splitlines() if line.startswith("R1 "))
    n = int(row.split()[-4])
    assert sum(int(v) for v in row.split()[-1].split("·")) == n


def test_conflict_versions_show_where_they_differ() -> None:
    start = "I was anxious about the group at first, " * 3
    a = {"id": "x", "rev": 2, "response": {"asha-rahman": {"reflection": start + "then calm."}}}
    b = copy.deepcopy(a)
    b["response"]["asha-rahman"]["reflection"] = start + "and stayed so."
    b["updated_at"] = "later"
    conflict = merge.Conflict("session", "x", 2, [("h1", a), ("h2", b)])
    one, two = version_previews(conflict, width=40)
    assert "response.asha-rahman.reflection:" in one
    assert "then calm." in one and "and stayed so." in two
    assert "updated_at" in two and one != two
    assert around_difference(["abc", "abd"], 10) == ["abc", "abd"]
    assert around_difference(["x" * 100 + "1", "x" * 100 + "2"], 30)[0].startswith("…")


def test_conflicts_list_prints_the_differing_part(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "a").ensure(seed=True)
    other = Workspace(tmp_path / "b").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    shared = session_tables(random.Random(4), framework)
    while not shared["notes"]:
        shared = session_tables(random.Random(5), framework)
    mine, theirs = copy.deepcopy(shared), copy.deepcopy(shared)
    long = "The group settled once the facilitator named the silence and waited, " * 2
    for tables, ending in ((mine, "then moved on."), (theirs, "then asked again.")):
        note = next(iter(tables["notes"].values()))
        note.update(rev=note["rev"] + 1, text=long + ending)
    write_tables(ws, mine)
    write_tables(other, theirs)
    run(ws, "import", str(next(other.sessions_dir.glob("*.json"))))
    listing = run(ws, "conflicts", "list").output
    assert "then moved on." in listing and "then asked again." in listing


def test_export_names_say_what_was_collated_and_never_collide(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    args = ("collate", "--demo", "--format", "pdf", "--by", "wave", "--wave", "2")
    first = Path(run(ws, *args, "--mode", "online").output.strip())
    second = Path(run(ws, *args, "--mode", "online").output.strip())
    third = Path(run(ws, *args).output.strip())
    assert first.name == "collated_by-wave_wave-2_mode-online_demo_2026-01-01.pdf"
    assert second.name == "collated_by-wave_wave-2_mode-online_demo_2026-01-01-2.pdf"
    assert third.name == "collated_by-wave_wave-2_demo_2026-01-01.pdf"
    assert first.exists() and second.exists() and third.exists()
    refused = run(ws, "collate", "--demo", "--format", "pdf", "--wave", "99", code=2)
    assert "no completed sessions match" in refused.output
    assert len(list(ws.exports_dir.glob("*.pdf"))) == 3
    out = ws.root / "mine.pdf"
    run(ws, "collate", "--demo", "--format", "pdf", "--out", str(out))
    before = out.read_bytes()
    refused = run(ws, "collate", "--demo", "--format", "csv", "--out", str(out), code=2)
    assert "already exists; --force replaces it" in refused.output
    assert out.read_bytes() == before
    run(ws, "collate", "--demo", "--format", "csv", "--out", str(out), "--force")
    assert out.read_bytes() != before


def test_pdf_layout_labels_apart_codes_whole_and_neutral_wording(ws: Workspace) -> None:
    from observe.core.collate import Filters

    c = collation.gather_workspace(ws, Filters(demo=True), ("wave",))
    html = collated_html(c)
    assert "--names" not in html and "names are shown only when asked for" in html
    assert 'class="matrix' in html
    css = (Path(collated.__file__).parent / "templates" / "collated.css").read_text()
    assert re.search(r"table\.matrix th, table\.matrix td \{[^}]*white-space: nowrap", css)
    # Close means: the dots may touch, their labels never overlap.
    placed = spread([100.0, 101.0, 102.5], [9.0, 9.0, 9.0], 46, 470)
    assert all(b - a >= 9 for a, b in itertools.pairwise(placed))
    assert abs(sum(placed) / 3 - 101.17) < 0.01
    svg = str(change_chart(c.change, 1, 4))
    rows: dict[str, list[float]] = {}
    for x, y in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" font-size="7"', svg
    ):
        rows.setdefault(y, []).append(float(x))
    assert rows and all(len(xs) == 3 for xs in rows.values())
    for xs in rows.values():
        xs.sort()
        assert all(b - a >= 5.9 for a, b in itertools.pairwise(xs)), xs
