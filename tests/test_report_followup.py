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
    assert "Seen today: partly seen" in text and "not marked" not in text.replace("\n", " ")
    assert "Not marked today: A2." in " ".join(text.split())
    assert "What was agreed at your last observation" in " ".join(text.split())
    assert "Waited a full ten seconds" in text
    assert "<script>alert(1)</script> & {{ 7*7 }}" in text  # printed as typed, not run


def test_actions_from_several_observations_are_from_earlier_ones(
    repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        sid = session.session.id
        record = session.record
    agreed = [
        actions.Agreed(origin, datetime(2026, 2, day, tzinfo=UTC), "asha-rahman", Action(text=t))
        for origin, day, t in (
            ("earlier", 1, "Pause after asking"),
            ("earlier", 1, "Name the aim first"),
            ("before-that", 8, "Try a fishbowl"),
        )
    ]
    record = record.model_copy(update={"followups": actions.follow_ups(sid, agreed)})
    text = " ".join("\n".join(pdf_pages(feedback_pdf(record, "asha-rahman"))).split())
    assert "Followed up from earlier observations" in text
    assert "What was agreed at earlier observations" in text and "last observation" not in text
    assert text.count("Not marked today") == 1 and "Not marked today: A1, A2, A3." in text
    assert "Seen today" not in text


def test_no_follow_up_section_without_actions(repo: Repository, framework: Framework) -> None:
    with build_session(repo, framework, names=("Asha Rahman",)) as session:
        record = session.record
    assert feedback_context(record, "asha-rahman").followed_up == []
    from tests.helpers_report import pdf_text

    assert "Followed up" not in pdf_text(feedback_pdf(record, "asha-rahman"))
