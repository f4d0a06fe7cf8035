"""Hostile schema 2 files: summaries and responses that lie about whose they are.

Each is refused with a one-line reason, on import and in the listing, and nothing is lost: a
local copy stays as it was, byte for byte.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.errors import SessionUnreadable
from observe.core.models import FacilitatorSummary, Response
from observe.store import codec
from observe.store.workspace import Workspace

DATA = Path(__file__).parent / "data" / "schema1"
NAME = "codelivered-shared-with-responses.json"

Tables = dict[str, Any]


def good() -> Tables:
    """A schema 2 file: the co-delivered fixture, migrated."""
    return codec.parse_raw((DATA / NAME).read_bytes(), NAME)


def _first(tables: Tables, table: str) -> dict[str, Any]:
    return next(iter(tables[table].values()))


def bad_summary_id(t: Tables) -> None:
    _first(t, "summaries")["id"] = "../../etc/passwd"


def bad_facilitator_id(t: Tables) -> None:
    _first(t, "responses")["facilitator"] = "Tom Price"


def stranger(t: Tables) -> None:
    doc = _first(t, "responses")
    sid = codec.session_doc(t)["id"]
    doc.update(facilitator="mallory", id=Response.id_for(sid, "mallory"))


def duplicate_response(t: Tables) -> None:
    doc = copy.deepcopy(_first(t, "responses"))
    key = list(t["responses"])[1]  # in place of the other facilitator's
    t["responses"][key] = {**doc, "rev": doc["rev"] + 5, "reflection": "a second one"}


def borrowed_id(t: Tables) -> None:
    # Asha's response under an id that is not the one made for her: a second document for
    # her could then come in beside it from another copy.
    doc = _first(t, "responses")
    doc["id"] = "00000000-0000-4000-8000-000000000001"


def someone_elses_summary_id(t: Tables) -> None:
    docs = list(t["summaries"].values())
    docs[0]["id"] = FacilitatorSummary.id_for(codec.session_doc(t)["id"], docs[1]["facilitator"])


def huge_table(t: Tables) -> None:
    doc = _first(t, "responses")
    t["responses"] = {str(i): doc for i in range(20_000)}


def many_actions(t: Tables) -> None:
    doc = next(d for d in t["responses"].values() if d["actions"])
    doc["actions"] = [{"id": f"a{i}", "text": "x"} for i in range(5_000)]


def twin_actions(t: Tables) -> None:
    doc = next(d for d in t["responses"].values() if d["actions"])
    doc["actions"] = [doc["actions"][0], doc["actions"][0]]


def not_a_table(t: Tables) -> None:
    t["summaries"] = ["a list"]


def acknowledged_as_text(t: Tables) -> None:
    _first(t, "responses")["acknowledged"] = "yes please"


HOSTILE: dict[str, tuple[Callable[[Tables], None], str]] = {
    "bad summary id": (bad_summary_id, "summaries: id"),
    "bad facilitator id": (bad_facilitator_id, "responses: facilitator"),
    "a stranger's response": (stranger, "'mallory' is not a facilitator of this session"),
    "two responses for one facilitator": (duplicate_response, "two documents for"),
    "an id not made for its facilitator": (borrowed_id, "is not this session's id for"),
    "another's id": (someone_elses_summary_id, "is not this session's id for"),
    "a huge table": (huge_table, "20000 documents for 2 facilitator(s)"),
    "five thousand actions": (many_actions, "responses: actions"),
    "two actions with one id": (twin_actions, "same id"),
    "a table that is a list": (not_a_table, "the 'summaries' table is not an object"),
    "acknowledged as text": (acknowledged_as_text, "responses: acknowledged"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_schema_2_file_is_refused_in_one_line(case: str) -> None:
    spoil, reason = HOSTILE[case]
    tables = good()
    codec.record_from_tables(tables)  # valid before it is spoiled
    spoil(tables)
    with pytest.raises(SessionUnreadable) as caught:
        codec.decode(orjson.dumps(tables), "x.json")
    message = str(caught.value)
    assert reason in message and "\n" not in message and len(message) < 300, message


def _cli(ws: Workspace, *args: str) -> Any:
    return CliRunner().invoke(main, ["--workspace", str(ws.root), *args])


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_importing_a_hostile_copy_changes_nothing_here(tmp_path: Path, case: str) -> None:
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    local = ws.sessions_dir / NAME
    shutil.copy(DATA / NAME, local)
    before = local.read_bytes()
    spoil, reason = HOSTILE[case]
    tables = good()
    spoil(tables)
    incoming = tmp_path / "incoming.json"
    incoming.write_bytes(orjson.dumps(tables))
    result = _cli(ws, "import", str(incoming))
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and reason in lines[0], result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert local.read_bytes() == before


def test_a_hostile_file_in_the_folder_is_listed_unreadable_and_never_rewritten(
    tmp_path: Path,
) -> None:
    ws = Workspace(tmp_path / "ws").ensure(seed=True)
    tables = good()
    stranger(tables)
    path = ws.sessions_dir / NAME
    path.write_bytes(orjson.dumps(tables))
    before = path.read_bytes()
    result = _cli(ws, "sessions", "--format", "json")
    assert result.exit_code == 0
    (row,) = orjson.loads(result.output)
    assert "not a facilitator of this session" in str(row)
    result = _cli(ws, "open", codec.session_doc(tables)["id"][:8])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert path.read_bytes() == before


def test_an_action_written_without_an_id_gets_the_same_one_at_every_read() -> None:
    tables = good()
    doc = next(d for d in tables["responses"].values() if d["actions"])
    for action in doc["actions"]:
        del action["id"]
    raw = orjson.dumps(tables)
    once, again = (codec.decode(raw)[0] for _ in range(2))
    assert once.responses == again.responses
    ids = [a.id for r in once.responses for a in r.actions]
    assert len(set(ids)) == len(ids) == 2
