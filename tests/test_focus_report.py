"""The feedback PDF's page one opens with what the facilitator asked to be looked at, in their
words, beside what was seen; the review screen's text says the same; nothing of it without a
self-assessment; hostile words stay text."""

from __future__ import annotations

from datetime import date

from observe.app.widgets.feedback_view import feedback_page
from observe.core.focus import MAX_TEXT, SelfAssessment
from observe.core.models import Framework
from observe.report.feedback import feedback_context, feedback_pdf
from observe.store.repository import Repository
from tests.helpers_report import build_session, flat, pdf_pages

HOSTILE = "<script>alert(1)</script> & {{ 7*7 }} [b]x[/b] \u202eevil\u202c =SUM(A1)"
HOPE = "Holding the silence after a hard case, instead of filling it"


def _record(repo: Repository, framework: Framework, hopes: list[dict], overall: str = ""):  # type: ignore[no-untyped-def]
    sa = SelfAssessment(
        facilitator="asha-rahman",
        name="Asha Rahman",
        written=date(2026, 3, 1),
        hopes=hopes,
        overall=overall,
    )
    with build_session(repo, framework, {"self_assessments": [sa]}) as session:
        return session.record


def test_page_one_sets_their_words_beside_what_was_seen(
    repo: Repository, framework: Framework
) -> None:
    hopes = [{"criterion": "R2", "text": HOPE}, {"criterion": "L3", "text": ""}]
    record = _record(repo, framework, hopes, overall="My first time co-delivering online")
    fb = feedback_context(record, "asha-rahman")
    assert fb.own is not None and fb.own.listed == "R2 and L3"
    r2 = fb.own.hopes[0]
    label = framework.scale.levels[1].label
    assert r2.seen == f"{framework.scale.values[1]} {label}" and r2.evidence  # best note
    assert fb.own.hopes[1].hope == ""
    assert "R2" not in [f.criterion_id for f in fb.focus]  # said once, in their section
    pages = pdf_pages(feedback_pdf(record, "asha-rahman"), furniture=False)
    one = flat(pages[0])
    assert flat("You asked to look at R2 and L3") in one
    assert flat("In your own words, 1 March 2026") in one
    assert flat(HOPE) in one and flat(label) in one
    assert flat(r2.evidence[0].text) in one
    assert flat("You chose it without a line.") in one
    assert flat("You also said: My first time co-delivering online") in one
    assert one.index(flat("You asked to look at")) < one.index(flat("The observer's summary"))
    # Tom wrote none: his feedback has nothing of it.
    tom = "\n".join(pdf_pages(feedback_pdf(record, "tom-price"), furniture=False))
    assert "You asked to look at" not in tom and HOPE not in tom
    # The review screen reads the same.
    shown = feedback_page(fb).plain
    assert "You asked to look at R2 and L3" in shown and HOPE in shown and label in shown


def test_without_a_self_assessment_nothing_of_it(repo: Repository, framework: Framework) -> None:
    with build_session(repo, framework) as session:
        record = session.record
    assert feedback_context(record, "asha-rahman").own is None
    text = "\n".join(pdf_pages(feedback_pdf(record, "asha-rahman"), furniture=False))
    assert "You asked to look at" not in text and "In your own words" not in text


def test_hostile_and_long_words_are_printed_as_text(repo: Repository, framework: Framework) -> None:
    long = ("A line that goes on " * 200)[:MAX_TEXT]
    hopes = [{"criterion": "R1", "text": HOSTILE}, {"criterion": "R3", "text": long}]
    record = _record(repo, framework, hopes, overall=HOSTILE)
    text = "\n".join(pdf_pages(feedback_pdf(record, "asha-rahman"), furniture=False))
    assert "<script>alert(1)</script> & {{ 7*7 }} [b]x[/b]" in text  # not run, not markup
    assert "\u202e" not in text  # no override reorders what the reader sees
    assert flat(long) in flat(text)
    shown = feedback_page(feedback_context(record, "asha-rahman")).plain
    assert "\u202e" not in shown and "<script>" in shown
