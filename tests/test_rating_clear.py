"""A cleared rating is a tombstone: no rating to the index, the record and the merge, and
rating again after a clear wins in any merge order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from observe.core.models import Rating
from observe.store import codec, merge
from observe.store.codec import SessionFile
from observe.store.index import Entry, _ratings
from tests.test_merge import session

SID = "6f1c2d4e-0000-4000-8000-000000000001"
RID = Rating.id_for(SID, "asha", "R1")
AT = datetime(2026, 3, 4, 9, 30)

# One observer's changes to one rating, in order: a level (None: not observed) or a clear.
changes = st.lists(st.one_of(st.sampled_from([None, 1, 2, 3, 4]), st.just("clear")), min_size=1)


def history(steps: list[object]) -> list[dict[str, Any]]:
    """The rating's versions as the owner writes them: each change raises the rev."""
    doc = Rating(id=RID, facilitator="asha", criterion="R1", at=AT)
    out = []
    for i, step in enumerate(steps):
        update: dict[str, Any] = {"rev": i + 1}
        if step == "clear":
            update["deleted"] = True
        else:
            update.update(level=step, deleted=False)
        doc = doc.model_copy(update=update)
        out.append(doc.dump())
    return out


def file_of(rating: dict[str, Any]) -> SessionFile:
    """A copy of the session file holding this version of the rating."""
    return codec.file_from_tables({"session": {"1": session().dump()}, "ratings": {"1": rating}})


@given(changes, st.data())
def test_clear_then_rate_converges_in_any_merge_order(steps: list[object], data: Any) -> None:
    versions = history(steps)
    # Copies of the file taken at different moments, merged in any order.
    copies = data.draw(st.permutations([file_of(v) for v in versions]))
    merged: SessionFile | None = None
    for copy in copies:
        merged, _ = merge.merge_files(merged, copy)
    assert merged is not None
    (shown,) = merged.record.ratings
    assert shown.dump() == versions[-1]
    assert not merged.conflicts


def test_the_index_leaves_a_cleared_rating_out_and_keeps_not_observed() -> None:
    kept = Rating(id="a", facilitator="asha", criterion="R2", level=3)
    cleared = Rating(id="b", facilitator="asha", criterion="R1", level=2, rev=2, deleted=True)
    not_observed = Rating(id="c", facilitator="asha", criterion="R3", level=None)
    table = {str(i): r.dump() for i, r in enumerate((kept, cleared, not_observed))}
    rated, criteria, levels, extra = _ratings(table)
    entry = Entry(name="x", size=0, mtime_ns=0, criteria=criteria, levels=levels, extra=extra)
    assert rated == 1  # not observed is kept, as null, but it is not a level
    assert sorted(entry.ratings, key=lambda r: r[1]) == [["asha", "R2", 3], ["asha", "R3", None]]


def test_the_record_reads_a_cleared_rating_as_none() -> None:
    from observe.core.record import SessionRecord

    cleared = Rating(id="b", facilitator="asha", criterion="R1", level=2, rev=2, deleted=True)
    record = SessionRecord.model_construct(session=None, notes=[], ratings=[cleared])
    assert record.rating("asha", "R1") is None and record.live_ratings() == []
    assert record.rating_doc("asha", "R1") == cleared
