"""Schema 1 -> 2, from files the release before schema 2 made (tests/data/schema1/).

Contents are the same before and after; the documents made are the same on every machine;
a file is rewritten once (when next written), and never again for nothing.
"""

from __future__ import annotations

import copy
import shutil
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.models import SCHEMA_VERSION, FacilitatorSummary, Response, Status
from observe.services.session_owner import SessionOwner
from observe.store import codec, merge
from observe.store.importer import import_paths
from observe.store.migrations import migrate
from observe.store.repository import Repository
from observe.store.workspace import Workspace

DATA = Path(__file__).parent / "data" / "schema1"
FIXTURES = sorted(p.name for p in DATA.glob("*.json"))
SUMMARY_FIELDS = ("strengths", "development", "summary")
RESPONSE_FIELDS = ("reflection", "acknowledged", "disagreement")


def raw(name: str) -> bytes:
    return (DATA / name).read_bytes()


def old_tables(name: str) -> dict[str, Any]:
    return orjson.loads(raw(name))


def in_workspace(tmp_path: Path, name: str, ws_name: str = "ws") -> tuple[Workspace, Path]:
    ws = Workspace(tmp_path / ws_name).ensure(seed=True)
    path = ws.sessions_dir / name
    shutil.copy(DATA / name, path)
    return ws, path


def test_the_fixtures_are_schema_1_and_cover_what_they_claim() -> None:
    assert len(FIXTURES) >= 5
    for name in FIXTURES:
        assert codec.session_doc(old_tables(name))["schema"] == 1, name
    conflicted = old_tables("conflicts-and-tombstones.json")
    assert {r["table"] for r in conflicted["conflicts"].values()} == {"session", "notes"}
    assert any(n["deleted"] for n in conflicted["notes"].values())
    assert any(r.get("deleted") for r in conflicted["ratings"].values())
    shared = codec.session_doc(old_tables("codelivered-shared-with-responses.json"))
    assert set(shared["summary"]) == set(shared["response"]) == {"asha-rahman", "tom-price"}


# (the file with a conflict on its session document has a test of its own, below)
@pytest.mark.parametrize("name", [n for n in FIXTURES if not n.startswith("conflicts")])
def test_migration_keeps_every_document_and_word(name: str) -> None:
    before = old_tables(name)
    record, _, tables = codec.decode(raw(name), name)
    session = codec.session_doc(tables)
    assert session["schema"] == SCHEMA_VERSION == 2
    assert "summary" not in session and "response" not in session
    old = codec.session_doc(before)
    # The session document keeps everything else, key for key.
    assert {k: v for k, v in old.items() if k not in ("summary", "response", "schema")} == {
        k: v for k, v in session.items() if k != "schema"
    }
    assert tables["notes"] == before["notes"] and tables["ratings"] == before["ratings"]
    # Each summary and response, word for word, as its own document at the session's rev.
    for old_key, docs in (("summary", record.summaries), ("response", record.responses)):
        assert {d.facilitator for d in docs} == set(old.get(old_key, {}))
        for doc in docs:
            was = old[old_key][doc.facilitator]
            fields = SUMMARY_FIELDS if old_key == "summary" else RESPONSE_FIELDS
            assert {f: getattr(doc, f) for f in fields} == {
                f: was.get(f, False if f == "acknowledged" else "") for f in fields
            }
            assert doc.rev == old["rev"]
            model = FacilitatorSummary if old_key == "summary" else Response
            assert doc.id == model.id_for(old["id"], doc.facilitator)
    for response in record.responses:
        was = old["response"][response.facilitator]
        assert [(a.text, a.owner, a.by and a.by.isoformat()) for a in response.actions] == [
            (a["text"], a.get("owner", ""), a.get("by")) for a in was.get("actions", [])
        ]
        assert len({a.id for a in response.actions}) == len(response.actions)
    assert record.status is Status(old["status"])


@pytest.mark.parametrize("name", FIXTURES)
def test_migration_is_the_same_on_every_machine_and_idempotent(name: str) -> None:
    once = codec.parse_raw(raw(name), name)
    again = codec.parse_raw(raw(name), name)
    assert once == again  # derived ids and revs: two machines make the same documents
    assert migrate(copy.deepcopy(once)) == once  # schema 2 is left as it is
    written = codec.encode(once)
    assert codec.parse_raw(written, name) == once
    assert codec.encode(codec.parse_raw(written, name)) == written


def test_a_migrated_conflict_is_kept_on_the_documents_that_differ() -> None:
    name = "conflicts-and-tombstones.json"
    file = codec.decode_file(raw(name), name)
    record = file.record
    open_conflicts = {(c.table, c.id) for c in merge.conflicts_in(file)}
    asha = "asha-rahman"
    sid = record.session.id
    # Both copies held Asha's summary and response at rev 14: which one changed cannot be told,
    # so both versions wait for a person. Tom's, the same in both, are in conflict no longer.
    assert ("summaries", FacilitatorSummary.id_for(sid, asha)) in open_conflicts
    assert ("responses", Response.id_for(sid, asha)) in open_conflicts
    assert ("summaries", FacilitatorSummary.id_for(sid, "tom-price")) not in open_conflicts
    assert ("responses", Response.id_for(sid, "tom-price")) not in open_conflicts
    assert any(t == "notes" for t, _ in open_conflicts)
    versions = {
        c.table: [d for _, d in c.versions] for c in merge.conflicts_in(file) if c.table != "notes"
    }
    summaries = {v["development"] for v in versions["summaries"]}
    assert "Hold the small-group timings; bring in quieter voices." in summaries
    assert any(v["acknowledged"] for v in versions["responses"])
    # Every word of each schema 1 version is in some schema 2 version.
    old = old_tables(name)
    record_versions = next(r for r in old["conflicts"].values() if r["table"] == "session")
    for version in record_versions["versions"].values():
        assert version["summary"][asha]["development"] in summaries
        reflections = {v["reflection"] for v in versions["responses"]}
        assert version["response"][asha].get("reflection", "") in reflections


def test_opening_a_schema_1_file_writes_it_once_as_schema_2(tmp_path: Path) -> None:
    name = "codelivered-shared-with-responses.json"
    ws, path = in_workspace(tmp_path, name)
    repo = Repository(ws)
    before = repo.load(path)
    owner = SessionOwner.open(repo, path)
    assert owner.close()
    written = path.read_bytes()
    assert codec.session_doc(orjson.loads(written))["schema"] == 2
    assert set(orjson.loads(written)) >= {"summaries", "responses"}
    after = repo.load(path)
    assert after == before
    # A second open rewrites nothing.
    stamp = path.stat().st_mtime_ns
    time.sleep(0.01)
    owner = SessionOwner.open(repo, path)
    assert owner.close()
    assert path.read_bytes() == written and path.stat().st_mtime_ns == stamp


def test_reading_never_rewrites_and_an_unreadable_old_file_is_left_alone(tmp_path: Path) -> None:
    name = "demo-in-progress.json"
    ws, path = in_workspace(tmp_path, name)
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "sessions"])
    assert result.exit_code == 0
    assert path.read_bytes() == raw(name)  # listing reads, migrating only in memory
    broken = ws.sessions_dir / "2026-03-05_x_0badf11e.json"
    data = old_tables("codelivered-shared-with-responses.json")
    data["session"]["1"]["summary"]["asha-rahman"]["strengths"] = 7  # schema 1 refused this too
    data["session"]["1"]["id"] = "0badf11e-0000-4000-8000-000000000000"
    broken.write_bytes(orjson.dumps(data))
    before = broken.read_bytes()
    with pytest.raises(Exception, match="summaries"):
        Repository(ws).open(broken)
    assert broken.read_bytes() == before


def test_an_entry_for_someone_not_facilitating_stays_where_it_was() -> None:
    data = old_tables("codelivered-shared-with-responses.json")
    doc = codec.session_doc(data)
    doc["summary"]["someone-else"] = {"strengths": "kept"}
    record, _, tables = codec.decode(orjson.dumps(data))
    assert codec.session_doc(tables)["summary"] == {"someone-else": {"strengths": "kept"}}
    assert {s.facilitator for s in record.summaries} == {"asha-rahman", "tom-price"}


def test_a_schema_1_bundle_imports_as_schema_2_and_again_changes_nothing(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "lead").ensure(seed=True)
    bundle = DATA / "bundle-codelivered.zip"
    report = import_paths(ws, [bundle])
    assert report.summary().startswith("1 added") and not report.refused
    (path,) = ws.sessions_dir.glob("*.json")
    tables = orjson.loads(path.read_bytes())
    assert codec.session_doc(tables)["schema"] == 2
    record = Repository(ws).load(path)
    old = codec.session_doc(old_tables("conflicts-and-tombstones.json"))
    assert {s.facilitator for s in record.summaries} == set(old["summary"])
    written, stamp = path.read_bytes(), path.stat().st_mtime_ns
    again = import_paths(ws, [bundle])
    assert again.summary().startswith("0 added, 0 updated, 1 unchanged")
    assert path.read_bytes() == written and path.stat().st_mtime_ns == stamp


def test_a_schema_1_copy_imported_over_a_schema_2_session_keeps_the_newer_work(
    tmp_path: Path,
) -> None:
    name = "codelivered-shared-with-responses.json"
    ws, path = in_workspace(tmp_path, name, "observer")
    repo = Repository(ws)
    with repo.open(path) as session:  # migrated and changed: the summary edited since
        session.put_summary("asha-rahman", summary="Rewritten after the call.")
    old_copy = tmp_path / name
    shutil.copy(DATA / name, old_copy)
    report = import_paths(ws, [old_copy])
    assert "1 unchanged" in report.summary(), report.summary()
    record = repo.load(path)
    assert record.summary("asha-rahman").summary == "Rewritten after the call."
    assert record.response("tom-price").acknowledged  # from the file as it was


def test_the_listing_counts_the_acknowledgements_in_the_responses(tmp_path: Path) -> None:
    from observe.store.index import INDEX_VERSION

    assert INDEX_VERSION >= 5  # rows built before schema 2 are built again
    ws, path = in_workspace(tmp_path, "codelivered-shared-with-responses.json")
    tables = codec.parse_raw(path.read_bytes())
    asha = next(d for d in tables["responses"].values() if d["facilitator"] == "asha-rahman")
    asha.update(acknowledged=True, acknowledged_at="2026-03-11T10:00:00+00:00", rev=13)
    path.write_bytes(codec.encode(tables))  # as a merge of Asha's answer leaves it
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "sessions", "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = orjson.loads(result.output)
    assert row["status"] == "acknowledged"  # Tom had already: now everyone has
    assert codec.session_doc(orjson.loads(path.read_bytes()))["status"] == "shared"
