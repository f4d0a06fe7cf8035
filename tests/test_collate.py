"""Collation: figures checked against a plain loop over the raw session files."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.collate import Pseudonyms, code_for
from observe.core.frameworks import load_all
from observe.store.workspace import Workspace
from tests.helpers_leads import FACILITATORS, OBSERVERS, populate

COUNTED = {"completed", "shared", "acknowledged"}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("collate") / "ws").ensure(seed=True)
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    populate(workspace, framework, 320, seed=7, demo_every=9)
    return workspace


def run(ws: Workspace, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), *args])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def raw_sessions(ws: Workspace) -> list[dict[str, Any]]:
    """Every session file as plain JSON: no project code involved."""
    out = []
    for path in sorted(Path(ws.root, "sessions").glob("*.json")):
        data = json.loads(path.read_text())
        session = next(iter(data["session"].values()))
        ratings = list(data.get("ratings", {}).values())
        out.append({"session": session, "ratings": ratings})
    return out


def counted_once(doc: dict[str, Any], docs: list[dict[str, Any]]) -> bool:
    """A co-observed delivery counts once: its agreed record, else its first observer's
    session (by creation), and not at all while one of its observers is observing."""
    key = doc["meta"].get("calibration")
    if not key:
        return True
    group = [d for d in docs if d["meta"].get("calibration") == key]
    agreed = [d for d in group if d["meta"].get("agreed")]
    if agreed:
        return doc is max(agreed, key=lambda d: (d["created_at"], d["id"]))
    own = [d for d in group if not d["meta"].get("agreed")]
    if any(d["status"] == "in_progress" for d in own):
        return False
    return doc is min(own, key=lambda d: (d["created_at"], d["id"]))


def expected(
    ws: Workspace, by: tuple[str, ...] = (), demo: bool = False, waves: tuple[str, ...] = ()
) -> dict[tuple[Any, ...], dict[str, Any]]:
    cells: dict[tuple[Any, ...], Counter[Any]] = defaultdict(Counter)
    sessions = raw_sessions(ws)
    for s in sessions:
        doc = s["session"]
        meta = doc["meta"]
        if doc["status"] not in COUNTED or bool(meta.get("demo")) != demo:
            continue
        if not counted_once(doc, [t["session"] for t in sessions]):
            continue
        if waves and meta["wave"] not in waves:
            continue
        names = {p["id"]: p["name"] for p in meta["facilitators"]}
        for r in s["ratings"]:
            group = []
            for key in by:
                group.append(names[r["facilitator"]] if key == "facilitator" else meta[key])
            cells[(tuple(group), doc["framework"]["id"], r["criterion"])][r["level"]] += 1
    out = {}
    for key, dist in cells.items():
        not_observed = dist.pop(None, 0)
        n = sum(dist.values())
        mean = sum(k * v for k, v in dist.items()) / n if n else None
        out[key] = {"n": n, "not_observed": not_observed, "mean": mean, "levels": dict(dist)}
    return out


def actual(rows: list[dict[str, Any]], by: tuple[str, ...] = ()) -> dict[tuple[Any, ...], Any]:
    out = {}
    for row in rows:
        key = (tuple(row["group"][k] for k in by), row["framework"], row["criterion"])
        levels = {int(k): v for k, v in row["levels"].items() if v}
        out[key] = {
            "n": row["n"],
            "not_observed": row["not_observed"],
            "mean": row["mean"],
            "levels": levels,
        }
    return out


def assert_same(got: dict[Any, Any], want: dict[Any, Any]) -> None:
    assert set(got) == set(want)
    for key, figures in want.items():
        assert got[key]["n"] == figures["n"], key
        assert got[key]["not_observed"] == figures["not_observed"], key
        assert got[key]["levels"] == figures["levels"], key
        if figures["mean"] is None:
            assert got[key]["mean"] is None
        else:
            assert got[key]["mean"] == pytest.approx(figures["mean"])


@pytest.mark.parametrize(
    "by", [(), ("wave",), ("region", "mode"), ("facilitator",), ("partner", "wave")]
)
def test_json_matches_an_independent_count(ws: Workspace, by: tuple[str, ...]) -> None:
    args = ["collate", "--format", "json", "--names"]
    for key in by:
        args += ["--by", key]
    rows = json.loads(run(ws, *args).stdout)
    assert all(set(r) >= {"group", "framework", "criterion", "n", "not_observed"} for r in rows)
    assert_same(actual(rows, by), expected(ws, by))
    # Not-observed ratings and co-delivered sessions are part of the data, not a corner case.
    assert sum(r["not_observed"] for r in rows) > 0
    assert any(len(s["session"]["meta"]["facilitators"]) > 1 for s in raw_sessions(ws))


def test_filters_and_demo_never_mix(ws: Workspace) -> None:
    rows = json.loads(run(ws, "collate", "--format", "json", "--wave", "2").stdout)
    assert_same(actual(rows), expected(ws, waves=("2",)))
    demo_rows = json.loads(run(ws, "collate", "--format", "json", "--demo").stdout)
    assert_same(actual(demo_rows), expected(ws, demo=True))
    assert all(r["demo"] for r in demo_rows) and not any(r["demo"] for r in rows)
    table = run(ws, "collate").output
    assert "demo sessions left out" in table
    # CSV and JSON keep stdout for data; what was left out goes to stderr.
    quiet = CliRunner().invoke(main, ["--workspace", str(ws.root), "collate", "--format", "json"])
    assert json.loads(quiet.stdout) is not None and "demo sessions left out" in quiet.stderr
    assert "DEMO DATA" in run(ws, "collate", "--demo").output


def test_mean_is_null_when_nothing_was_rated(ws: Workspace, tmp_path: Path) -> None:
    rows = json.loads(run(ws, "collate", "--format", "json", "--by", "facilitator").stdout)
    nothing = [r for r in rows if r["n"] == 0]
    assert all(r["mean"] is None and r["not_observed"] > 0 for r in nothing)


def test_csv_has_one_row_per_group_and_criterion(ws: Workspace) -> None:
    rows = json.loads(run(ws, "collate", "--format", "json", "--by", "wave").stdout)
    text = run(ws, "collate", "--format", "csv", "--by", "wave").stdout
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == len(rows)
    assert list(records[0])[:7] == [
        "wave",
        "framework",
        "criterion",
        "title",
        "n",
        "not_observed",
        "mean",
    ]
    for rec, row in zip(records, rows, strict=True):
        assert (rec["wave"], rec["criterion"], int(rec["n"])) == (
            row["group"]["wave"],
            row["criterion"],
            row["n"],
        )


def test_coverage_lists_who_has_not_been_observed(ws: Workspace) -> None:
    from observe.core.collate import Filters
    from observe.services.collation import gather_workspace

    c = gather_workspace(ws, Filters(), names=True)
    seen: dict[str, set[str]] = defaultdict(set)
    roster: set[str] = set()
    for s in raw_sessions(ws):
        meta = s["session"]["meta"]
        if s["session"]["status"] in COUNTED and not meta.get("demo"):
            for p in meta["facilitators"]:
                seen[meta["wave"]].add(p["name"])
                roster.add(p["name"])
    assert set(c.coverage.facilitators) == roster
    for wave in c.coverage.waves:
        assert set(c.coverage.not_observed[wave]) == roster - seen[wave]
    total = sum(sum(row.values()) for row in c.coverage.matrix.values())
    assert total == sum(sum(row.values()) for row in c.coverage.per_wave.values())


def test_no_names_without_names(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    from pypdf import PdfReader

    people = FACILITATORS + OBSERVERS
    outputs = []
    for fmt in ("table", "csv", "json"):
        outputs.append(
            run(ws, "collate", "--format", fmt, "--by", "facilitator", "--by", "observer").output
        )
    pdf = tmp_path / "c.pdf"
    run(ws, "collate", "--format", "pdf", "--by", "facilitator", "--out", str(pdf))
    again = tmp_path / "again.pdf"
    run(ws, "collate", "--format", "pdf", "--by", "facilitator", "--out", str(again))
    assert pdf.read_bytes() == again.read_bytes()  # deterministic under SOURCE_DATE_EPOCH
    outputs.append("\n".join(p.extract_text() for p in PdfReader(pdf).pages))
    for text in outputs:
        for name in people:
            for part in (name, name.split()[0], name.split()[-1]):
                assert not re.search(rf"\b{re.escape(part)}\b", text), part
    assert "F-" in outputs[0] and "O-" in outputs[0]
    assert "not a ranking" in " ".join(outputs[-1].split())
    named = run(ws, "collate", "--by", "facilitator", "--names").output
    assert any(name in named for name in FACILITATORS)


def test_codes_are_stable_and_collisions_get_longer_codes() -> None:
    secret = b"k" * 32
    assert code_for("asha-rahman", "F", secret) == code_for("asha-rahman", "F", secret)
    people = {f"p{i}": f"Person {i}" for i in range(3000)}
    labels = Pseudonyms(people, "F", secret=secret)
    codes = [labels(pid) for pid in people]
    assert len(set(codes)) == len(codes)
    # Codes of 8 characters rarely collide; shortened ones do, and then grow.
    short = Pseudonyms(people, "F", secret=secret, length=2)
    grown = [short(pid) for pid in people]
    assert len(set(grown)) == len(grown) and any(len(c) > 4 for c in grown)


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from observe.services.demo import generate

    workspace = Workspace(tmp_path_factory.mktemp("demo") / "ws").ensure(seed=True)
    framework = load_all(workspace.criteria_dir).get("good-facilitation")
    generate(workspace.sessions_dir, framework, count=300, seed=3)
    return workspace


@pytest.mark.parametrize("by", [(), ("wave", "mode"), ("facilitator",)])
def test_demo_generator_data_matches_an_independent_count(
    demo_ws: Workspace, by: tuple[str, ...]
) -> None:
    args = ["collate", "--format", "json", "--names", "--demo"]
    for key in by:
        args += ["--by", key]
    rows = json.loads(run(demo_ws, *args).stdout)
    assert_same(actual(rows, by), expected(demo_ws, by, demo=True))
    sessions = raw_sessions(demo_ws)
    assert any(len(s["session"]["meta"]["facilitators"]) > 1 for s in sessions)
    assert any(r["level"] is None for s in sessions for r in s["ratings"])
    # Without --demo, demo sessions are never counted.
    assert json.loads(run(demo_ws, "collate", "--format", "json").stdout) == []
