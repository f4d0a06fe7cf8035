"""Merging schema 2 sessions: the summary and the response are written apart and both kept;
any order of merges converges; a status never goes back."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import reduce
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from observe.core.answers import rank
from observe.core.models import Action, Note, Status, slugify
from observe.core.record import SessionRecord
from observe.store import codec, merge
from observe.store.codec import SessionFile

DATA = Path(__file__).parent / "data" / "schema1"
# A co-delivered session, finished and shared by the release before schema 2.
BASE = codec.decode((DATA / "codelivered-shared-with-responses.json").read_bytes())[0]
PEOPLE = [p.id for p in BASE.session.meta.facilitators]
LATER = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


def file_of(record: SessionRecord) -> SessionFile:
    return codec.file_from_tables(codec.tables_of(record))


def canonical(file: SessionFile) -> dict[str, Any]:
    """Every document by table and id, and the open conflicts: doc ids left out."""
    tables = codec.file_tables(file)
    out: dict[str, Any] = {
        name: {d["id"]: d for d in docs.values()}
        for name, docs in tables.items()
        if name != "conflicts"
    }
    out["conflicts"] = {(c["table"], c["id"]): c for c in (tables.get("conflicts") or {}).values()}
    return out


def merged(*files: SessionFile) -> SessionFile:
    return reduce(lambda a, b: merge.merge_files(a, b)[0], files)


# ---------------------------------------------------------------- edits, as each person makes them


def edit_summary(record: SessionRecord, who: str, text: str) -> None:
    old = record.summary(who)
    new = old.model_copy(update={"summary": text, "rev": old.rev + 1})
    record.summaries = [s for s in record.summaries if s.facilitator != who] + [new]


def answer(record: SessionRecord, who: str, text: str, acknowledge: bool = False) -> None:
    old = record.response(who)
    update: dict[str, Any] = {"reflection": text, "rev": old.rev + 1}
    update["actions"] = [*old.actions, Action(id=f"a{old.rev + 1}-{slugify(text)}", text=text)]
    if acknowledge and not old.acknowledged:
        update.update(acknowledged=True, acknowledged_at=LATER + timedelta(hours=len(text)))
    new = old.model_copy(update=update)
    record.responses = [r for r in record.responses if r.facilitator != who] + [new]


def move_on(record: SessionRecord, status: Status) -> None:
    s = record.session
    if rank(status) > rank(s.status):
        stamp = {"shared_at": s.shared_at or LATER} if status is Status.SHARED else {}
        record.session = s.model_copy(update={"status": status, "rev": s.rev + 1, **stamp})


def observe_more(record: SessionRecord, text: str) -> None:
    record.notes = [*record.notes, Note(id=f"n-{abs(hash(text)) % 10**9}", at=LATER, text=text)]


EDITS = st.one_of(
    st.tuples(st.just("summary"), st.sampled_from(PEOPLE), st.sampled_from(["x", "y", "z"])),
    st.tuples(st.just("answer"), st.sampled_from(PEOPLE), st.sampled_from(["p", "q"])),
    st.tuples(st.just("acknowledge"), st.sampled_from(PEOPLE), st.sampled_from(["ok", "fine"])),
    st.tuples(st.just("status"), st.just(""), st.sampled_from(["shared", "acknowledged"])),
    st.tuples(st.just("note"), st.just(""), st.sampled_from(["seen", "heard"])),
)


def copy_with(edits: list[tuple[str, str, str]]) -> SessionRecord:
    record = BASE.model_copy(deep=True)
    for kind, who, text in edits:
        if kind == "summary":
            edit_summary(record, who, text)
        elif kind == "answer":
            answer(record, who, text)
        elif kind == "acknowledge":
            answer(record, who, text, acknowledge=True)
        elif kind == "status":
            move_on(record, Status(text))
        else:
            observe_more(record, text)
    return record


# ---------------------------------------------------------------- the cases


def test_a_response_written_while_the_summary_is_edited_keeps_both() -> None:
    observer, facilitator = BASE.model_copy(deep=True), BASE.model_copy(deep=True)
    edit_summary(observer, "asha-rahman", "Rewritten after we spoke.")
    answer(facilitator, "asha-rahman", "I will plan the timings.", acknowledge=True)
    one, outcome = merge.merge_files(file_of(observer), file_of(facilitator))
    two, _ = merge.merge_files(file_of(facilitator), file_of(observer))
    assert canonical(one) == canonical(two)
    assert not outcome.conflicts and not one.conflicts
    record = one.record
    assert record.summary("asha-rahman").summary == "Rewritten after we spoke."
    assert record.response("asha-rahman").reflection == "I will plan the timings."
    assert record.response("asha-rahman").acknowledged
    assert record.status is Status.ACKNOWLEDGED  # Tom had acknowledged already


def test_the_same_summary_edited_on_two_copies_is_a_visible_conflict() -> None:
    a, b = BASE.model_copy(deep=True), BASE.model_copy(deep=True)
    edit_summary(a, "tom-price", "one")
    edit_summary(b, "tom-price", "two")
    file, outcome = merge.merge_files(file_of(a), file_of(b))
    assert [key[0] for key in outcome.new_conflicts] == ["summaries"]
    (conflict,) = merge.conflicts_in(file)
    assert {d["summary"] for _, d in conflict.versions} == {"one", "two"}
    assert conflict.what().startswith("summary")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(EDITS, max_size=5), min_size=3, max_size=3))
def test_any_order_of_merges_of_three_divergent_copies_converges(
    edits: list[list[tuple[str, str, str]]],
) -> None:
    copies = [file_of(copy_with(e)) for e in edits]
    results = [canonical(merged(*order)) for order in itertools.permutations(copies)]
    a, b, c = copies
    results.append(canonical(merge.merge_files(a, merged(b, c))[0]))
    results.append(canonical(merged(merged(a, b), merged(b, c), merged(c, a))))
    assert all(r == results[0] for r in results)
    # Merging again changes nothing.
    once = merged(*copies)
    for copy in copies:
        again, outcome = merge.merge_files(once, copy)
        assert not outcome.changed and canonical(again) == canonical(once)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(EDITS, max_size=5), min_size=2, max_size=4), st.randoms())
def test_a_status_never_goes_back_whatever_order_copies_arrive_in(
    edits: list[list[tuple[str, str, str]]], rnd: Any
) -> None:
    copies = [file_of(copy_with(e)) for e in edits]
    furthest = max((c.record.status for c in copies), key=rank)
    rnd.shuffle(copies)
    local = copies[0]
    for incoming in copies[1:]:
        before = local.record.status
        local = merge.merge_files(local, incoming)[0]
        assert rank(local.record.status) >= rank(before)
        assert rank(local.record.session.status) >= rank(incoming.record.session.status)
    assert local.record.status is furthest
    for response in local.record.responses:  # an acknowledgement any copy made is kept
        acknowledged = any(c.record.response(response.facilitator).acknowledged for c in copies)
        assert response.acknowledged == acknowledged


def test_an_older_copy_that_stayed_shared_cannot_take_an_acknowledged_session_back() -> None:
    done = BASE.model_copy(deep=True)
    for who in PEOPLE:
        answer(done, who, "read it", acknowledge=True)
    done.session = done.session.model_copy(update={"status": Status.ACKNOWLEDGED})
    stale = BASE.model_copy(deep=True)  # later edits of the session, on a copy still shared
    rev = stale.session.rev + 5
    stale.session = stale.session.model_copy(update={"rev": rev, "updated_at": LATER})
    for one, two in ((done, stale), (stale, done)):
        session = merged(file_of(one), file_of(two)).record.session
        assert (session.rev, session.updated_at) == (rev, LATER)  # the later edit wins...
        assert session.status is Status.ACKNOWLEDGED  # ...and the status stays where it got


def test_two_workspaces_writing_at_once_exchange_files_and_both_keep_everything(
    tmp_path: Path,
) -> None:
    """The observer rewrites a summary while the facilitator answers, each on their own
    machine; after each imports the other's file, both hold both, with no conflict."""
    import shutil

    from observe.core.models import Response
    from observe.services.session_owner import SessionOwner
    from observe.store.importer import import_paths
    from observe.store.repository import Repository
    from observe.store.workspace import Workspace

    name = "codelivered-shared-with-responses.json"
    ws = {who: Workspace(tmp_path / who).ensure(seed=True) for who in ("obs", "fac")}
    for w in ws.values():
        shutil.copy(DATA / name, w.sessions_dir / name)
    observer = SessionOwner.open(Repository(ws["obs"]), ws["obs"].sessions_dir / name)
    observer.set_summary("asha-rahman", "development", "Bring in the quieter voices.")
    assert observer.close()
    facilitator = SessionOwner.open(Repository(ws["fac"]), ws["fac"].sessions_dir / name)
    given = Response.new(BASE.session.id, "asha-rahman", reflection="Agreed.")
    assert facilitator.set_responses(
        {"asha-rahman": given.model_copy(update={"acknowledged": True})}
    )
    assert facilitator.close()
    for here, there in (("obs", "fac"), ("fac", "obs")):
        report = import_paths(ws[here], [ws[there].sessions_dir / name])
        assert "1 updated" in report.summary() and "0 new conflicts" in report.summary()
    files = [(w.sessions_dir / name).read_bytes() for w in ws.values()]
    records = [codec.decode(raw)[0] for raw in files]
    for record in records:
        assert record.summary("asha-rahman").development == "Bring in the quieter voices."
        assert record.response("asha-rahman").reflection == "Agreed."
        assert record.status is Status.ACKNOWLEDGED
    assert records[0].summaries == records[1].summaries
    assert records[0].responses == records[1].responses


def test_times_with_and_without_an_offset_merge_without_an_error() -> None:
    a, b = BASE.model_copy(deep=True), BASE.model_copy(deep=True)
    naive = datetime(2026, 3, 10, 9, 0)  # as a script might write it
    for record, at in ((a, naive), (b, LATER)):
        old = record.response("asha-rahman")
        new = old.model_copy(update={"acknowledged": True, "acknowledged_at": at, "rev": 13})
        record.responses = [r for r in record.responses if r.facilitator != "asha-rahman"]
        record.responses.append(new)
    one = merged(file_of(a), file_of(b))
    two = merged(file_of(b), file_of(a))
    assert canonical(one) == canonical(two)
    assert one.record.response("asha-rahman").acknowledged
