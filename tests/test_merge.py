"""Merging session documents: properties (hypothesis) and the rules case by case."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observe.core.errors import UsageError
from observe.store import merge

SID = "6f1c2d4e-0000-4000-8000-000000000001"
NOTE_IDS = ["n1", "n2", "n3"]


def canonical(tables: dict[str, Any]) -> dict[str, Any]:
    """The documents of a layout keyed by id, TinyDB's local doc_ids left out."""
    out: dict[str, Any] = {}
    for table in ("session", "notes", "ratings"):
        out[table] = {d["id"]: d for d in (tables.get(table) or {}).values()}
    out["conflicts"] = {(c["table"], c["id"]): c for c in (tables.get("conflicts") or {}).values()}
    return out


versions = st.fixed_dictionaries(
    {
        "rev": st.integers(1, 3),
        "deleted": st.booleans(),
        "text": st.sampled_from(["a", "b"]),
    }
)


RATING_IDS = ["r1", "r2"]
rating_versions = st.fixed_dictionaries(
    {"rev": st.integers(1, 3), "level": st.sampled_from([None, 1, 2, 3])}
)


@st.composite
def replicas(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(st.sampled_from(NOTE_IDS), unique=True))
    notes = {}
    for i, doc_id in enumerate(ids, start=1):
        notes[str(i)] = {"id": doc_id, **draw(versions)}
    ratings = {}
    for i, doc_id in enumerate(draw(st.lists(st.sampled_from(RATING_IDS), unique=True)), 1):
        ratings[str(i)] = {"id": doc_id, "criterion": "R1", **draw(rating_versions)}
    session = {"id": SID, "rev": draw(st.integers(1, 2)), "status": draw(st.sampled_from("xy"))}
    tables: dict[str, Any] = {"session": {"1": session}, "notes": notes, "ratings": ratings}
    if draw(st.booleans()):
        # A replica that already holds a conflict from an earlier merge.
        base = {"id": "n1", "rev": 3, "deleted": False}
        one, two = {**base, "text": "p"}, {**base, "text": "q"}
        tables = merge.merge_tables(tables, {"session": {"1": session}, "notes": {"1": one}})[0]
        tables = merge.merge_tables(tables, {"session": {"1": session}, "notes": {"1": two}})[0]
    return tables


def m(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return merge.merge_tables(a, b)[0]


@settings(max_examples=150, deadline=None)
@given(replicas(), replicas())
def test_commutative(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert canonical(m(a, b)) == canonical(m(b, a))


@settings(max_examples=150, deadline=None)
@given(replicas(), replicas(), replicas())
def test_associative(a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> None:
    assert canonical(m(m(a, b), c)) == canonical(m(a, m(b, c)))


@settings(max_examples=100, deadline=None)
@given(replicas(), replicas())
def test_idempotent(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert canonical(m(a, a)) == canonical(a)
    ab = m(a, b)
    again, outcome = merge.merge_tables(ab, b)
    assert canonical(again) == canonical(ab)
    assert not outcome.changed


@settings(max_examples=150, deadline=None)
@given(st.lists(replicas(), min_size=1, max_size=4))
def test_nothing_is_lost_and_conflicts_stay_visible(reps: list[dict[str, Any]]) -> None:
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
        assert merge.order_key(shown) == top
        assert shown in seen
        distinct = {merge.content_hash(v) for v in seen if merge.order_key(v) == top}
        conflict = out["conflicts"].get((table, doc_id))
        if len(distinct) > 1:
            # Never silently resolved: every competing version is kept for a person.
            assert conflict is not None
            assert set(conflict["versions"]) == distinct
        else:
            assert conflict is None


def note(rev: int, text: str = "a", deleted: bool = False, doc_id: str = "n1") -> dict[str, Any]:
    return {"id": doc_id, "rev": rev, "text": text, "deleted": deleted}


def layout(*notes: dict[str, Any], draft: str | None = None) -> dict[str, Any]:
    tables: dict[str, Any] = {
        "session": {"1": {"id": SID, "rev": 1}},
        "notes": {str(i): n for i, n in enumerate(notes, start=1)},
    }
    if draft is not None:
        tables["draft"] = {"1": {"text": draft}}
    return tables


def test_higher_rev_wins_and_is_counted_as_updated() -> None:
    merged, outcome = merge.merge_tables(layout(note(1, "old")), layout(note(2, "new")))
    assert canonical(merged)["notes"]["n1"]["text"] == "new"
    assert outcome.updated == [("notes", "n1")]
    assert not outcome.conflicts


def test_identical_content_is_skipped() -> None:
    merged, outcome = merge.merge_tables(layout(note(1)), layout(note(1)))
    assert not outcome.changed
    assert canonical(merged) == canonical(layout(note(1)))


def test_tombstone_beats_the_version_it_deletes_at_the_same_rev() -> None:
    merged, outcome = merge.merge_tables(layout(note(2, "x")), layout(note(2, "y", deleted=True)))
    assert canonical(merged)["notes"]["n1"]["deleted"] is True
    assert not outcome.conflicts


def test_same_rev_different_content_is_a_conflict_settled_by_a_person() -> None:
    merged, outcome = merge.merge_tables(layout(note(2, "mine")), layout(note(2, "theirs")))
    assert outcome.new_conflicts == [("notes", "n1")]
    (conflict,) = merge.conflicts_in(merged)
    assert {d["text"] for _, d in conflict.versions} == {"mine", "theirs"}
    assert conflict.differing_fields() == ["text"]
    keep = next(i for i, (_, d) in enumerate(conflict.versions, 1) if d["text"] == "theirs")
    settled, kept = merge.settle_tables(merged, "n1", str(keep))
    assert kept["text"] == "theirs" and kept["rev"] == 3
    assert merge.conflicts_in(settled) == []
    # The settled version wins over the conflict still held by copies elsewhere.
    again = m(m(settled, merged), layout(note(2, "mine")))
    assert canonical(again)["notes"]["n1"]["text"] == "theirs"
    assert merge.conflicts_in(again) == []


def test_settle_refuses_unknown_documents_and_versions() -> None:
    merged = m(layout(note(2, "mine")), layout(note(2, "theirs")))
    with pytest.raises(UsageError, match="no open conflict"):
        merge.settle_tables(merged, "zz", "1")
    with pytest.raises(UsageError, match="version number"):
        merge.settle_tables(merged, "n1", "9")


def test_draft_is_local_and_local_doc_ids_are_kept() -> None:
    local = layout(note(1, doc_id="n1"), note(1, doc_id="n2"), draft="typing")
    incoming = layout(note(1, doc_id="n3"), draft="someone else's draft")
    merged, outcome = merge.merge_tables(local, incoming)
    assert merged["draft"] == {"1": {"text": "typing"}}
    assert merged["notes"]["1"]["id"] == "n1" and merged["notes"]["2"]["id"] == "n2"
    assert merged["notes"]["3"]["id"] == "n3"
    assert outcome.added == [("notes", "n3")]


def test_different_sessions_are_never_merged() -> None:
    other = layout(note(1))
    other["session"]["1"]["id"] = "another"
    with pytest.raises(UsageError, match="different sessions"):
        merge.merge_tables(layout(note(1)), other)


def test_an_edit_after_a_conflict_supersedes_it_and_odd_records_are_ignored() -> None:
    merged = m(layout(note(2, "mine")), layout(note(2, "theirs")))
    assert len(merge.conflicts_in(merged)) == 1
    edited = copy.deepcopy(merged)
    edited["notes"]["1"] = note(3, "rewritten by hand")
    assert merge.conflicts_in(edited) == []
    assert merge.conflicts_in({**layout(note(1)), "conflicts": ["not", "records"]}) == []
    assert merge.conflicts_in({**layout(note(1)), "conflicts": {"1": {"table": "x"}}}) == []
