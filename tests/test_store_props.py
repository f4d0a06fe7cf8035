"""Property tests: any session round-trips through storage unchanged; revs only go up."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from observe.core.frameworks import load
from observe.core.models import (
    Action,
    Meta,
    Mode,
    Note,
    NoteKind,
    Person,
    Response,
    Status,
)
from observe.store import files
from observe.store.repository import Repository
from observe.store.workspace import Workspace, packaged_criteria

FRAMEWORK = load(packaged_criteria() / "good-facilitation.toml")
CRITERIA = [c.id for _, c in FRAMEWORK.criteria()]
START = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)

SAMPLES = [
    "مرحبا بالجميع، لنبدأ",  # right to left
    "שלום, זה בסדר לא לדעת",
    "Siân, Zoë and Øyvind 👋🏽 👩🏾‍🏫",
    "tab\there\r\nnew line\x00nul\x1b[31m escape \u2028 \ufeff",
    "x" * 100_000,
]

texts = st.one_of(
    st.text(),
    st.sampled_from(SAMPLES),
    st.text(min_size=1, max_size=20).map(lambda t: t * 500),
)
names = st.text(min_size=1, max_size=30).filter(lambda t: t.strip())
offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


class Clock:
    """One second per call: every change has its own time, and nothing reads the wall clock."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@st.composite
def notes(draw: st.DrawFn) -> Note:
    return Note(
        at=START.astimezone(draw(offsets)) + timedelta(seconds=draw(st.integers(0, 20_000))),
        elapsed_s=draw(st.floats(0, 50_000, allow_nan=False)),
        text=draw(texts),
        kind=draw(st.sampled_from(list(NoteKind))),
        criteria=draw(st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True)),
        facilitators=draw(st.lists(st.sampled_from(["f1", "f2"]), max_size=2, unique=True)),
        phase=draw(st.text(max_size=40)),
    )


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(st.lists(names, min_size=1, max_size=3, unique_by=lambda n: n.strip()))
    meta = Meta(
        date=draw(st.dates(date(2000, 1, 1), date(2099, 12, 31))),
        wave=draw(st.text(max_size=10)),
        region=draw(st.text(max_size=40)),
        partner=draw(texts),
        title=draw(texts),
        mode=draw(st.sampled_from(list(Mode))),
        facilitators=[Person(id=f"f{i + 1}", name=n) for i, n in enumerate(people)],
        observer=Person(id="obs", name=draw(names)),
        focus=draw(st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True)),
    )
    ratings = draw(
        st.lists(
            st.tuples(
                st.sampled_from([p.id for p in meta.facilitators]),
                st.sampled_from(CRITERIA),
                st.sampled_from([None, 1, 2, 3, 4]),
                texts,
            ),
            max_size=8,
            unique_by=lambda r: (r[0], r[1]),
        )
    )
    summary = {
        p.id: {"strengths": draw(texts), "development": draw(texts), "summary": ""}
        for p in meta.facilitators
    }
    response = {
        meta.facilitators[0].id: {
            "reflection": draw(texts),
            "actions": [Action(text=t) for t in draw(st.lists(names, max_size=3))],
            "disagreement": draw(texts),
        }
    }
    return {
        "meta": meta,
        "notes": draw(st.lists(notes(), max_size=8)),
        "ratings": ratings,
        "summary": summary,
        "response": response,
        "status": draw(st.sampled_from(list(Status))),
    }


def by_id(docs: list[Any]) -> dict[str, Any]:
    return {d.id: d for d in docs}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
@example(
    {
        "meta": Meta(
            date=date(2026, 3, 4),
            title=SAMPLES[0],
            facilitators=[Person(id="f1", name="זהבה 👩🏾‍🏫")],
        ),
        "notes": [Note(at=START, text=t) for t in SAMPLES],
        "ratings": [("f1", "R1", None, SAMPLES[3])],
        "summary": {"f1": {"strengths": SAMPLES[1], "development": SAMPLES[4]}},
        "response": {},
        "status": Status.ACKNOWLEDGED,
    }
)
def test_any_session_round_trips_through_storage(spec: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws").ensure()
        repo = Repository(ws, clock=Clock())
        session = repo.create(spec["meta"], FRAMEWORK)
        for note in spec["notes"]:
            session.add_note(note)
        for facilitator, criterion, level, comment in spec["ratings"]:
            session.rate(facilitator, criterion, level, comment=comment)
        for facilitator, fields in spec["summary"].items():
            session.put_summary(facilitator, **fields)
        for facilitator, fields in spec["response"].items():
            session.put_response(facilitator, Response.new("x", facilitator, **fields))
        session.set_status(spec["status"])
        expected = session.record.model_copy(deep=True)
        session.close()

        loaded = repo.load(session.path)
        assert loaded.session == expected.session
        assert loaded.summaries == expected.summaries
        assert loaded.responses == expected.responses
        assert loaded.status is expected.status
        assert by_id(loaded.notes) == by_id(expected.notes)
        assert by_id(loaded.ratings) == by_id(expected.ratings)
        assert by_id(loaded.notes) == {n.id: n for n in spec["notes"]}
        assert loaded.session.meta == spec["meta"]

        # and a second load-and-save leaves the bytes as they were
        raw = session.path.read_bytes()
        reopened = repo.open(session.path)
        reopened.close()
        assert session.path.read_bytes() == raw


operations = st.lists(
    st.tuples(st.integers(0, 4), st.sampled_from(["edit", "delete", "restore"]), texts),
    min_size=1,
    max_size=25,
)


@settings(max_examples=30, deadline=None)
@given(operations)
def test_edit_delete_restore_keep_revs_increasing(ops: list[tuple[int, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws").ensure()
        repo = Repository(ws, clock=Clock())
        meta = Meta(date=date(2026, 3, 4), facilitators=[Person.named("Asha Rahman")])
        session = repo.create(meta, FRAMEWORK)
        ids = [session.add_note(Note(at=START, text=f"n{i}")).id for i in range(5)]
        revs = {i: 1 for i in ids}
        session_rev = session.session.rev
        for k, op, text in ops:
            note_id = ids[k]
            if op == "edit":
                note = session.edit_note(note_id, text=text)
                assert note.text == text
            elif op == "delete":
                note = session.delete_note(note_id)
                assert note.deleted
            else:
                note = session.restore_note(note_id)
                assert not note.deleted
            assert note.rev > revs[note_id]
            revs[note_id] = note.rev
            if k == 0:  # the session document's rev goes up too
                rev = session.update(meta=meta).rev
                assert rev > session_rev
                session_rev = rev
        expected = by_id(session.record.notes)
        session.close()
        loaded = files.read_record(session.path)
        assert by_id(loaded.notes) == expected
        assert {n.id: n.rev for n in loaded.notes} == revs
        assert {n.id for n in loaded.live_notes()} == {
            i for i, n in expected.items() if not n.deleted
        }
