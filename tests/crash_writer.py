"""Child processes of the crash test: open a session and append notes until killed.

This script is a small fork server, so that each writer starts in milliseconds: it imports
the storage core once, then for every session path read from stdin forks a writer. The writer
prints ``ready <pid>``, then each note's id the moment ``add_note`` returns, so the parent
knows which saves had completed when it sent SIGKILL. When the writer is dead the server
prints ``dead <status>``: everything the writer printed comes before that line.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from observe.core.models import Note
from observe.store.repository import Repository
from observe.store.workspace import Workspace


def write_until_killed(workspace: Path, session_file: Path) -> None:
    repo = Repository(Workspace(workspace))
    session = repo.open(session_file)  # refused if the killed holder's lock survived
    facilitator = session.session.meta.facilitators[0].id
    os.write(1, f"ready {os.getpid()}\n".encode())
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


def serve(workspace: Path) -> None:
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                write_until_killed(workspace, Path(line.strip()))
            except BaseException as exc:
                os.write(1, f"failed {exc}\n".encode())
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        os.write(1, f"dead {status}\n".encode())


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
