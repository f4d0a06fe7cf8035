"""The feedback report: content per facilitator, untrusted text, safety, PDF/UA, determinism."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from observe.core.frameworks import load_all
from observe.core.models import Action, Response, Status
from observe.core.record import SessionRecord
from observe.report.feedback import STYLESHEET, feedback_context, feedback_html, ratings_chart
from observe.report.printable import printable
from observe.report.render import render_pdf
from observe.report.svg import Bar, bar_chart
from observe.report.templates import elapsed
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_report import (
    DEVELOPMENT,
    LONG_TEXT,
    STRENGTHS,
    TRICKY,
    build_session,
    flat,
    pdf_pages,
    pdf_text,
)

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@dataclass
class Rendered:
    record: SessionRecord
    html: str
    pdf: bytes
    text: str
    requested: list[str]


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> SessionRecord:
    ws = Workspace(tmp_path_factory.mktemp("report") / "ws").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    with build_session(Repository(ws, clock=FakeClock()), framework, tricky=True) as session:
        return session.record.model_copy(deep=True)


@pytest.fixture(scope="module")
def epoch() -> Iterator[None]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    yield
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


def _render(record: SessionRecord, who: str) -> Rendered:
    html = feedback_html(record, who)
    requested: list[str] = []
    pdf = render_pdf(html, STYLESHEET, requested=requested)
    return Rendered(record, html, pdf, pdf_text(pdf), requested)


@pytest.fixture(scope="module")
def asha(record: SessionRecord, epoch: None) -> Rendered:
    return _render(record, "asha-rahman")


@pytest.fixture(scope="module")
def tom(record: SessionRecord, epoch: None) -> Rendered:
    return _render(record, "Tom")


def test_pdf_names_the_facilitator_every_rated_criterion_and_every_note(asha: Rendered) -> None:
    text = flat(asha.text)
    assert flat("Feedback for Asha Rahman") in text
    framework = asha.record.session.framework.content
    rated = [r for r in asha.record.ratings if r.facilitator == "asha-rahman"]
    assert len(rated) == 8
    for rating in rated:
        criterion = framework.criterion(rating.criterion)
        assert criterion is not None
        assert flat(criterion.title) in text, criterion.id
        level = framework.scale.level(rating.level)
        label = level.label if level else "Not observed"
        assert flat(label) in text
    for note in [*STRENGTHS, *DEVELOPMENT, "Everyone arrived on time"]:
        assert flat(note) in text, note
    summary = asha.record.summary("asha-rahman")
    for part in (summary.strengths, summary.development, summary.summary):
        assert flat(part) in text
    assert flat("Consistently warm; see the opening.") in text  # a rating's comment
    assert "Tom reframed" not in text and "Tom only spoke" not in text


def test_untrusted_note_text_comes_out_literal_and_complete(asha: Rendered) -> None:
    text = flat(asha.text)
    for note in [*TRICKY, LONG_TEXT]:
        assert flat(printable(note)) in text, note[:40]
    assert flat("A warm close [slightly smiling face][thumbs up sign] and a smile") in text
    assert len(LONG_TEXT) == 5000
    # Escaped in the HTML: no element came from a note.
    assert "<script" not in asha.html
    assert "&lt;script&gt;" in asha.html
    assert '<img src="file:' not in asha.html
    assert all(url.startswith("data:") for url in asha.requested)


def test_pdf_has_structure_tree_language_and_title(asha: Rendered) -> None:
    reader = PdfReader(io.BytesIO(asha.pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert reader.metadata.title == "Feedback for Asha Rahman"
    assert reader.metadata["/CreationDate"].startswith("D:20260101000000")
    assert len(reader.pages) >= 2
    pages = pdf_pages(asha.pdf)
    assert all(f"Page {i} of {len(pages)}" in page for i, page in enumerate(pages, 1))


def test_same_input_gives_the_same_bytes_under_source_date_epoch(asha: Rendered) -> None:
    again = render_pdf(feedback_html(asha.record, "asha-rahman"), STYLESHEET)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(asha.pdf).hexdigest()


def test_co_delivered_each_pdf_holds_only_its_own_facilitator(
    asha: Rendered, tom: Rendered
) -> None:
    text = flat(tom.text)
    assert flat("Feedback for Tom Price") in text
    assert flat("Tom reframed the case study well") in text
    assert flat("Tom only spoke to one table") in text
    assert flat("Everyone arrived on time") in text  # a note for nobody in particular
    for note in [*STRENGTHS, *DEVELOPMENT]:
        assert flat(note) not in text
    tom_rows = [row for d in feedback_context(tom.record, "tom-price").domains for row in d.rows]
    assert [(r.criterion_id, r.label) for r in tom_rows if r.rated] == [("R2", "Emerging")]
    asha_r2 = next(
        r
        for d in feedback_context(asha.record, "asha-rahman").domains
        for r in d.rows
        if r.criterion_id == "R2"
    )
    assert asha_r2.label != "Emerging"


def test_response_appears_once_written(record: SessionRecord, epoch: None) -> None:
    answered = record.model_copy(deep=True)
    answered.responses.append(
        Response.new(
            answered.session.id,
            "asha-rahman",
            reflection="I rushed the plenary because I worried about time.",
            actions=[Action(text="Plan a fixed plenary slot", owner="Asha", by=date(2026, 4, 1))],
            acknowledged=True,
            acknowledged_at=datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
            disagreement="The quieter participants were in a breakout I ran.",
        )
    )
    text = flat(pdf_text(render_pdf(feedback_html(answered, "asha-rahman"), STYLESHEET)))
    for part in (
        "Your response",
        "I rushed the plenary because I worried about time.",
        "Plan a fixed plenary slot",
        "1 Apr 2026",
        "has read and acknowledged this feedback on 10 March 2026",
        "The quieter participants were in a breakout I ran.",
    ):
        assert flat(part) in text, part


def test_nothing_is_fetched_whatever_the_html_asks_for(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import urllib.request

    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    opened: list[str] = []
    real_open = urllib.request.OpenerDirector.open

    def spy(
        self: urllib.request.OpenerDirector, url: object, *args: object, **kw: object
    ) -> object:
        opened.append(getattr(url, "full_url", str(url)))
        return real_open(self, url, *args, **kw)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    pixel = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/%3E"
    html = (
        '<html lang="en-GB"><head><title>t</title>'
        f'<link rel="stylesheet" href="file://{secret}"></head><body><p>hello</p>'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        f'<img src="relative.png"><img src="{pixel}"></body></html>'
    )
    requested: list[str] = []
    pdf = render_pdf(html, STYLESHEET, requested=requested)
    assert pdf.startswith(b"%PDF-1.7")
    assert f"file://{secret}" in requested and "file:///etc/passwd" in requested
    assert all(url.startswith("data:") for url in opened)
    assert opened == [pixel]


# ---------------------------------------------------------------- the context, without rendering


def test_report_order_conversation_first_then_the_detail(asha: Rendered) -> None:
    html = asha.html
    order = [
        html.index("<h2>The observer's summary"),
        html.index("<h2>Strengths"),
        html.index("<h2>Areas for development"),
        html.index("<h2>What you asked to be looked at"),
        html.index("<h2>The detail: practice against the framework"),
        html.index("<h2>More notes from the session"),
        html.index("<h2>About the session"),
    ]
    assert order == sorted(order)


def test_not_observed_is_shown_and_left_out_of_the_average(record: SessionRecord) -> None:
    feedback = feedback_context(record, "asha-rahman")
    rows = [r for d in feedback.domains for r in d.rows]
    unobserved = [r for r in rows if r.rated and not r.observed]
    assert [r.label for r in unobserved] == ["Not observed"]
    for domain in feedback.domains:
        levels = [r.level for r in domain.rows if r.observed]
        if levels:
            assert domain.average == pytest.approx(sum(levels) / len(levels))
        else:
            assert domain.average is None
    chart = ratings_chart(feedback)
    assert re.search(r'fill="none"[^>]*stroke-dasharray', chart)  # the unobserved outline
    assert "A dashed outline: not observed." in feedback_html(record, "asha-rahman")


def test_each_note_is_printed_once(record: SessionRecord) -> None:
    feedback = feedback_context(record, "asha-rahman")
    ids = [e.id for item in feedback.focus for e in item.evidence]
    ids += [e.id for e in feedback.strengths + feedback.development + feedback.other_notes]
    ids += [e.id for d in feedback.domains for r in d.rows for e in r.evidence]
    assert len(ids) == len(set(ids))
    assert set(ids) == {n.id for n in record.notes_for(facilitator="asha-rahman")}


def test_a_session_in_progress_is_marked_draft(record: SessionRecord) -> None:
    draft = record.model_copy(deep=True)
    draft.session.status = Status.IN_PROGRESS
    assert "Draft: this observation was still in progress" in feedback_html(draft, "asha")
    assert "Draft:" not in feedback_html(record, "asha")


def test_chart_escapes_labels_and_draws_unobserved_as_an_outline() -> None:
    ticks = [(1, "1"), (2, "2"), (3, "3"), (4, "4")]
    svg = bar_chart(
        [Bar("<R1>", 3), Bar("R2", None), Bar("R3", 4)], maximum=4, title="a & b", ticks=ticks
    )
    assert "&lt;R1&gt;" in svg and "<R1>" not in svg
    assert "a &amp; b" in svg
    assert re.findall(r">([^<]+)</text>", svg) == ["1", "2", "3", "4", "&lt;R1&gt;", "R2", "R3"]
    filled = re.search(r'<path d="([^"]+)" fill="#3d4f63"/>', svg)
    outlined = re.search(r'<path d="([^"]+)" fill="none"[^>]*stroke-dasharray', svg)
    assert filled and filled.group(1).count("z") == 2  # R1 and R3
    assert outlined and outlined.group(1).count("z") == 1  # R2, not observed
    # A bar ends on the grid line of its value: 3 of 4 is three quarters of the plot.
    grid = [float(x) for x in re.findall(r"M([\d.]+) \d+V", svg)]
    r1 = re.match(r"M([\d.]+) [\d.]+h([\d.]+)", filled.group(1))
    assert r1 and float(r1.group(1)) + float(r1.group(2)) == pytest.approx(grid[2])


def test_elapsed_times_read_as_a_clock() -> None:
    assert [elapsed(s) for s in (0, 59.6, 754, 3600, 7384)] == [
        "0:00",
        "1:00",
        "12:34",
        "1:00:00",
        "2:03:04",
    ]


def test_export_imports_neither_weasyprint_nor_textual_until_it_renders() -> None:
    code = (
        "import sys, observe.services.export, observe.report.feedback, observe.report.render\n"
        "print(sorted(m for m in ('weasyprint', 'textual') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_html_parsing_reuses_its_patterns() -> None:
    """tinyhtml5 2.1 filed each "characters until" pattern under the wrong key; render_pdf
    mends its cache so a render builds each pattern once, and parses exactly as before."""
    from tinyhtml5 import inputstream

    render_pdf('<html lang="en"><head><title>t</title></head><body><p>a &amp; b</p>', STYLESHEET)
    cache = inputstream.characters_until_regex
    size = len(cache)
    assert size and all(isinstance(key[0], (str, tuple, frozenset)) for key in cache)
    text = pdf_text(render_pdf('<html lang="en"><title>t</title><p>x &lt; y & z</p>', STYLESHEET))
    assert "x < y & z" in text
    assert len(cache) <= size + 2  # the second page needed at most a pattern or two more
