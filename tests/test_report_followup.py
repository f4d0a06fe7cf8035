"""The feedback PDF's detail pages report the follow-up of last time's actions; page one
stays the conversation; hostile text stays text."""

from __future__ import annotations

from datetime import UTC, date, datetime

from observe.core import actions
from observe.core.choices import FollowUpMark
from observe.core.models import Action, Framework
from observe.report.feedback import feedback_context, feedback_pdf
from observe.store.repository import Repository
from tests.helpers_report import add_note, build_session, pdf_pages

HOSTILE = "<script>alert(1)</script> & {{ 7*7 }}"


def test_the_follow_up_is_on_the_detail_pages(repo: Repository, framework: Framework) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        add_note(session, "Waited a full ten seconds !A1", minutes=12)
        sid = session.session.id
        record = session.record
    agreed = [
        actions.Agreed("earlier", datetime(2026, 2, 1, tzinfo=UTC), "asha-rahman", a)
        for a in (
            Action(text="Pause after asking a question", by=date(2026, 3, 1)),
            Action(text=HOSTILE),
        )
    ]
    ups = actions.follow_ups(sid, agreed)
    ups[0] = actions.marked(ups[0], FollowUpMark.PARTLY)
    record = record.model_copy(update={"followups": ups})
    fb = feedback_context(record, "asha-rahman")
    assert [(f.label, f.seen, len(f.evidence)) for f in fb.followed_up] == [
        ("A1", "partly seen", 1),
        ("A2", "", 0),
    ]
    pages = pdf_pages(feedback_pdf(record, "asha-rahman"), furniture=False)
    assert "Followed up from last time" not in pages[0]  # page one is the conversation
    text = "\n".join(pages)
    assert "Followed up from last time" in text
    assert "A1" in text and "Pause after asking a question" in text
    assert "Seen today: partly seen" in text and "Seen today: not marked" in text
    assert "Waited a full ten seconds" in text
    assert "<script>alert(1)</script> & {{ 7*7 }}" in text  # printed as typed, not run


def test_no_follow_up_section_without_actions(repo: Repository, framework: Framework) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        record = session.record
    assert feedback_context(record, "asha-rahman").followed_up == []
    from tests.helpers_report import pdf_text

    assert "Followed up" not in pdf_text(feedback_pdf(record, "asha-rahman"))
