"""`observe demo`: deterministic, valid, and shaped like the programme it imitates."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.models import Framework, Note, Rating, Session, Status
from observe.services import demo_phrases as words
from observe.services.demo import generate
from observe.store import files
from observe.store.atomic import dumps
from observe.store.repository import Repository
from observe.store.workspace import Workspace


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_same_seed_gives_byte_identical_files(tmp_path: Path, framework: Framework) -> None:
    generate(tmp_path / "a", framework, count=25, seed=7)
    generate(tmp_path / "b", framework, count=25, seed=7)
    generate(tmp_path / "c", framework, count=25, seed=8)
    generate(tmp_path / "d", framework, count=10, seed=7)
    a = digest(tmp_path / "a")
    assert len(a) == 25
    assert a == digest(tmp_path / "b")
    assert not set(a) & set(digest(tmp_path / "c"))
    # session i does not depend on how many are generated
    assert digest(tmp_path / "d").items() <= a.items()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    ws = Workspace(tmp_path_factory.mktemp("demo") / "ws").ensure(seed=True)
    from observe.core.frameworks import load_all

    framework = load_all(ws.criteria_dir).get("good-facilitation")
    return generate(ws.sessions_dir, framework, count=300, seed=11)


def test_every_file_validates_and_is_stored_as_the_repository_stores_it(
    corpus: list[Path],
) -> None:
    models = {files.NOTES_TABLE: Note, files.RATINGS_TABLE: Rating}
    for path in corpus:
        raw = path.read_bytes()
        record = files.read_record(path)
        assert record.session.meta.demo is True
        assert path.name == files.file_name(record.session)
        assert path.stat().st_mode & 0o777 == 0o600
        data = orjson.loads(raw)
        assert dumps(data) == raw  # the same serialisation as AtomicStorage
        assert list(data[files.SESSION_TABLE]) == ["1"]
        assert Session.model_validate(data["session"]["1"]).dump() == data["session"]["1"]
        for table, model in models.items():
            docs = data.get(table, {})
            assert list(docs) == [str(k) for k in range(1, len(docs) + 1)]
            for doc in docs.values():
                assert model.model_validate(doc).dump() == doc


def test_a_demo_session_opens_and_takes_edits(
    workspace: Workspace, framework: Framework, clock
) -> None:
    repo = Repository(workspace, clock=clock)
    path = generate(workspace.sessions_dir, framework, count=3, seed=4)[1]
    session = repo.open(path)
    before = len(session.record.notes)
    note = session.add_note(Note(at=clock(), text="Added after the demo #R1", criteria=["R1"]))
    session.edit_note(note.id, text="Edited")
    session.close()
    record = repo.load(path)
    assert len(record.notes) == before + 1
    edited = next(n for n in record.notes if n.id == note.id)
    assert edited.text == "Edited" and edited.rev == 2


def test_distribution_looks_like_the_programme(corpus: list[Path]) -> None:
    records = [files.read_record(p) for p in corpus]
    metas = [r.session.meta for r in records]
    assert {m.wave for m in metas} == set(words.WAVES)
    assert {m.region for m in metas} == set(words.REGIONS)
    assert {m.partner for m in metas} == set(words.PARTNERS)
    assert Counter(m.mode.value for m in metas).keys() == {"in_person", "online", "hybrid"}
    pairs = sum(1 for m in metas if len(m.facilitators) == 2)
    assert 0.4 < pairs / len(metas) < 0.85
    facilitators = {p.id for m in metas for p in m.facilitators}
    assert len(facilitators) == 24
    observers = {m.observer.id for m in metas if m.observer and not m.agreed}
    assert 10 <= len(observers) <= 15 and observers <= facilitators
    for m in metas:
        assert m.observer is not None and m.observer.id not in {p.id for p in m.facilitators}
    statuses = Counter(r.session.status.value for r in records)
    assert set(statuses) == {"in_progress", "completed", "shared", "acknowledged"}
    assert statuses["completed"] + statuses["shared"] + statuses["acknowledged"] > 0.8 * 300

    kinds = Counter(n.kind.value for r in records for n in r.notes)
    assert set(kinds) == {"observation", "strength", "development", "question", "quote"}
    levels = Counter(rt.level for r in records for rt in r.ratings)
    assert levels[None] > 0 and all(levels[v] > 0 for v in (1, 2, 3, 4))
    assert any("@" in n.text and n.facilitators for r in records for n in r.notes)
    assert any(n.deleted for r in records for n in r.notes)
    for r in records:
        online = r.session.meta.mode.value != "in_person"
        if not online:
            assert not any(rt.criterion.startswith("O") for rt in r.ratings)
        for n in r.notes:
            for cid in n.criteria:
                assert f"#{cid}" in n.text
        if r.session.status.value != "in_progress":
            ids = {p.id for p in r.session.meta.facilitators}
            assert {s.facilitator for s in r.summaries} == ids
            assert all(s.strengths and s.development for s in r.summaries)
    responses = [resp for r in records for resp in r.responses]
    assert responses and all(resp.acknowledged and resp.actions for resp in responses)
    assert any(resp.disagreement for resp in responses)
    # ratings spread per facilitator: not everyone gets the same marks
    means = {}
    for r in records:
        for rt in r.ratings:
            if rt.level is not None:
                means.setdefault(rt.facilitator, []).append(rt.level)
    averages = sorted(sum(v) / len(v) for v in means.values())
    assert averages[-1] - averages[0] > 0.4


def test_notes_read_back_as_the_live_screen_parses_them(corpus: list[Path]) -> None:
    from observe.core.notetext import Vocabulary, parse

    for path in corpus[:60]:
        record = files.read_record(path)
        vocab = Vocabulary.of(record.session.framework.content, record.session.meta)
        for note in record.notes:
            parsed = parse(note.text, vocab)
            assert parsed.criteria == note.criteria, note.text
            assert parsed.facilitators == note.facilitators, note.text
            assert not parsed.unknown_criteria and not parsed.unknown_facilitators


def test_demo_command_writes_and_lists(tmp_path: Path) -> None:
    runner = CliRunner()
    ws = tmp_path / "ws"
    result = runner.invoke(main, ["-w", str(ws), "demo", "--sessions", "6", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "wrote 6 demo sessions" in result.output
    assert len(list((ws / "sessions").glob("*.json"))) == 6
    listed = runner.invoke(main, ["-w", str(ws), "sessions", "--format", "json"])
    rows = orjson.loads(listed.output)
    assert len(rows) == 6 and all(r["demo"] and not r["unreadable"] for r in rows)
    bad = runner.invoke(main, ["-w", str(ws), "demo", "--sessions", "0"])
    assert bad.exit_code == 2


def test_settled_deliveries_have_one_agreed_record(corpus: list[Path]) -> None:
    from observe.core.calibration import compare, groups_of
    from observe.store.index import Index

    workspace = Workspace(corpus[0].parent.parent)
    groups = groups_of(Index(workspace).refresh()).values()
    settled = [g for g in groups if g.agreed is not None]
    assert {len(g.members) for g in settled} == {2, 3}
    assert any(g.agreed is None and not g.sealed for g in groups)  # still to compare
    for group in settled:
        assert group.agreed is not None
        members = [files.read_record(workspace.sessions_dir / m.name) for m in group.members]
        assert all(m.session.status is Status.COMPLETED and not m.responses for m in members)
        agreed = files.read_record(workspace.sessions_dir / group.agreed.name)
        assert agreed.session.meta.agreed and agreed.session.status is not Status.IN_PROGRESS
        lines = compare(members)
        differ = sum(line.differs for line in lines)
        # Observers part on some criteria, not on all; the agreed levels lie between theirs.
        assert 0 < differ < len(lines)
        for line in lines:
            found = agreed.rating(line.facilitator.id, line.criterion.id)
            if found is not None and found.level is not None:
                given = [s.level for s in line.seen if s.level is not None]
                assert min(given) <= found.level <= max(given)
