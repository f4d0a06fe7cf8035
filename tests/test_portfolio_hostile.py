"""Hostile names, notes, summaries and reflections through the portfolio's text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from observe.core.models import Action, Framework, Note, NoteKind, Person, Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta
from tests.helpers_team import run

ESC = "\x1b[2J\x1b]0;owned\x07"
BIDI = "\u202egnp.exe"
HTML = "<script>alert(1)</script><img src='file:///etc/passwd'>"
NAME = f"Ev{ESC}e {BIDI} O'Hara"


@pytest.fixture
def hostile(workspace: Workspace, framework: Framework) -> Workspace:
    meta = make_meta("Asha Rahman")
    eve = Person(id="eve", name=NAME)
    meta = meta.model_copy(
        update={
            "facilitators": [eve, Person.named("Tom Price")],
            "observer": Person(id="mal", name=f"Mal{ESC}lory"),
            "title": f"Title {HTML}",
            "partner": f'=HYPERLINK("x") {BIDI}',
        }
    )
    for day in (4, 11):
        session = Repository(workspace).create(
            meta.model_copy(update={"date": meta.date.replace(day=day)}), framework
        )
        for kind in (NoteKind.STRENGTH, NoteKind.DEVELOPMENT):
            session.add_note(
                Note(
                    at=session.session.created_at,
                    text=f"{HTML} line one\nFAKE: Portfolio of someone else {ESC}{BIDI}",
                    kind=kind,
                    criteria=["R1"],
                    facilitators=["eve"],
                )
            )
        session.rate("eve", "R1", framework.scale.values[-1])
        session.put_summary("eve", strengths=f"{HTML}{ESC}", development=BIDI, summary="ok")
        response = session.record.response("eve").model_copy(
            update={
                "reflection": f"My {HTML}\n\x1b[31mred{BIDI}",
                "actions": [Action(text=f"Try {ESC}{HTML}", owner=NAME)],
            }
        )
        session.put_response("eve", response)
        session.set_status(Status.COMPLETED)
        session.close()
    return workspace


def _clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_text_shows_hostile_text_inert(hostile: Workspace) -> None:
    out = run(hostile.root, "portfolio", "eve", "--names").output
    _clean(out)
    assert "<script>alert(1)</script>" in out  # as typed, never interpreted
    assert not any(line.startswith("FAKE") for line in out.splitlines())
    coded = run(hostile.root, "portfolio", "eve").output
    _clean(coded)
    assert "Hara" not in coded and "Mal" not in coded


def test_json_escapes_controls_and_keeps_the_words(hostile: Workspace) -> None:
    out = run(hostile.root, "portfolio", "eve", "--names", "--format", "json").output
    _clean(out)
    data = json.loads(out)
    assert data["facilitator"]["label"] == NAME
    assert data["reflections"][0]["reflection"].startswith(f"My {HTML}\n\x1b[31m")
    assert data["actions"][0]["text"] == f"Try {ESC}{HTML}"


def test_a_name_with_controls_is_found_by_its_id(hostile: Workspace, tmp_path: Path) -> None:
    result = run(hostile.root, "portfolio", "Ev", "--names")
    assert result.output.startswith("Portfolio of Ev\\x1b")
