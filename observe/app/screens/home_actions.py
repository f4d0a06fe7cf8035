"""Home's ways onward: open by status, the other areas' screens, resuming, the palette.

A mixin for ``HomeScreen`` (which supplies ``highlighted()``, ``rows`` and the filter
actions); other areas' screens are imported when asked for, off the start-up path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class HomeActions(_Base):
    rows: list[dict[str, Any]]
    _stale: bool  # set when another screen is pushed: the list is read again on return
    _resume_offered: bool

    if TYPE_CHECKING:  # supplied by HomeScreen

        def highlighted(self) -> dict[str, Any] | None: ...
        def action_filter(self) -> None: ...
        def action_reload(self) -> None: ...

    # ------------------------------------------------------------------ going places

    def _path(self, row: dict[str, Any]) -> Path:
        return self.app.workspace.sessions_dir / row["file"]  # type: ignore[attr-defined]

    def _readable(self) -> dict[str, Any] | None:
        row = self.highlighted()
        if row is None:
            self.notify("No session is highlighted.", severity="warning")
            return None
        if row["unreadable"]:
            self.notify(
                f"{row['file']} cannot be opened: {row['reason']}",
                title="Unreadable session",
                severity="error",
                timeout=8,
            )
            return None
        return row

    def _go(self, screen: Screen[Any]) -> None:
        """Push another area's screen; the list is read again on the way back."""
        self._stale = True
        self.app.push_screen(screen)

    def action_new(self) -> None:
        from observe.app.screens.new import NewObservationScreen

        self._go(NewObservationScreen())

    def action_open(self) -> None:
        row = self._readable()
        if row is not None:
            self.open_row(row)

    def open_row(self, row: dict[str, Any]) -> None:
        """In progress -> live notes; completed -> wrap-up; shared or acknowledged -> review."""
        path = self._path(row)
        status = row["status"]
        if status in ("shared", "acknowledged"):
            self.action_review(row)
            return
        if status == "in_progress":
            from observe.app.screens.live import LiveScreen as Target
        else:
            from observe.app.screens.wrapup import WrapUpScreen as Target
        from observe.core.errors import ObserveError

        try:
            owner = self.app.open_session(path)  # type: ignore[attr-defined]
        except ObserveError as exc:
            self.notify(str(exc), title="Cannot open this session", severity="error", timeout=8)
            return
        self._stale = True
        self.app.push_screen(Target(owner))

    def action_review(self, row: dict[str, Any] | None = None) -> None:
        row = row or self._readable()
        if row is None:
            return
        if row["status"] == "in_progress":
            self.notify(
                "This observation is still in progress: open it to carry on, and finish it"
                " before the facilitator reviews it.",
                severity="warning",
            )
            return

        from observe.app.screens.review import ReviewScreen

        self._go(ReviewScreen(self._path(row)))

    def action_export(self) -> None:
        row = self._readable()
        if row is None:
            return

        from observe.app.screens.exporting import ExportScreen

        self._go(ExportScreen([self._path(row)]))

    def action_collate(self) -> None:
        from observe.app.screens.collate import CollateScreen

        self._go(CollateScreen())

    def action_import(self) -> None:
        from observe.app.screens.importing import ImportScreen

        self._go(ImportScreen())

    def action_frameworks(self) -> None:
        from observe.app.screens.frameworks import FrameworksScreen

        self._go(FrameworksScreen())

    # ------------------------------------------------------------------ resuming after a crash

    def offer_resume(self, paths: list[Path]) -> None:
        if self._resume_offered or not paths:
            return
        self._resume_offered = True
        from observe.app.dialogs.session_dialogs import ResumeDialog

        by_file = {r["file"]: r for r in self.rows}
        row = by_file.get(paths[0].name)
        if row is None or row["unreadable"]:
            return
        names = ", ".join(row["facilitators"])
        what = f"{row['date']} {row['start']}  {names}  {row['title']}".rstrip()

        def answered(resume: bool | None) -> None:
            if resume:
                self.open_row(row)

        self.app.push_screen(ResumeDialog(what, more=len(paths) - 1), answered)
