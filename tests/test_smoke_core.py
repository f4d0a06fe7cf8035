"""The core round trip: create, note, rate, reopen."""

from __future__ import annotations

from observe.core.models import Note, NoteKind
from observe.store.repository import OpenSession, Repository


def test_notes_and_ratings_survive_reopening(repo: Repository, open_session: OpenSession) -> None:
    note = open_session.add_note(
        Note(
            at=repo.clock(),
            text="Opened with a check-in #R1",
            kind=NoteKind.STRENGTH,
            criteria=["R1"],
        )
    )
    open_session.rate("Asha Rahman", "r1", 3, evidence=[note.id])
    open_session.rate("tom-price", "O1", None)
    path = open_session.path
    open_session.close()

    record = repo.load(path)
    assert [n.text for n in record.notes] == ["Opened with a check-in #R1"]
    rating = record.rating("asha-rahman", "R1")
    assert rating is not None and rating.level == 3 and rating.evidence == [note.id]
    assert record.rating("tom-price", "O1").level is None


def test_a_session_left_open_is_offered_as_interrupted(repo: Repository, framework) -> None:
    from tests.conftest import make_meta

    session = repo.create(make_meta(), framework)
    assert repo.interrupted() == []  # open here, so not interrupted
    session.lock.release()  # what the kernel does when the holder is killed
    assert repo.interrupted() == [session.path]
    reopened = repo.open(session.path)
    reopened.close()
    assert repo.interrupted() == []


def test_an_untagged_note_naming_only_a_co_facilitator_is_theirs(
    repo: Repository, framework
) -> None:
    from tests.conftest import make_meta

    session = repo.create(make_meta("Asha Rahman", "Tom Price"), framework)
    texts = {
        "both": "Good energy in the room",
        "tom": "Tom moved between breakout rooms",
        "asha": "Asha named race directly; Tom nodded",
        "tagged": "Tom handed over well @asha",
    }
    for text in texts.values():
        session.add_note(Note(at=repo.clock(), text=text))
    session.add_note(Note(at=repo.clock(), text=texts["tagged"], facilitators=["asha-rahman"]))
    record = session.record
    session.close()

    def about(fid: str) -> set[str]:
        return {n.text for n in record.notes_for(facilitator=fid)}

    assert texts["tom"] not in about("asha-rahman")
    assert texts["tom"] in about("tom-price")
    assert {texts["both"], texts["asha"], texts["tagged"]} <= about("asha-rahman")
    assert texts["both"] in about("tom-price") and texts["asha"] in about("tom-price")


def test_a_name_that_is_also_a_word_does_not_claim_notes(repo: Repository, framework) -> None:
    from tests.conftest import make_meta

    session = repo.create(make_meta("Will Jones", "Ana Lee"), framework)
    note = session.add_note(
        Note(at=repo.clock(), text="Group agreed they will reconvene after lunch")
    )
    record = session.record
    session.close()
    assert record.is_about(note, "ana-lee") and record.is_about(note, "will-jones")


def test_wrap_up_evidence_follows_the_same_rule_as_the_feedback(
    repo: Repository, framework
) -> None:
    from observe.services.session_owner import SessionOwner
    from tests.conftest import make_meta

    session = repo.create(make_meta("Asha Rahman", "Tom Price"), framework)
    toms = session.add_note(
        Note(at=repo.clock(), text="Tom moved between rooms #R2", criteria=["R2"])
    )
    both = session.add_note(Note(at=repo.clock(), text="Calm start #R2", criteria=["R2"]))
    owner = SessionOwner(session)
    try:
        assert owner.evidence("asha-rahman", "R2") == [both.id]
        assert owner.evidence("tom-price", "R2") == [toms.id, both.id]
    finally:
        assert owner.close()


def test_a_criterion_noted_but_not_rated_still_shows_its_evidence(
    repo: Repository, framework
) -> None:
    from observe.report.feedback import feedback_context
    from tests.conftest import make_meta

    session = repo.create(make_meta("Asha Rahman"), framework)
    session.add_note(Note(at=repo.clock(), text="Invited a plan for Monday #P3", criteria=["P3"]))
    record = session.record
    session.close()
    rows = {
        r.criterion_id: r for d in feedback_context(record, "asha-rahman").domains for r in d.rows
    }
    assert rows["P3"].label == "Noted, not rated" and not rows["P3"].rated
    assert [e.text for e in rows["P3"].evidence] == ["Invited a plan for Monday"]
