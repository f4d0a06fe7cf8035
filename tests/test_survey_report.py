"""The survey report's outputs: bars, suppression, and hostile free text in every format."""

from __future__ import annotations

import io
import json
import random
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from observe.core.frameworks import load
from observe.core.survey import Answer, Round
from observe.core.survey_tally import Figures, tally
from observe.report import survey_text
from observe.store.workspace import packaged_criteria
from tests.helpers_survey import AFTER, DURING, MEMBERS, pinned_today, seven
from tests.test_survey_team import answer, open_round, plan

__all__ = ["pinned_today"]

SURVEY = load(packaged_criteria() / "community-health.toml")
HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "@SUM(A1)",
    "\x1b[2J\x1b]0;pwned\x07 cleared?",
    "right\u202eto left",
    "<script>alert(1)</script><img src='file:///etc/passwd'>",
    "[bold red]markup[/]",
    "{{ 7*7 }} {% raw %}",
]


def a_round(threshold: int = 5) -> Round:
    return Round(
        "s-" + "a" * 16,
        "t-" + "b" * 16,
        SURVEY,
        date(2026, 3, 1),
        date(2026, 3, 14),
        threshold,
        "m-" + "c" * 16,
    )


def an_answer(round_: Round, levels: dict, comments: dict | None = None, seed: int = 0) -> Answer:
    nonce = f"{seed:032x}"
    return Answer(
        round_.id,
        round_.team,
        SURVEY.content_hash(),
        round_.threshold,
        nonce,
        levels,
        comments or {},
    )


def test_a_bar_is_centred_with_neutral_split_across_the_middle():
    text = survey_text.bar(Figures((1, 1, 2, 3, 3)), neutral=2, half=20)
    left, right = text.split("|")
    assert len(left) == len(right) == 20
    # 10% each of the two disagree levels, 20% neutral split 10%/10%, 30% + 30% agree
    assert left.strip() == "==--.." and right.strip() == "..++++++######"
    assert (
        survey_text.bar(Figures((0, 0, 0, 0, 4)), neutral=2, half=20) == " " * 20 + "|" + "#" * 20
    )


def test_a_principle_hides_when_any_of_its_statements_is_hidden():
    round_ = a_round()
    answers = []
    for i in range(6):
        levels = {sid: 4 for d in SURVEY.domains for sid in (c.id for c in d.criteria)}
        if i >= 2:
            del levels["P1a"]  # only two answered P1a
        answers.append(an_answer(round_, levels, seed=i))
    result = tally(round_, answers, members=6, today=AFTER)
    p1 = result.principles[0]
    assert p1.statements[0].figures is None and p1.summary is None  # no subtraction
    assert p1.statements[1].figures == Figures((0, 0, 0, 6, 0))
    assert result.principles[1].summary == Figures((0, 0, 0, 18, 0))


def test_the_threshold_never_drops_below_what_answers_were_given_under():
    round_ = a_round(threshold=3)
    answers = [an_answer(a_round(threshold=6), {"P1a": 5}, seed=i) for i in range(5)]
    result = tally(round_, answers, members=5, today=AFTER)
    assert result.threshold == 6 and not result.shown


def test_comments_come_in_a_random_order():
    round_ = a_round()
    answers = [an_answer(round_, {"P1a": 3}, {"P1": f"c{i}"}, seed=i) for i in range(8)]
    orders = {
        tuple(
            tally(round_, answers, members=8, today=AFTER, rng=random.Random(s))
            .principles[0]
            .comments
        )
        for s in range(5)
    }
    assert len(orders) > 1


@pytest.fixture
def hostile_round(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    for i in range(len(MEMBERS)):
        answer(team, f"m{i}", round_id, plan(i), comment=HOSTILE[i])
    team.run(
        "lead",
        "survey",
        "answer",
        round_id,
        "--level=P1a=4",
        f"--comment=P1={HOSTILE[6]}\n{HOSTILE[7]}",
    )
    pinned_today(AFTER)
    return team, round_id


def test_hostile_comments_come_out_as_typed_in_every_format(hostile_round, tmp_path: Path):
    team, round_id = hostile_round
    table = team.run("lead", "survey", "report", round_id).output
    assert "\x1b" not in table and "\u202e" not in table and "\x07" not in table
    assert "\\x1b[2J" in table and "\\u202e" in table
    data = json.loads(team.run("lead", "survey", "report", round_id, "--format", "json").output)
    comments = [c for p in data["principles"] for c in p["comments"]]
    assert sorted(comments) == sorted([*HOSTILE[:6], f"{HOSTILE[6]}\n{HOSTILE[7]}"])

    pdf = tmp_path / "r.pdf"
    team.run("lead", "survey", "report", round_id, "--format", "pdf", "--out", str(pdf))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "<script>alert(1)</script>" in text and "[bold red]markup[/]" in text
    assert "{{ 7*7 }}" in text and "49" not in text.split("Comments")[-1]
    assert "⟨U+202E⟩" in text and "\u202e" not in text
    assert "may identify" in text

    xlsx = tmp_path / "r.xlsx"
    team.run("lead", "survey", "report", round_id, "--format", "xlsx", "--out", str(xlsx))
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    cells = [c.value for row in book["Comments"].iter_rows() for c in row]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@"))) for v in cells)
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert all(c.data_type != "f" for row in book["Comments"].iter_rows() for c in row)


def test_the_pdf_draws_bars_whose_words_match_the_counts(hostile_round, tmp_path: Path):
    team, round_id = hostile_round
    data = json.loads(team.run("lead", "survey", "report", round_id, "--format", "json").output)
    pdf = tmp_path / "r.pdf"
    team.run("lead", "survey", "report", round_id, "--format", "pdf", "--out", str(pdf))
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "7 of 7 members answered (100%)" in text
    shown = [s for p in data["principles"] for s in p["statements"] if "counts" in s]
    assert shown
    for statement in shown:
        words = ", ".join(f"{k} {v}" for k, v in statement["counts"].items())
        assert words in text
        assert f"{statement['agree_pct']}% agree" in text
    assert text.count("suppressed: fewer than 5 answers") == sum(
        1 for p in data["principles"] for s in p["statements"] if s.get("suppressed")
    ) + sum(1 for p in data["principles"] if p["summary"] is None)
    svg_rects = sum(page.extract_text().count("% disagree") for page in reader.pages)
    assert svg_rects == len(shown) + sum(1 for p in data["principles"] if p["summary"])


def test_with_four_answers_no_output_holds_a_figure(tmp_path: Path, pinned_today):
    team = seven(tmp_path)
    round_id = open_round(team, pinned_today)
    pinned_today(DURING)
    for i in range(4):
        answer(team, f"m{i}", round_id, plan(i), comment="identifying detail")
    pinned_today(AFTER)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    team.run("lead", "survey", "report", round_id, "--format", "pdf", "--out", str(pdf))
    team.run("lead", "survey", "report", round_id, "--format", "xlsx", "--out", str(xlsx))
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "% agree" not in text and "identifying detail" not in text
    assert "fewer than 5 of 7 members answered" in " ".join(text.split())
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.read_bytes()))
    numbers = [
        c.value
        for row in book["Statements"].iter_rows(min_row=2)
        for c in row
        if isinstance(c.value, int | float)
    ]
    assert numbers == [] and "Comments" not in book.sheetnames


def test_pdf_and_xlsx_need_an_out_file_and_never_replace_one(hostile_round, tmp_path: Path):
    team, round_id = hostile_round
    missing = team.run("lead", "survey", "report", round_id, "--format", "pdf", code=2)
    assert "--out" in missing.stderr
    there = tmp_path / "there.pdf"
    there.write_bytes(b"keep")
    again = team.run(
        "lead", "survey", "report", round_id, "--format", "pdf", "--out", str(there), code=2
    )
    assert "already exists" in again.stderr and there.read_bytes() == b"keep"
