"""Helpers for co-observation tests: a delivery observed by two (or three) observers."""

from __future__ import annotations

from pathlib import Path

from observe.core.models import Framework, Note, NoteKind, Person, Status
from observe.services import calibration as co
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import FakeClock, make_meta

CALIBRATION = "wave1-asha-tuesday"


def observed(
    repo: Repository,
    framework: Framework,
    observer: str,
    levels: dict[str, int | None],
    *,
    calibration: str = CALIBRATION,
    finish: bool = True,
    notes: dict[str, str] | None = None,
) -> Path:
    """One observer's session of the shared delivery (Asha Rahman alone), rated ``levels``
    (criterion -> level) with one note per criterion in ``notes``."""
    meta = make_meta("Asha Rahman", calibration=calibration).model_copy(
        update={"observer": Person.named(observer)}
    )
    clock = repo.clock
    with repo.create(meta, framework) as held:
        for criterion, text in (notes or {}).items():
            note = Note(at=clock(), text=text, criteria=[criterion], kind=NoteKind.OBSERVATION)
            held.add_note(note)
        for criterion, level in levels.items():
            held.rate("asha-rahman", criterion, level)
        held.put_summary("asha-rahman", summary=f"{observer} thought it went well")
        if finish:
            held.set_status(Status.COMPLETED)
        if isinstance(clock, FakeClock):
            clock.advance(60)
        return held.path


def finish(workspace: Workspace, path: Path) -> None:
    with Repository(workspace).open(path) as held:
        held.set_status(Status.COMPLETED)


def group_files(workspace: Workspace, calibration: str = CALIBRATION) -> list[str]:
    group = co.group_of(workspace, calibration)
    return [m.name for m in group.members]
