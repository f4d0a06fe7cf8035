"""The portfolio PDF: read by its text (pypdf), deterministic, data: only, hostile text inert."""

from __future__ import annotations

from pathlib import Path

import pytest

from observe.core.portfolio import build
from observe.report.portfolio import STYLESHEET, page, portfolio_html
from observe.report.render import render_pdf
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_report import flat, pdf_pages, pdf_text
from tests.helpers_team import run
from tests.test_portfolio import _name, busiest, history, records_of  # noqa: F401
from tests.test_portfolio_hostile import BIDI, HTML, NAME, hostile  # noqa: F401


def test_page_one_tells_the_story_then_chart_then_detail(history: Path, tmp_path: Path) -> None:  # noqa: F811
    records = records_of(history)
    fid = busiest(records)
    p = build(records, fid, demo=True)
    out = tmp_path / "p.pdf"
    run(
        history,
        "portfolio",
        _name(history),
        "--demo",
        "--names",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    pages = pdf_pages(out.read_bytes())
    one = flat(pages[0])
    assert flat(f"Portfolio of {p.facilitator}") in one
    assert flat(f"has been observed {len(p.observations)} times") in one
    assert flat("Strengths that recur") in one and flat("Themes being developed") in one
    top = p.strengths[0]
    assert flat(f"{top.criterion} {top.title}") in one
    assert flat("What they agreed to try, and what became of it") in one
    rest = flat("\n".join(pages[1:]))
    assert flat("Ratings over time") in rest and "THESAMEINWORDS" in rest
    crit, title, points = p.ratings[0].criteria[0]
    assert flat(f"{crit} {title}: {points[0].label} ({points[0].date.isoformat()})") in rest
    assert flat("Each observation, the latest first") in rest
    latest = p.observations[-1]
    assert flat(latest.title) in rest


def test_own_record_speaks_to_them(history: Path) -> None:  # noqa: F811
    records = records_of(history)
    p = build(records, busiest(records), demo=True)
    p.own = True
    text = flat(pdf_text(render_pdf(portfolio_html(p), STYLESHEET)))
    assert flat("Your portfolio") in text and flat("You have been observed") in text
    assert flat("What you agreed to try") in text and flat("Themes you are developing") in text


def test_deterministic_and_data_only(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    records = records_of(history)
    p = build(records, busiest(records), demo=True)
    asked: list[str] = []
    html = portfolio_html(p)
    assert '<html lang="en-GB">' in html and "<title>" in html
    first = render_pdf(html, STYLESHEET, requested=asked)
    assert first == render_pdf(portfolio_html(p), STYLESHEET)
    assert all(url.startswith("data:") for url in asked)


def test_no_observations_is_a_short_kind_pdf(history: Path) -> None:  # noqa: F811
    records = records_of(history)
    p = build(records, busiest(records))  # no real sessions: every one is demo
    text = flat(pdf_text(render_pdf(portfolio_html(p), STYLESHEET)))
    assert flat("no finished observations yet") in text
    assert page(p).charts == []


def test_hostile_text_prints_as_typed(hostile: Workspace, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "h.pdf"
    run(hostile.root, "portfolio", "eve", "--names", "--format", "pdf", "--out", str(out))
    data = out.read_bytes()
    text = pdf_text(data)
    assert "<script>alert(1)</script>" in text  # escaped, shown, never run
    assert "\u202e" not in text
    records = [files.read_record(p) for p in sorted(hostile.sessions_dir.glob("*.json"))]
    asked: list[str] = []
    render_pdf(portfolio_html(build(records, "eve")), STYLESHEET, requested=asked)
    assert all(url.startswith("data:") for url in asked)  # no <img src=file:...> fetched
    coded = tmp_path / "c.pdf"
    run(hostile.root, "portfolio", "eve", "--format", "pdf", "--out", str(coded))
    ctext = pdf_text(coded.read_bytes())
    assert "Hara" not in ctext and "Mal" not in ctext and "F-" in ctext
    assert out.read_bytes() == data  # never replaced without --force
    run(hostile.root, "portfolio", "eve", "--format", "pdf", "--out", str(out), code=2)
    assert out.read_bytes() == data


def test_pdf_goes_to_exports_by_default(hostile: Workspace) -> None:  # noqa: F811
    first = run(hostile.root, "portfolio", "eve", "--format", "pdf").output.strip()
    second = run(hostile.root, "portfolio", "eve", "--format", "pdf").output.strip()
    assert first != second and Path(first).parent == hostile.exports_dir
    assert "eve" not in Path(first).name  # a lead's file is named by the code
    _ = NAME, BIDI, HTML


def test_small_multiples_draws_levels_gaps_and_not_observed() -> None:
    from observe.report.svg import RING, Panel, small_multiples

    levels = [(1, "Emerging"), (2, "Developing"), (3, "Secure <b>")]
    svg = str(
        small_multiples(
            [Panel("R1<script>", (1.0, None, 3.0), (1,)), Panel("R2", (None, None, 2.0))],
            levels=levels,
            title="Levels & time",
            columns=2,
        )
    )
    assert svg.startswith("<svg") and "<title>Levels &amp; time</title>" in svg
    assert "R1&lt;script&gt;" in svg and "Secure &lt;b&gt;" in svg and "<script>" not in svg
    assert svg.count(RING) == 1  # R1's second observation: marked not observed
    assert svg.count("Emerging") == 1  # the level labels start the row only
    assert str(small_multiples([], levels=levels, title="none")) == ""
