"""Sharing a finished observation with its facilitators: completed -> shared, on purpose only.

Sharing is the observer's deliberate step (a confirmed key on home, ``observe share``):
reading the feedback, exporting a PDF or previewing the review never share. Once shared the
observation can no longer be reopened in wrap-up.
"""

from __future__ import annotations

from pathlib import Path

from observe.core.errors import UsageError
from observe.core.models import Status
from observe.store.repository import Repository
from observe.store.workspace import Workspace

MEANING = (
    "the feedback becomes the facilitators' to read and respond to, and the"
    " observation can no longer be reopened in wrap-up"
)


def share(workspace: Workspace, path: Path) -> bool:
    """Move a completed session to shared. False when it was shared already; an observation
    still in progress is refused (UsageError); one open elsewhere raises SessionLocked."""
    repo = Repository(workspace)
    record = repo.load(path)
    if record.session.meta.calibration:
        from observe.services.calibration import feedback_refusal

        if refused := feedback_refusal(workspace, record, path, sharing=True):
            raise UsageError(refused)
    with repo.open(path) as session:
        status = session.session.status
        if status is Status.IN_PROGRESS:
            raise UsageError(
                f"session {session.session.short_id} is still in progress:"
                " finish it in wrap-up before sharing"
            )
        if status is not Status.COMPLETED:
            return False
        session.set_status(Status.SHARED)
    return True
