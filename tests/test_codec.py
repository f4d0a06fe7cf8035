"""The session file's codec and the owner's writes: TinyDB's layout, one write per Enter,
changes made during a write batched into the next."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from observe.core.models import Framework, Note
from observe.core.notetext import parse
from observe.services.session_owner import SessionOwner
from observe.store import codec, encoded, files, open_session
from observe.store.atomic import dumps
from observe.store.repository import Repository
from observe.store.session_tables import SessionTables, write_parts
from tests.conftest import FakeClock, make_meta


@pytest.fixture
def owner(repo: Repository, framework: Framework) -> Iterator[SessionOwner]:
    owner = SessionOwner(repo.create(make_meta(), framework))
    assert owner.flush()
    yield owner
    owner.abandon()


class CountedWrites:
    """An open session's writes, counted (each as the tables it wrote); ``hold`` makes the
    next write wait until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[dict[str, Any]] = []
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()
        real = write_parts

        def write(path: Path, parts: encoded.Parts) -> None:
            self.calls.append(orjson.loads(encoded.join(parts)))
            if self.hold.is_set():
                self.hold.clear()
                self.holding.set()
                assert self.release.wait(10)
            real(path, parts)

        monkeypatch.setattr(open_session, "write_parts", write)


def test_the_file_is_a_tinydb_database(owner: SessionOwner, clock: FakeClock) -> None:
    owner.add_note(parse("Named the aim #R1", owner.vocab), draft="half a")
    clock.advance(1)
    owner.rate("asha-rahman", "R1", 3)
    assert owner.flush()
    db = TinyDB(owner.path, storage=JSONStorage, access_mode="r")
    try:
        assert [d["text"] for d in db.table(codec.NOTES_TABLE).all()] == ["Named the aim #R1"]
        assert [d["level"] for d in db.table(codec.RATINGS_TABLE).all()] == [3]
        assert db.table(codec.DRAFT_TABLE).get(doc_id=1)["text"] == "half a"
        assert db.table(codec.SESSION_TABLE).get(doc_id=1)["id"] == owner.session.id
    finally:
        db.close()


def test_one_enter_is_one_write_of_the_note_and_the_cleared_draft(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner.save_draft("Asked who had not spoken")
    assert owner.flush()
    writes = CountedWrites(monkeypatch)
    owner.add_note(parse("Asked who had not spoken", owner.vocab), draft="")
    assert owner.flush()
    assert len(writes.calls) == 1
    (tables,) = writes.calls
    assert [d["text"] for d in tables[codec.NOTES_TABLE].values()] == ["Asked who had not spoken"]
    assert tables[codec.DRAFT_TABLE]["1"]["text"] == ""


def test_changes_made_during_a_write_go_together_in_the_next(
    owner: SessionOwner, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    writes = CountedWrites(monkeypatch)
    writes.hold.set()
    owner.add_note(parse("first", owner.vocab))
    assert writes.holding.wait(10)  # the first write is in flight
    for n in range(3):
        clock.advance(1)
        owner.add_note(parse(f"during the write {n}", owner.vocab))
    writes.release.set()
    assert owner.flush()
    assert len(writes.calls) == 2
    texts = sorted(n.text for n in files.read_record(owner.path).notes)
    assert texts == ["during the write 0", "during the write 1", "during the write 2", "first"]


def test_doc_ids_follow_tinydb_and_stay_put(repo: Repository, framework: Framework) -> None:
    session = repo.create(make_meta(), framework)
    first = session.add_note(Note(at=repo.clock(), text="one"))
    session.add_note(Note(at=repo.clock(), text="two"))
    session.edit_note(first.id, text="one, edited")
    session.close()
    raw = codec.decode(session.path.read_bytes())[2]
    assert {k: d["text"] for k, d in raw[codec.NOTES_TABLE].items()} == {
        "1": "one, edited",
        "2": "two",
    }


def test_a_decoded_file_encodes_to_the_same_bytes(owner: SessionOwner, clock: FakeClock) -> None:
    for n in range(3):
        clock.advance(1)
        owner.add_note(parse(f"note {n} #R1", owner.vocab), draft="typing")
    owner.rate("asha-rahman", "R1", 2)
    assert owner.flush()
    raw = owner.path.read_bytes()
    file = codec.decode_file(raw)
    assert file.draft == "typing"
    assert [n.text for n in file.record.notes] == ["note 0 #R1", "note 1 #R1", "note 2 #R1"]
    assert codec.encode_file(file) == raw


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)  # orjson reads larger numbers as floats
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
layouts = st.dictionaries(
    st.text(min_size=1), st.dictionaries(st.text(), json_values, max_size=4), max_size=4
)


@settings(max_examples=200, deadline=None)
@given(layouts)
def test_the_file_joined_from_its_documents_is_the_file_encoded_whole(tables: Any) -> None:
    # Any JSON at all (quotes, newlines and control characters in keys and text, empty
    # tables and documents): the parts kept per document join to the very same bytes.
    assert encoded.join(encoded.parts_of(tables)) == dumps(tables)


def test_an_open_sessions_parts_follow_every_change(owner: SessionOwner, clock: FakeClock) -> None:
    for n in range(3):
        clock.advance(1)
        owner.add_note(parse(f"note {n} #R1", owner.vocab), draft=f"after {n}")
    owner.rate("asha-rahman", "R1", 2)
    owner.rate("asha-rahman", "R1", 3)
    assert owner.flush()
    tables = owner._open._tables
    assert encoded.join(tables.parts()) == dumps(tables.snapshot())
    assert owner.path.read_bytes() == dumps(tables.snapshot())


def test_doc_ids_that_are_digits_only_to_unicode_are_kept_as_they_are() -> None:
    # "²" is a digit to str.isdigit but no number; "٣" is the number 3 in Arabic-Indic digits.
    from tests.test_merge import note, session

    tables = codec.file_tables(codec.SessionFile(codec.record_of([("session", session())])))
    tables["notes"] = {"²": note(1, doc_id="n1").dump(), "٣": note(1, doc_id="n2").dump()}
    file = codec.file_from_tables(tables)
    written = orjson.loads(codec.encode_file(file))
    assert written["notes"]["²"]["id"] == "n1" and written["notes"]["٣"]["id"] == "n2"
    open_tables = SessionTables(tables)
    open_tables.put(note(1, doc_id="n3"))
    assert list(open_tables.snapshot()["notes"]) == ["²", "٣", "4"]


def test_an_open_sessions_tables_of_a_record_are_the_files_layout(
    owner: SessionOwner, clock: FakeClock
) -> None:
    owner.add_note(parse("one #R1", owner.vocab))
    owner.rate("asha-rahman", "R1", 2)
    record = owner.record
    assert SessionTables.of(record).snapshot() == codec.tables_of(record)
