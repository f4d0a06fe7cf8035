"""Child process of the crash test: open a session and append notes until killed.

Each note's id is written to stdout the moment ``add_note`` returns, so the parent knows
which saves had completed when it sent SIGKILL. Imports only the storage core to start fast.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from observe.models import Note
from observe.store.repository import Repository
from observe.workspace import Workspace


def main(workspace: str, session_file: str) -> None:
    repo = Repository(Workspace(Path(workspace)))
    session = repo.open(Path(session_file))  # refused if the killed holder's lock survived
    facilitator = session.session.meta.facilitators[0].id
    os.write(1, b"ready\n")
    n = len(session.record.notes)
    while True:
        n += 1
        note = session.add_note(
            Note(
                at=datetime.now(UTC),
                elapsed_s=float(n),
                text=f"note {n}: Sprachförderung, مرحبا, 👋 " + "x" * (n % 200),
                criteria=["R1"] if n % 2 else [],
            )
        )
        os.write(1, note.id.encode() + b"\n")
        if n % 7 == 0:
            session.rate(facilitator, "R1", 1 + n % 4, evidence=[note.id])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
