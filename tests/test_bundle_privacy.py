"""What a bundle carries: never the draft; with --pseudonymise, codes instead of names."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import orjson
from click.testing import CliRunner

from observe.cli.main import main
from observe.store import files
from observe.store.workspace import Workspace
from tests.helpers_leads import write_tables
from tests.test_attack_bundles import cli, session_doc, tables_for


def test_a_bundle_never_carries_the_draft(workspace: Workspace, tmp_path: Path) -> None:
    tables = tables_for(workspace, 12)
    tables[files.DRAFT_TABLE] = {"1": {"text": "half-typed private thought", "at": "x"}}
    write_tables(workspace, tables)
    out = tmp_path / "b.zip"
    cli(workspace, "bundle", "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            assert b"half-typed" not in zf.read(name)
    target = Workspace(tmp_path / "t").ensure(seed=True)
    cli(target, "import", str(out))
    for path in target.sessions_dir.glob("*.json"):
        assert b"half-typed" not in path.read_bytes()


def test_import_ignores_a_draft_that_arrives(workspace: Workspace, tmp_path: Path) -> None:
    tables = tables_for(workspace, 13)
    sent = copy.deepcopy(tables)
    sent[files.DRAFT_TABLE] = {"1": {"text": "someone else's draft", "at": "x"}}
    source = tmp_path / "in.json"
    source.write_bytes(orjson.dumps(sent))
    cli(workspace, "import", str(source))
    (path,) = workspace.sessions_dir.glob("*.json")
    assert b"someone else" not in path.read_bytes()
    files.read_record(path)


def test_a_pseudonymised_bundle_carries_codes_not_names(
    workspace: Workspace, tmp_path: Path
) -> None:
    tables = tables_for(workspace, 14)
    doc = session_doc(tables)
    names = [p["name"] for p in doc["meta"]["facilitators"]] + [doc["meta"]["observer"]["name"]]
    ids = [p["id"] for p in doc["meta"]["facilitators"]] + [doc["meta"]["observer"]["id"]]
    note = next(iter(tables["notes"].values()), None)
    if note is not None:
        note["text"] = f"{names[0]} asked a good question"
    write_tables(workspace, tables)
    out = tmp_path / "b.zip"
    result = cli(workspace, "bundle", "--pseudonymise", "--out", str(out))
    assert "pseudonym" in result.output
    with zipfile.ZipFile(out) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
        member = next(n for n in zf.namelist() if n.startswith("sessions/"))
    for name in names:
        assert name.encode() not in blob
    assert names[0].split()[0].encode() not in blob  # the first name in the note too
    for pid in ids:
        assert pid.encode() not in blob  # ids are slugs of names
    assert ids[0] not in member
    target = Workspace(tmp_path / "t").ensure(seed=True)
    cli(target, "import", str(out))
    (path,) = target.sessions_dir.glob("*.json")
    record = files.read_record(path)
    labels = [p.name for p in record.session.meta.facilitators]
    assert all(label.startswith("F-") for label in labels)
    assert record.session.meta.observer is not None
    assert record.session.meta.observer.name.startswith("O-")
    assert {r.facilitator for r in record.ratings} <= {
        p.id for p in record.session.meta.facilitators
    }
    # The workspace's own files keep their names.
    assert names[0].encode() in next(workspace.sessions_dir.glob("*.json")).read_bytes()


def test_bundle_help_documents_leaving_names_out() -> None:
    result = CliRunner().invoke(main, ["bundle", "--help"])
    assert "--pseudonymise" in result.output


def test_a_pseudonymised_bundle_replaces_names_in_conflicts_and_drops_unknown_tables(
    workspace: Workspace, tmp_path: Path
) -> None:
    tables = tables_for(workspace, 15)
    while not tables["notes"]:
        tables = tables_for(workspace, 16)
    doc = session_doc(tables)
    name = doc["meta"]["facilitators"][0]["name"]
    note = next(iter(tables["notes"].values()))
    versions = {
        h: {**note, "rev": note["rev"] + 1, "text": f"{name} {h}"} for h in ("mine", "theirs")
    }
    tables["conflicts"] = {
        "1": {"table": "notes", "id": note["id"], "rev": note["rev"] + 1, "versions": versions}
    }
    tables["from_a_later_version"] = {"1": {"who": name}}
    write_tables(workspace, tables)
    out = tmp_path / "b.zip"
    cli(workspace, "bundle", "--pseudonymise", "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        member = next(n for n in zf.namelist() if n.startswith("sessions/"))
        sent = orjson.loads(zf.read(member))
    assert name.encode() not in orjson.dumps(sent)
    assert "from_a_later_version" not in sent
    (record,) = sent["conflicts"].values()
    texts = sorted(v["text"] for v in record["versions"].values())
    assert texts[0].startswith("F-") and texts[0].endswith(" mine")


def test_a_pseudonymised_bundle_of_summaries_and_responses_names_nobody(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A schema 1 file's summaries, responses and agreed actions (migrated): their ids are
    made from the facilitator's, so they are made again from the code, and still check."""
    import shutil
    import uuid

    from observe.core.models import Action, Response

    fixture = Path(__file__).parent / "data" / "schema1" / "codelivered-shared-with-responses.json"
    shutil.copy(fixture, workspace.sessions_dir / fixture.name)
    out = tmp_path / "b.zip"
    cli(workspace, "bundle", "--pseudonymise", "--out", str(out))
    with zipfile.ZipFile(out) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    sid = "a8d4b4f5-c79f-469a-8e8a-4ab31b3cb719"
    for who in ("asha-rahman", "tom-price"):
        # Neither the ids nor any id made from them could say who it was.
        assert who.encode() not in blob
        assert Response.id_for(sid, who).encode() not in blob
        assert Action.id_for(Response.id_for(sid, who), 0).encode() not in blob
    for word in (b"Asha", b"Rahman", b"Tom Price"):
        assert word not in blob
    target = Workspace(tmp_path / "t").ensure(seed=True)
    cli(target, "import", str(out))
    (path,) = target.sessions_dir.glob("*.json")
    record = files.read_record(path)  # the made-again ids check as a facilitator's own
    codes = [p.id for p in record.session.meta.facilitators]
    assert {s.facilitator for s in record.summaries} == set(codes)
    assert {r.facilitator for r in record.responses} == set(codes)
    acknowledged = [r for r in record.responses if r.acknowledged]
    assert len(acknowledged) == 1 and len(acknowledged[0].actions) == 2
    assert all(uuid.UUID(a.id) for a in acknowledged[0].actions)
