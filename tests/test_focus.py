"""A facilitator's focus for their next observation: the model, its file, `observe focus`, and
`observe new` taking it up; with the attacks (hostile text, damaged and planted files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result

from observe.cli import main as cli
from observe.core.errors import UsageError
from observe.core.focus import MAX_TEXT, SelfAssessment, check_criteria
from observe.core.models import Framework, Person
from observe.services import focus
from observe.store import focus_local
from observe.store.workspace import Workspace

HOSTILE = "[bold red]Big[/] <b>x</b> =SUM(A1) \x1b[31m\u202egnp.exe\x07"


def run(ws: Workspace, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli.main, ["--workspace", str(ws.root), *args])
    out = result.output + (result.stderr or "")
    assert result.exit_code == code, out
    assert "Traceback" not in out
    return result


def stored(ws: Workspace, facilitator_id: str) -> dict:
    return orjson.loads((ws.root / "focus" / f"{facilitator_id}.json").read_bytes())


# ---------------------------------------------------------------- core


def test_criteria_are_checked_against_the_framework_naming_the_near_ones(
    framework: Framework,
) -> None:
    assert check_criteria(framework, ["r1", "L2"]) == ["R1", "L2"]
    with pytest.raises(UsageError, match=r"'R9' is not in good-facilitation; did you mean R"):
        check_criteria(framework, ["R9"])
    with pytest.raises(UsageError, match="named twice"):
        check_criteria(framework, ["R1", "r1"])


def test_a_self_assessment_refuses_bad_ids_and_long_text() -> None:
    with pytest.raises(ValueError):
        SelfAssessment(facilitator="../etc", hopes=[])
    with pytest.raises(ValueError):
        SelfAssessment(facilitator="asha", hopes=[{"criterion": "R1; rm", "text": ""}])
    with pytest.raises(ValueError):
        SelfAssessment(facilitator="asha", overall="x" * (MAX_TEXT + 1))


# ---------------------------------------------------------------- observe focus


def test_set_show_clear_keeps_one_document_0600(workspace: Workspace) -> None:
    out = run(
        workspace,
        "focus", "set", "--for", "Asha Rahman",
        "--criterion", "r1", "--hope", "Holding the room when it goes quiet",
        "--criterion", "L2",
        "--criterion", "P1", "--hope", "Bringing their cases in",
        "--overall", "My first time online",
    ).output  # fmt: skip
    assert "Asha Rahman's next observation: R1, L2, P1" in out
    doc = stored(workspace, "asha-rahman")["focus"]
    assert [(h["criterion"], h["text"]) for h in doc["hopes"]] == [
        ("R1", "Holding the room when it goes quiet"),
        ("L2", ""),
        ("P1", "Bringing their cases in"),
    ]
    assert doc["overall"] == "My first time online" and doc["name"] == "Asha Rahman"
    path = workspace.root / "focus" / "asha-rahman.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (workspace.root / "focus").stat().st_mode & 0o777 == 0o700
    shown = run(workspace, "focus", "show", "Asha Rahman").output
    assert "Holding the room" in shown and "(nothing written)" in shown
    as_json = json.loads(run(workspace, "focus", "show", "Asha Rahman", "--format", "json").output)
    assert as_json["id"] == doc["id"]
    assert "Focus cleared." in run(workspace, "focus", "clear", "--for", "Asha Rahman").output
    assert not path.exists()
    assert "no focus" in run(workspace, "focus", "clear", "--for", "Asha Rahman").output
    assert "No focus written yet" in run(workspace, "focus", "show", "Asha Rahman").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--criterion", "R9"], "'R9' is not in good-facilitation; did you mean"),
        (["--hope", "x", "--criterion", "R1"], "each --hope follows the --criterion"),
        (["--criterion", "R1", "--hope", "a", "--hope", "b"], "each --hope follows"),
        ([], "choose at least one criterion"),
        (["--criterion", "R1", "--hope", "x" * 10_000], "keep it under 2000"),
        (["--criterion", "R1", "--framework", "nope"], "nope"),
        (["--criterion", "R1", "--to", "Tom"], "--to is for your own focus in a team"),
    ],
)
def test_bad_input_is_one_line_and_keeps_nothing(
    workspace: Workspace, args: list[str], message: str
) -> None:
    result = run(workspace, "focus", "set", "--for", "Asha", *args, code=2)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (workspace.root / "focus" / "asha.json").exists()


def test_outside_a_team_the_name_is_asked_for(workspace: Workspace) -> None:
    result = run(workspace, "focus", "set", "--criterion", "R1", code=2)
    assert "--for NAME" in result.stderr


def test_hostile_text_is_kept_as_typed_and_shown_escaped(workspace: Workspace) -> None:
    run(workspace, "focus", "set", "--for", HOSTILE, "--criterion", "R1", "--hope", HOSTILE)
    [path] = (workspace.root / "focus").glob("*.json")
    doc = orjson.loads(path.read_bytes())["focus"]
    assert doc["hopes"][0]["text"] == HOSTILE.strip()
    shown = run(workspace, "focus", "show", HOSTILE).output
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "\\x1b[31m" in shown and "[bold red]Big[/]" in shown
    as_json = run(workspace, "focus", "show", HOSTILE, "--format", "json").output
    assert "\x1b" not in as_json and "\u202e" not in as_json
    assert json.loads(as_json)["hopes"][0]["text"] == HOSTILE.strip()


# ---------------------------------------------------------------- the file as untrusted input


def _write(workspace: Workspace, name: str, data: bytes) -> Path:
    folder = workspace.root / "focus"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json {", "not json"),
        (b"[]", "not a focus document"),
        (b'{"format": 1, "focus": []}', "holds no focus"),
        (b'{"format": 1, "focus": {"facilitator": "asha", "hopes": "R1"}}', "hopes"),
        (b'{"format": 1, "focus": {"facilitator": 7}}', "facilitator"),
        (b'{"format": 1, "focus": {"facilitator": "asha", "overall": {"a": 1}}}', "overall"),
        (b'{"format": 2, "focus": {"facilitator": "asha"}}', "known format"),
        (b" " * (focus_local.MAX_FILE + 1), "too large"),
    ],
)
def test_a_damaged_file_is_a_one_line_refusal_and_is_never_overwritten(
    workspace: Workspace, data: bytes, reason: str
) -> None:
    path = _write(workspace, "asha.json", data)
    result = run(workspace, "focus", "show", "Asha", code=2)
    assert reason in result.stderr.lower() and len(result.stderr.strip().splitlines()) == 1
    assert focus.waiting_for(workspace, Person.named("Asha")) is None
    assert path.read_bytes() == data


def test_a_symlink_is_not_followed(workspace: Workspace, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.json"
    a = SelfAssessment(facilitator="asha", name="Asha", hopes=[{"criterion": "R1"}])
    real.write_bytes(focus_local.encode(a))
    (workspace.root / "focus").mkdir()
    os.symlink(real, workspace.root / "focus" / "asha.json")
    result = run(workspace, "focus", "show", "Asha", code=2)
    assert "asha.json" in result.stderr
    assert focus.waiting_for(workspace, Person.named("Asha")) is None


def test_a_file_planted_under_another_facilitators_name_is_not_theirs(
    workspace: Workspace,
) -> None:
    tom = SelfAssessment(facilitator="tom", name="Tom", hopes=[{"criterion": "R1"}])
    _write(workspace, "asha.json", focus_local.encode(tom))
    assert focus.waiting_for(workspace, Person.named("Asha")) is None
    [(_, reason)] = focus_local.all_in(workspace.root)
    assert "its facilitator is tom, not asha" in str(reason)


# ---------------------------------------------------------------- observe new takes it up


def _new(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, *names: str) -> tuple[dict, str]:
    monkeypatch.setattr(cli, "run_app", lambda ws, open_session, **_: open_session.close())
    before = set(workspace.sessions_dir.glob("*.json"))
    args = [a for n in names for a in ("--facilitator", n)]
    result = run(workspace, "new", *args, "--focus", "F1")
    [path] = set(workspace.sessions_dir.glob("*.json")) - before
    return json.loads(path.read_text(encoding="utf-8"))["session"]["1"]["meta"], result.output


def test_new_takes_up_the_focus_waiting_and_marks_it_used(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(
        workspace, "focus", "set", "--for", "Asha Rahman",
        "--criterion", "R1", "--hope", HOSTILE, "--criterion", "P2", "--overall", "online",
    )  # fmt: skip
    meta, out = _new(workspace, monkeypatch, "Asha Rahman", "Tom Price")
    assert out.count("\n") == 1 and "Taken up Asha Rahman's own focus: R1, P2" in out
    assert "\x1b" not in out
    [sa] = meta["self_assessments"]
    assert sa["facilitator"] == "asha-rahman" and sa["hopes"][0]["text"] == HOSTILE.strip()
    assert sa["overall"] == "online"
    assert meta["focus"] == ["F1", "R1", "P2"]
    shown = run(workspace, "focus", "show", "Asha Rahman").output
    assert "taken up by a session already" in shown
    again, out = _new(workspace, monkeypatch, "Asha Rahman")
    assert again["self_assessments"] == [] and again["focus"] == ["F1"] and not out


# ---------------------------------------------------------------- the demo


def test_the_demo_carries_self_assessments_and_one_focus_waiting(
    workspace: Workspace, framework: Framework
) -> None:
    from observe.services.demo import make_cast, make_session
    from observe.services.demo_focus import self_assess

    cast = make_cast(1, framework)
    records = [make_session(i, 1, framework, cast) for i in range(120)]
    self_assess(records, 1)
    carrying = [r for r in records if r.session.meta.self_assessments]
    assert 0.35 < len(carrying) / len(records) < 0.65
    for record in carrying:
        meta = record.session.meta
        ids = {p.id for p in meta.facilitators}
        for sa in meta.self_assessments:
            assert sa.facilitator in ids and sa.criteria == meta.focus
            assert all(h.text for h in sa.hopes) and sa.written < meta.date
    assert any(len(r.session.meta.self_assessments) == 2 for r in carrying)

    out = run(workspace, "demo", "--sessions", "30").output
    assert "focus for their next observation" in out
    [(_, waiting)] = focus_local.all_in(workspace.root)
    assert isinstance(waiting, SelfAssessment) and len(waiting.hopes) == 2
    person = Person(id=waiting.facilitator, name=waiting.name)
    assert focus.waiting_for(workspace, person) == waiting
