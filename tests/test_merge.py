"""Merging session documents: properties (hypothesis) and the rules case by case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observe.core.answers import forward_sessions
from observe.core.errors import UsageError
from observe.core.models import Framework, Note, Rating, Scale, Session
from observe.core.record import SessionRecord
from observe.store import codec, merge
from observe.store.codec import SessionFile
from tests.conftest import make_meta

SID = "6f1c2d4e-0000-4000-8000-000000000001"
NOTE_IDS = ["n1", "n2", "n3"]
AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
FRAMEWORK = Framework.model_validate(
    {
        "id": "tiny",
        "version": "1",
        "title": "Tiny",
        "scale": Scale.model_validate(
            {"levels": [{"value": 1, "label": "a"}, {"value": 2, "label": "b"}]}
        ),
        "domains": [{"id": "d", "title": "D", "criteria": [{"id": "R1", "title": "One"}]}],
    }
).snapshot()


def session(rev: int = 1, status: str = "in_progress", doc_id: str = SID) -> Session:
    return Session(
        id=doc_id,
        rev=rev,
        status=status,
        meta=make_meta(),
        framework=FRAMEWORK,
        created_at=AT,
        updated_at=AT,
    )


def layout_of(tables: dict[str, Any]) -> SessionFile:
    """A file from a layout written by hand, as it would be read."""
    return codec.file_from_tables(tables)


def canonical(file: SessionFile) -> dict[str, Any]:
    """The documents of a file keyed by id, TinyDB's local doc_ids left out."""
    tables = codec.file_tables(file)
    out: dict[str, Any] = {}
    for table in ("session", "notes", "ratings"):
        out[table] = {d["id"]: d for d in (tables.get(table) or {}).values()}
    out["conflicts"] = {(c["table"], c["id"]): c for c in (tables.get("conflicts") or {}).values()}
    return out


def note(rev: int, text: str = "a", deleted: bool = False, doc_id: str = "n1") -> Note:
    return Note(id=doc_id, rev=rev, text=text, deleted=deleted, at=AT)


def rating(doc_id: str, rev: int, level: int | None) -> Rating:
    return Rating(id=doc_id, rev=rev, facilitator="asha-rahman", criterion="R1", level=level)


def file_of(*docs: Note | Rating, rev: int = 1, status: str = "in_progress") -> SessionFile:
    notes = [d for d in docs if isinstance(d, Note)]
    ratings = [d for d in docs if isinstance(d, Rating)]
    record = SessionRecord(session=session(rev, status), notes=notes, ratings=ratings)
    return layout_of(codec.tables_of(record))


versions = st.builds(
    note, rev=st.integers(1, 3), text=st.sampled_from(["a", "b"]), deleted=st.booleans()
)


RATING_IDS = ["r1", "r2"]
rating_versions = st.tuples(st.integers(1, 3), st.sampled_from([None, 1, 2]))


@st.composite
def replicas(draw: st.DrawFn) -> SessionFile:
    docs: list[Note | Rating] = []
    for doc_id in draw(st.lists(st.sampled_from(NOTE_IDS), unique=True)):
        docs.append(draw(versions).model_copy(update={"id": doc_id}))
    for doc_id in draw(st.lists(st.sampled_from(RATING_IDS), unique=True)):
        rev, level = draw(rating_versions)
        docs.append(rating(doc_id, rev, level))
    rev, status = draw(st.integers(1, 2)), draw(st.sampled_from(["in_progress", "completed"]))
    file = file_of(*docs, rev=rev, status=status)
    if draw(st.booleans()):
        # A replica that already holds a conflict from an earlier merge.
        file = m(file, file_of(note(3, "p"), rev=rev, status=status))
        file = m(file, file_of(note(3, "q"), rev=rev, status=status))
    return file


def m(a: SessionFile, b: SessionFile) -> SessionFile:
    return merge.merge_files(a, b)[0]


@settings(max_examples=150, deadline=None)
@given(replicas(), replicas())
def test_commutative(a: SessionFile, b: SessionFile) -> None:
    assert canonical(m(a, b)) == canonical(m(b, a))


@settings(max_examples=150, deadline=None)
@given(replicas(), replicas(), replicas())
def test_associative(a: SessionFile, b: SessionFile, c: SessionFile) -> None:
    assert canonical(m(m(a, b), c)) == canonical(m(a, m(b, c)))


@settings(max_examples=100, deadline=None)
@given(replicas(), replicas())
def test_idempotent(a: SessionFile, b: SessionFile) -> None:
    assert canonical(m(a, a)) == canonical(a)
    ab = m(a, b)
    again, outcome = merge.merge_files(ab, b)
    assert canonical(again) == canonical(ab)
    assert not outcome.changed


@settings(max_examples=150, deadline=None)
@given(st.lists(replicas(), min_size=1, max_size=4))
def test_nothing_is_lost_and_conflicts_stay_visible(reps: list[SessionFile]) -> None:
    result = reps[0]
    for rep in reps[1:]:
        result = m(result, rep)
    out = canonical(result)
    inputs = [merge.state_of(r) for r in reps]
    keys = [("notes", i) for i in NOTE_IDS] + [("ratings", i) for i in RATING_IDS]
    keys.append(("session", SID))
    for table, doc_id in keys:
        seen = [v for s in inputs for v in s.get((table, doc_id), {}).values()]
        if not seen:
            assert doc_id not in out[table]
            continue
        # Every note, rating or tombstone survives, at the highest rev any copy had.
        shown = out[table][doc_id]
        top = max(merge.order_key(v) for v in seen)
        assert (shown["rev"], shown.get("deleted", False)) == top
        winners = [v for v in seen if merge.order_key(v) == top]
        if table == "session":  # moved on to the furthest status any copy reached
            winners = forward_sessions(winners, seen)
        assert shown in [v.dump() for v in winners]
        distinct = {merge.content_hash(v) for v in winners}
        conflict = out["conflicts"].get((table, doc_id))
        if len(distinct) > 1:
            # Never silently resolved: every competing version is kept for a person.
            assert conflict is not None
            assert set(conflict["versions"]) == distinct
        else:
            assert conflict is None


def layout(*notes: Note, draft: str | None = None) -> SessionFile:
    file = file_of(*notes)
    if draft is not None:
        file = replace(file, local={"draft": {"1": {"text": draft}}})
    return file


def test_higher_rev_wins_and_is_counted_as_updated() -> None:
    merged, outcome = merge.merge_files(layout(note(1, "old")), layout(note(2, "new")))
    assert canonical(merged)["notes"]["n1"]["text"] == "new"
    assert outcome.updated == [("notes", "n1")]
    assert not outcome.conflicts


def test_identical_content_is_skipped() -> None:
    merged, outcome = merge.merge_files(layout(note(1)), layout(note(1)))
    assert not outcome.changed
    assert canonical(merged) == canonical(layout(note(1)))


def test_tombstone_beats_the_version_it_deletes_at_the_same_rev() -> None:
    merged, outcome = merge.merge_files(layout(note(2, "x")), layout(note(2, "y", deleted=True)))
    assert canonical(merged)["notes"]["n1"]["deleted"] is True
    assert not outcome.conflicts


def test_same_rev_different_content_is_a_conflict_settled_by_a_person() -> None:
    merged, outcome = merge.merge_files(layout(note(2, "mine")), layout(note(2, "theirs")))
    assert outcome.new_conflicts == [("notes", "n1")]
    (conflict,) = merge.conflicts_in(merged)
    assert {d["text"] for _, d in conflict.versions} == {"mine", "theirs"}
    assert conflict.differing_fields() == ["text"]
    keep = next(i for i, (_, d) in enumerate(conflict.versions, 1) if d["text"] == "theirs")
    settled, kept = merge.settle_file(merged, "n1", str(keep))
    assert isinstance(kept, Note) and kept.text == "theirs" and kept.rev == 3
    assert merge.conflicts_in(settled) == []
    # The settled version wins over the conflict still held by copies elsewhere.
    again = m(m(settled, merged), layout(note(2, "mine")))
    assert canonical(again)["notes"]["n1"]["text"] == "theirs"
    assert merge.conflicts_in(again) == []


def test_settle_refuses_unknown_documents_and_versions() -> None:
    merged = m(layout(note(2, "mine")), layout(note(2, "theirs")))
    with pytest.raises(UsageError, match="no open conflict"):
        merge.settle_file(merged, "zz", "1")
    with pytest.raises(UsageError, match="version number"):
        merge.settle_file(merged, "n1", "9")


def test_draft_is_local_and_local_doc_ids_are_kept() -> None:
    local = layout(note(1, doc_id="n1"), note(1, doc_id="n2"), draft="typing")
    incoming = layout(note(1, doc_id="n3"), draft="someone else's draft")
    merged, outcome = merge.merge_files(local, incoming)
    tables = codec.file_tables(merged)
    assert tables["draft"] == {"1": {"text": "typing"}}
    assert tables["notes"]["1"]["id"] == "n1" and tables["notes"]["2"]["id"] == "n2"
    assert tables["notes"]["3"]["id"] == "n3"
    assert outcome.added == [("notes", "n3")]


def test_doc_ids_written_by_hand_are_kept_through_a_merge() -> None:
    tables = codec.file_tables(layout(note(1, doc_id="n1"), note(1, doc_id="n2")))
    tables["notes"] = {"7": tables["notes"]["2"], "3": tables["notes"]["1"]}
    merged = m(layout_of(tables), layout(note(2, "new", doc_id="n1"), note(1, doc_id="n3")))
    notes = codec.file_tables(merged)["notes"]
    assert list(notes) == ["3", "7", "8"]
    assert [notes[k]["id"] for k in notes] == ["n1", "n2", "n3"]
    assert notes["3"]["text"] == "new"


def test_different_sessions_are_never_merged() -> None:
    other = file_of(note(1))
    other = replace(
        other, record=other.record.model_copy(update={"session": session(doc_id="another")})
    )
    with pytest.raises(UsageError, match="different sessions"):
        merge.merge_files(layout(note(1)), other)


def test_an_edit_after_a_conflict_supersedes_it_and_odd_records_are_ignored() -> None:
    merged = m(layout(note(2, "mine")), layout(note(2, "theirs")))
    assert len(merge.conflicts_in(merged)) == 1
    edited = replace(
        merged, record=merged.record.model_copy(update={"notes": [note(3, "by hand")]})
    )
    assert merge.conflicts_in(edited) == []
    tables = codec.file_tables(layout(note(1)))
    assert merge.conflicts_in(layout_of({**tables, "conflicts": ["not", "records"]})) == []
    assert merge.conflicts_in(layout_of({**tables, "conflicts": {"1": {"table": "x"}}})) == []
    # A version that is no document at all is left out, as unreadable; the file still reads.
    odd = {"1": {"table": "notes", "id": "n1", "versions": {"h": {"id": "n1", "rev": "x"}}}}
    assert merge.conflicts_in(layout_of({**tables, "conflicts": odd})) == []


def test_a_conflict_survives_encoding_and_decoding() -> None:
    merged = m(layout(note(2, "mine")), layout(note(2, "theirs")))
    again = codec.decode_file(codec.encode_file(merged))
    assert merge.conflicts_in(again) == merge.conflicts_in(merged)
    assert canonical(again) == canonical(merged)
