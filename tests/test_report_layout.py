"""The feedback PDF leads with the person: page one is the conversation, the detail follows,
notes print as typed without tag syntax, and no heading is left alone at a page's foot."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observe.core.frameworks import load_all
from observe.core.models import Action, Response
from observe.core.notetext import TAG_PATTERN
from observe.core.record import SessionRecord
from observe.report.evidence import quoted, short_title
from observe.report.feedback import STYLESHEET, feedback_context, feedback_html, ratings_chart
from observe.report.render import render_pdf
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock
from tests.helpers_report import TAGGED, build_session, flat, pdf_pages

RESPONSE = Response.new(
    "a-session",
    "asha-rahman",
    reflection="I rushed the plenary because I worried about time. " * 6,
    actions=[
        Action(text="Plan a fixed plenary slot", owner="Asha", by=date(2026, 4, 1)),
        Action(text="Ask the quieter tables first", owner="Asha"),
    ],
    acknowledged=True,
    acknowledged_at=datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
    disagreement="The quieter participants were in a breakout I ran.",
)


def _record(tmp_path_factory: pytest.TempPathFactory, extra: int = 0) -> SessionRecord:
    ws = Workspace(tmp_path_factory.mktemp("layout") / "ws").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    repo = Repository(ws, clock=FakeClock())
    with build_session(repo, framework, tagged=True, extra_notes=extra) as session:
        return session.record.model_copy(deep=True)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> SessionRecord:
    return _record(tmp_path_factory)


@pytest.fixture(scope="module")
def answered(record: SessionRecord) -> SessionRecord:
    out = record.model_copy(deep=True)
    out.responses.append(RESPONSE)
    return out


@pytest.fixture(scope="module")
def pages(answered: SessionRecord) -> list[str]:
    return pdf_pages(render_pdf(feedback_html(answered, "asha"), STYLESHEET), furniture=False)


def _has_tag(text: str) -> bool:
    return any(m.group(2).rstrip(".'’-_") for m in TAG_PATTERN.finditer(text))


def test_page_one_is_the_conversation(answered: SessionRecord, pages: list[str]) -> None:
    one = flat(pages[0])
    fb = feedback_context(answered, "asha")
    summary = answered.summary("asha-rahman")
    for part in (summary.summary, summary.strengths, summary.development):
        assert flat(part) in one, part
    assert 1 <= len(fb.strengths) <= 3 and 1 <= len(fb.development) <= 2
    for item in [*fb.strengths, *fb.development]:
        assert flat(item.text) in one, item.text
    assert flat("What you asked to be looked at") in one
    assert flat("R1 Builds safe and trusting relationships") in one
    assert flat("Agreed next steps") in one
    assert flat("Plan a fixed plenary slot (Asha, by 1 Apr 2026)") in one
    assert flat("Ask the quieter tables first") in one
    order = [one.index(flat(h)) for h in ("summary", "Strengths", "Areas for development")]
    assert order == sorted(order)
    assert "Thedetail" not in one and "Aboutthesession" not in one
    assert flat(pages[1]).startswith(flat("The detail: practice against the framework"))


def test_page_one_has_no_next_steps_until_they_are_agreed(record: SessionRecord) -> None:
    html = feedback_html(record, "asha")
    assert "Agreed next steps" not in html and "Your response" not in html


def test_the_strengths_chosen_for_page_one_are_the_best_evidence(record: SessionRecord) -> None:
    fb = feedback_context(record, "asha")
    # Tagged to a criterion, one per criterion before any repeats, in the order they were taken.
    assert all(e.criteria for e in fb.strengths)
    assert len(fb.strengths) == 3  # two criteria among three strengths: R1 twice, R2 once
    assert {tuple(e.criteria) for e in fb.strengths} == {("R1",), ("R2",)}
    assert [e.elapsed_s for e in fb.strengths] == sorted(e.elapsed_s for e in fb.strengths)
    assert all(e.titles and e.titles[0].startswith(e.criteria[0] + " ") for e in fb.strengths)
    # Tagged to Asha: her own name beside each note in her own feedback would say nothing.
    assert any(e.text == "warm tone" for e in fb.strengths)
    assert not any(e.people for e in fb.strengths)


def test_no_tag_syntax_anywhere_and_tags_print_as_codes_and_names(pages: list[str]) -> None:
    text = "\n".join(pages)
    assert not _has_tag(text), re.findall(r"[#@]\w+", text)
    everything = flat(text)
    for _, _, shown in TAGGED:
        assert flat(shown) in everything, shown
    assert "Asha Rahman" in text  # the @asha tag, shown as the name


def test_a_quote_prints_inside_one_pair_of_quotation_marks(pages: list[str]) -> None:
    text = flat("\n".join(pages))
    assert "““" not in text and "””" not in text and '"“' not in text
    assert flat('“He said "no"”') in text
    for typed, shown in [
        ("I feel safe here", "“I feel safe here”"),
        ('"I feel safe here"', "“I feel safe here”"),
        ("“I feel safe here”", "“I feel safe here”"),
        ("'Push back on me'", "“Push back on me”"),
        ('He said "no', '“He said "no"”'),
        ('"She said "yes" twice', '“She said "yes" twice”'),
        ("'tis the season", "“'tis the season”"),
        ("  spaced  ", "“spaced”"),
    ]:
        assert quoted(typed) == shown, typed


def test_detail_words_each_state_and_collapses_what_was_not_looked_at(
    record: SessionRecord, pages: list[str]
) -> None:
    fb = feedback_context(record, "asha")
    rows = {r.criterion_id: r for d in fb.domains for r in d.rows}
    assert rows["R1"].label == "Established" and rows["R1"].observed
    assert rows["L1"].label == "Not observed" and rows["L1"].rated and not rows["L1"].observed
    assert rows["D1"].label == "Noted, not rated" and rows["D1"].noted
    dei = next(d for d in fb.domains if d.id == "DEI")
    assert [r.criterion_id for r in dei.rows] == ["D1"]
    assert [cid for cid, _ in dei.not_looked_at] == ["D2", "D3", "D4"]
    assert dei.headline(fb.scale_max).startswith("No level was given in this area")
    prc = next(d for d in fb.domains if d.id == "PRC")
    assert [cid for cid, _ in prc.not_looked_at] == ["P3"]
    titles = [title for title, _ in fb.untouched]
    assert "Reflective practice and theory into practice" in titles
    assert "Online facilitation" not in titles  # an in-person session: it does not apply
    text = flat("\n".join(pages))
    assert flat("Not looked at today: D2 Attends to difference using the social GRACES;") in text
    assert flat("Reflective practice and theory into practice: F1, F2, F3.") in text
    assert flat("Noted, not rated") in text and flat("Not observed") in text
    html = feedback_html(record, "asha")
    assert "No criterion in this area was observed" not in html
    assert "Not rated" not in html


def test_ratings_chart_labels_carry_codes_and_short_titles(record: SessionRecord) -> None:
    chart = str(ratings_chart(feedback_context(record, "asha")))
    labels = re.findall(r'<text x="0"[^>]*>([^<]+)</text>', chart)
    assert labels[0] == "R1  Builds safe and trusting relationships"
    assert "R3  Models relational practice" in labels  # the aside in brackets dropped
    assert short_title("Models relational practice (parallel process)") == (
        "Models relational practice"
    )
    assert short_title("Involves everyone, including through small groups", 30) == (
        "Involves everyone, including…"
    )
    assert short_title("x" * 60, 10) == "x" * 9 + "…"


def _squeeze(text: str) -> str:
    """Text without ASCII whitespace. A criterion's heading keeps its em space, so the
    chart's labels ("R1  Builds trust", plain spaces) never pass for one."""
    return re.sub(r"[ \t\r\n]+", "", text)


def _headings(html: str) -> list[str]:
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, flags=re.S)
    return [_squeeze(htmllib.unescape(re.sub(r"<[^>]+>", "", h))) for h in found]


def _ends_with_heading(page: str, headings: list[str]) -> str | None:
    lines = [line for line in page.splitlines() if line.strip(" •")]
    tail = _squeeze("".join(lines))
    return next((h for h in headings if h and tail.endswith(h)), None)


@pytest.mark.parametrize("extra", [0, 9, 23])
def test_no_page_ends_with_a_heading_and_the_response_keeps_together(
    tmp_path_factory: pytest.TempPathFactory, extra: int
) -> None:
    record = _record(tmp_path_factory, extra)
    record.responses.append(RESPONSE)
    html = feedback_html(record, "asha")
    headings = _headings(html)
    assert len(headings) > 20
    pages = pdf_pages(render_pdf(html, STYLESHEET), furniture=False)
    for number, page in enumerate(pages[:-1], 1):
        assert _ends_with_heading(page, headings) is None, (number, page[-200:])
    holding = [p for p in pages if flat("Your response") in flat(p)]
    assert len(holding) == 1
    together = flat(holding[0])
    for part in (RESPONSE.reflection, "Ask the quieter tables first", RESPONSE.disagreement):
        assert flat(part) in together
    assert flat("has read and acknowledged this feedback on 10 March 2026") in together


def test_the_page_foot_check_finds_a_heading_left_alone() -> None:
    """The check above is worth something: a heading forced to the foot of a page is found."""
    filler = "".join(f"<p>Line {i} of the filler.</p>" for i in range(46))
    html = (
        '<html lang="en-GB"><head><title>t</title></head><body>'
        f'{filler}<h2 style="break-after: auto">Left&#x2003;alone</h2>'
        '<p style="break-before: page">Next page.</p></body></html>'
    )
    pages = pdf_pages(render_pdf(html, STYLESHEET), furniture=False)
    found = [_ends_with_heading(page, _headings(html)) for page in pages]
    assert "Left\u2003alone" in found


def test_each_focus_says_what_became_of_it(record: SessionRecord) -> None:
    asked = record.model_copy(deep=True)
    asked.session.meta.focus = ["R1", "L1", "F1"]
    html = feedback_html(asked, "asha")
    page_one = html[: html.index('<div class="detail">')]
    assert "L1&#x2003;Thinks aloud and explores uncertainty" in page_one
    assert "It did not come up in this session, so no level was given." in page_one
    assert "Not looked at in this session: nothing was noted or rated against it." in page_one
    fb = feedback_context(asked, "asha")
    r1 = fb.focus[0]
    assert r1.rating is not None and r1.rating.label == "Established"
    assert len(r1.evidence) == 1 and r1.more + r1.shown_above >= 1


@given(st.text(alphabet=st.sampled_from(list("ab '\"“”‘’«»\n")), max_size=24))
def test_a_quote_always_has_one_balanced_pair_of_marks(text: str) -> None:
    out = quoted(text)
    inner = out[1:-1]
    assert out.startswith("“") and out.endswith("”")
    assert inner.count('"') % 2 == 0
    assert not inner.startswith(("“", '"')) or inner.count('"') >= 2
    assert quoted(inner) == out  # printing it again changes nothing


def test_realistic_sessions_fit_the_conversation_on_page_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from observe.services.demo import generate
    from observe.store.files import read_record

    ws = Workspace(tmp_path_factory.mktemp("demo") / "ws").ensure(seed=True)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    records = [read_record(p) for p in generate(ws.sessions_dir, framework, count=12, seed=4)]
    # The fullest: agreed actions, then the most focus criteria and notes.
    full = [r for r in records if any(x.actions for x in r.responses)]
    full.sort(key=lambda r: (len(r.session.meta.focus), len(r.notes)), reverse=True)
    assert full and len(full[0].session.meta.focus) >= 2
    records = full
    for record in records[:2]:
        person = record.session.meta.facilitators[0].id
        pages = pdf_pages(render_pdf(feedback_html(record, person), STYLESHEET), furniture=False)
        assert flat(pages[1]).startswith(flat("The detail")), pages[1][:200]
        assert not _has_tag("\n".join(pages))
