"""Where home leads from a session row: the screen to show, or why there is none.

In progress opens the live notes, completed the wrap-up, shared or acknowledged the
facilitator's review. Screens are imported when asked for, off the start-up path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from textual.screen import Screen

from observe.core.summary import SessionSummary

if TYPE_CHECKING:
    from observe.app.application import ObserveApp


@dataclass
class Refused(Exception):
    """Nothing to open: the message to show instead."""

    message: str
    title: str = ""
    severity: Literal["information", "warning", "error"] = "warning"
    timeout: float = 5


def session_file(app: ObserveApp, row: SessionSummary) -> Path:
    return app.workspace.sessions_dir / row.file


def readable(row: SessionSummary | None) -> SessionSummary:
    if row is None:
        raise Refused("No session is highlighted.")
    if row.unreadable:
        raise Refused(
            f"{row.file} cannot be opened: {row.reason}",
            title="Unreadable session",
            severity="error",
            timeout=8,
        )
    return row


def open_screen(app: ObserveApp, row: SessionSummary | None) -> Screen[Any]:
    """The screen the session in ``row`` opens in, by its status."""
    row = readable(row)
    status = row.status
    if status in ("shared", "acknowledged"):
        return review_screen(app, row)
    if status == "in_progress":
        from observe.app.screens.live import LiveScreen as Target
    else:
        from observe.app.screens.wrapup import WrapUpScreen as Target
    from observe.core.errors import ObserveError

    not_sealed(app, row)
    try:
        owner = app.open_session(session_file(app, row))
    except ObserveError as exc:
        raise Refused(
            str(exc), title="Cannot open this session", severity="error", timeout=8
        ) from exc
    return Target(owner)


def not_sealed(app: ObserveApp, row: SessionSummary) -> None:
    """Refused while a co-observer of the same delivery is still observing (blind)."""
    from observe.services.calibration import sealed_reason

    if row.calibration and (sealed := sealed_reason(app.workspace, session_file(app, row))):
        raise Refused(f"Not yet: {sealed}.", title="Co-observed", severity="information")


def reviewable(row: SessionSummary | None) -> SessionSummary:
    row = readable(row)
    if row.status == "in_progress":
        raise Refused(
            "This observation is still in progress: open it to carry on, and finish it"
            " before the facilitator reviews it."
        )
    return row


def review_screen(
    app: ObserveApp,
    row: SessionSummary | None,
    facilitator: int | None = None,
    action: str | None = None,
) -> Screen[Any]:
    """The facilitator's review; without ``facilitator`` a co-delivered one asks whose. With
    ``action`` (an agreed action's id) it opens on that action, to close or carry it."""
    from observe.app.screens.review import ReviewScreen

    row = reviewable(row)
    not_sealed(app, row)
    return ReviewScreen(session_file(app, row), facilitator, action)


def co_delivered(row: SessionSummary | None) -> bool:
    return row is not None and not row.unreadable and len(row.facilitators) > 1


def whose_feedback(row: SessionSummary | None) -> Screen[int | None]:
    """Asked before a co-delivered review opens; Escape answers None and nothing opens."""
    from observe.app.dialogs.session_dialogs import ChooseFacilitator
    from observe.core.models import Person

    names = reviewable(row).facilitators
    return ChooseFacilitator([Person.named(name) for name in names])


def share_dialog(row: SessionSummary | None) -> Screen[bool]:
    """The question before sharing, saying what it means; only a completed session."""
    row = readable(row)
    if row.status != "completed":
        if row.status == "in_progress":
            raise Refused("This observation is still in progress: finish it in wrap-up first.")
        raise Refused(f"This observation is {row.status} already.", severity="information")
    from observe.app.dialogs.session_dialogs import ConfirmShare

    what = f"{row.date} {row.start}  {row.title}".rstrip()
    return ConfirmShare(list(row.facilitators), what)


def share(app: ObserveApp, row: SessionSummary) -> str:
    """Share the session in ``row`` (confirmed already): the line to show."""
    from observe.core.errors import ObserveError
    from observe.services.sharing import share as share_session

    try:
        share_session(app.workspace, session_file(app, row))
    except ObserveError as exc:
        raise Refused(str(exc), title="Not shared", severity="error", timeout=8) from exc
    return "Shared: the facilitators can now read and respond to the feedback."


def export_screen(app: ObserveApp, row: SessionSummary | None) -> Screen[Any]:
    from observe.app.screens.exporting import ExportScreen

    return ExportScreen([session_file(app, readable(row))])


def resume_offer(
    rows: list[SessionSummary], interrupted: list[Path]
) -> tuple[SessionSummary, str] | None:
    """The first interrupted session's row and a line naming it, if it can be offered."""
    if not interrupted:
        return None
    row = next((r for r in rows if r.file == interrupted[0].name), None)
    if row is None or row.unreadable:
        return None
    names = ", ".join(row.facilitators)
    return row, f"{row.date} {row.start}  {names}  {row.title}".rstrip()
