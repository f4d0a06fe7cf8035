"""Agreed actions over time: states, overdue, carry-over into the next observation, notes
tied to an action, and merges of a close on one machine with edits and follow-ups on others."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from functools import reduce
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observe.core import actions
from observe.core.actions import FollowUp
from observe.core.choices import ActionState, FollowUpMark
from observe.core.errors import SessionUnreadable
from observe.core.models import Action, Response
from observe.core.record import SessionRecord
from observe.store import codec, merge
from observe.store.codec import SessionFile

DATA = Path(__file__).parent / "data" / "schema1"
BASE = codec.decode((DATA / "codelivered-shared-with-responses.json").read_bytes())[0]
WHO = BASE.session.meta.facilitators[0].id
DAY = date(2026, 4, 1)


def response_with(*texts: str, by: date | None = None) -> Response:
    acts = [Action(id=f"act-{i}", text=t, by=by) for i, t in enumerate(texts)]
    return Response.new(BASE.session.id, WHO, actions=acts)


def file_of(record: SessionRecord) -> SessionFile:
    return codec.file_from_tables(codec.tables_of(record))


def with_response(response: Response) -> SessionRecord:
    rest = [r for r in BASE.responses if r.facilitator != response.facilitator]
    return BASE.model_copy(update={"responses": [*rest, response]})


def merged(*files: SessionFile) -> SessionFile:
    return reduce(lambda a, b: merge.merge_files(a, b)[0], files)


def test_an_action_is_open_until_closed_and_remembers_the_day() -> None:
    r = response_with("Pause after questions", by=date(2026, 3, 1))
    assert r.actions[0].state is ActionState.OPEN and r.actions[0].changed is None
    done = actions.with_state(r, "act-0", ActionState.DONE, DAY)
    assert done.actions[0].state is ActionState.DONE and done.actions[0].changed == DAY
    assert done.rev == r.rev + 1
    assert actions.with_state(done, "act-0", ActionState.DONE, date(2026, 5, 1)) is done
    with pytest.raises(KeyError):
        actions.with_state(r, "nope", ActionState.DONE, DAY)


def test_overdue_is_open_and_past_its_date() -> None:
    r = response_with("a", by=date(2026, 3, 1))
    assert actions.is_overdue(r.actions[0], DAY)
    assert not actions.is_overdue(r.actions[0], date(2026, 3, 1))  # due today is not late
    closed = actions.with_state(r, "act-0", ActionState.DROPPED, DAY)
    assert not actions.is_overdue(closed.actions[0], DAY)
    assert not actions.is_overdue(response_with("no date").actions[0], DAY)


def test_carrying_keeps_it_open_with_a_new_date() -> None:
    r = response_with("a", by=date(2026, 3, 1))
    carried = actions.carry(r, "act-0", date(2026, 6, 1))
    assert carried.actions[0].by == date(2026, 6, 1)
    assert carried.actions[0].state is ActionState.OPEN and carried.rev == r.rev + 1


def test_open_actions_of_earlier_sessions_come_with_the_next() -> None:
    early = datetime(2026, 3, 1, 9, tzinfo=UTC)
    r1 = actions.with_state(response_with("x", "y"), "act-1", ActionState.DONE, DAY)
    other = Response.new("other-session", "someone-else", actions=[Action(text="not theirs")])
    later = Response.new("later-session", WHO, actions=[Action(text="agreed after")])
    rows = [
        ("s1", early, r1),
        ("s2", early, other),
        ("s3", datetime(2026, 5, 1, tzinfo=UTC), later),
    ]
    found = actions.open_actions(rows, WHO, before=datetime(2026, 4, 1, tzinfo=UTC))
    assert [a.action.text for a in found] == ["x"]  # y is done, "after" is later
    ups = actions.follow_ups("new-session", found)
    assert [(u.label, u.text, u.from_session, u.mark) for u in ups] == [("A1", "x", "s1", None)]
    assert ups[0].id == FollowUp.id_for("new-session", "act-0")


def test_a_note_ties_itself_to_an_action_by_its_label() -> None:
    assert actions.tags("Paused well !A1 and !a2 !A1, not x!A3 nor !A12b") == ["A1"]
    assert actions.tags("!A2 then !A01") == ["A2", "A1"]


def test_follow_ups_go_through_the_file_and_back() -> None:
    found = [
        actions.Agreed("s1", datetime(2026, 3, 1, tzinfo=UTC), WHO, a)
        for a in response_with("x", "y").actions
    ]
    ups = actions.follow_ups(BASE.session.id, found)
    ups[1] = actions.marked(ups[1], FollowUpMark.PARTLY)
    record = BASE.model_copy(update={"followups": ups})
    back = codec.decode(codec.encode(codec.tables_of(record)))[0]
    assert [(u.label, u.mark) for u in back.followups] == [
        ("A1", None),
        ("A2", FollowUpMark.PARTLY),
    ]


def test_a_follow_up_under_a_foreign_id_is_refused() -> None:
    up = actions.follow_ups(
        "another-session",
        [actions.Agreed("s1", datetime(2026, 3, 1, tzinfo=UTC), WHO, Action(id="a1", text="x"))],
    )[0]
    tables = codec.tables_of(BASE)
    tables["followups"] = {"1": up.dump()}
    with pytest.raises(SessionUnreadable, match="followups"):
        codec.decode(codec.encode(tables))
    tables["followups"] = {str(i): {"id": i} for i in range(actions.MAX_FOLLOWUPS + 1)}
    with pytest.raises(SessionUnreadable, match="at most"):
        codec.decode(codec.encode(tables))


# ---------------------------------------------------------------- merges converge


def test_closed_on_one_machine_and_reworded_on_another_converge_closed() -> None:
    base = response_with("Pause after questions", "Name the aim")
    closed = actions.with_state(base, "act-0", ActionState.DONE, DAY)  # the facilitator
    reworded = base.model_copy(  # someone else, at the same rev
        update={
            "rev": base.rev + 1,
            "actions": [
                base.actions[0].model_copy(update={"text": "Pause longer"}),
                base.actions[1],
            ],
        }
    )
    a, b = file_of(with_response(closed)), file_of(with_response(reworded))
    for x, y in ((a, b), (b, a)):
        out = merged(x, y)
        shown = out.record.response(WHO)
        assert shown.actions[0].state is ActionState.DONE and shown.actions[0].changed == DAY
        assert all(  # every version kept in the conflict says so too
            v.actions[0].state is ActionState.DONE
            for c in out.conflicts
            for v in c.versions
            if isinstance(v, Response)
        )


def test_done_beats_dropped_on_the_earliest_day_whatever_the_order() -> None:
    base = response_with("a")
    one = actions.with_state(base, "act-0", ActionState.DROPPED, date(2026, 4, 2))
    two = actions.with_state(base, "act-0", ActionState.DONE, date(2026, 4, 5))
    three = actions.with_state(base, "act-0", ActionState.DONE, date(2026, 4, 3))
    files = [file_of(with_response(r)) for r in (one, two, three)]
    results = {
        tuple((a.state, a.changed) for a in merged(*p).record.response(WHO).actions)
        for p in itertools.permutations(files)
    }
    assert results == {((ActionState.DONE, date(2026, 4, 3)),)}


def content(file: SessionFile) -> tuple:
    """What a merged file holds, whatever order it was made in: shown documents and conflicts."""
    shown = sorted(codec.content_hash(d) for _, d in codec.documents(file.record))
    kept = sorted(
        (c.table, c.id, tuple(map(codec.content_hash, c.versions))) for c in file.conflicts
    )
    return shown, kept


STATES = st.sampled_from(list(ActionState))
DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=40, deadline=None)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2), STATES, DAYS, st.integers(1, 3)), min_size=1, max_size=5
    ),
    order=st.randoms(use_true_random=False),
)
def test_any_merge_order_converges(edits, order) -> None:
    base = response_with("a", "b", "c")
    files = []
    for index, state, day, rev in edits:
        r = base.model_copy(update={"rev": rev})
        if state is not ActionState.OPEN:
            r = actions.with_state(r, f"act-{index}", state, day)
        files.append(file_of(with_response(r)))
    one = merged(*files)
    shuffled = list(files)
    order.shuffle(shuffled)
    two = merged(*shuffled)
    assert content(one) == content(two)
    final = merged(one, two).record.response(WHO)
    for index in range(3):  # a close anywhere is a close in the end
        closed = [e for e in edits if e[0] == index and e[1] is not ActionState.OPEN]
        assert (final.actions[index].state is not ActionState.OPEN) == bool(closed)
