"""Export feedback PDFs from the app: a modal with progress, the paths written at the end.

The work runs in a thread worker and renders in worker processes (WeasyPrint holds the GIL
for long stretches; in a process it cannot slow the screen), so the screen never freezes.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ProgressBar, Static

from observe.app.plain import one_line, plain
from observe.app.screens.base import ObserveModal


class ExportScreen(ObserveModal[list[Path]]):
    HELP_TITLE = "Export"
    HELP = "Feedback PDFs are written to the workspace's exports folder, one per facilitator."
    BINDINGS = [
        Binding(
            "escape,enter,q",
            "close",
            "Close",
            id="export.close",
            tooltip="Close this box; an export under way carries on",
        ),
    ]

    def __init__(self, paths: list[Path], facilitator: str | None = None) -> None:
        super().__init__()
        self.paths = list(paths)
        self.facilitator = facilitator
        self.written: list[Path] = []
        self.done = False

    def compose(self) -> ComposeResult:
        count = len(self.paths)
        what = "1 session" if count == 1 else f"{count} sessions"
        with Vertical(id="export-box"):
            yield Static(f"[b]Exporting feedback[/b] for {what}", id="export-title")
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("Starting…", id="export-current")
            with VerticalScroll(id="export-list"):
                yield Static("", id="export-written")
            yield Static("Esc closes; the export carries on if you leave.", id="export-hint")

    def on_mount(self) -> None:
        self.export()

    @work(thread=True, exclusive=True, exit_on_error=False, name="exporting feedback")
    def export(self) -> None:
        from observe.core.errors import ObserveError
        from observe.services.export import export_many

        app = self.observe_app
        try:
            outcomes = export_many(
                app.workspace,
                self.paths,
                self.facilitator,
                isolate=True,  # in a process even for one PDF: see the module's note
                progress=lambda done, total, pdf: app.call_from_thread(
                    self.advance, done, total, pdf
                ),
                skip_absent=len(self.paths) > 1,
            )
        except ObserveError as exc:
            app.call_from_thread(self.finish, [], [str(exc)])
            return
        errors = [o.error for o in outcomes if o.error]
        app.call_from_thread(self.finish, [p for o in outcomes for p in o.pdfs], errors)

    def advance(self, done: int, total: int, pdf: Path) -> None:
        if not self.is_attached:  # closed early: the export carries on without a screen
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)
        self.query_one("#export-current", Static).update(plain(f"{done} of {total}: {pdf.name}"))

    def finish(self, written: list[Path], errors: list[str]) -> None:
        self.written = written
        self.done = True
        if not self.is_attached:
            if written:
                self.app.notify(f"Exported {len(written)} PDF(s) to {written[0].parent}")
            for problem in errors:
                self.app.notify(f"Could not export {problem}", severity="error", timeout=10)
            return
        out = Text()
        out.append(f"{len(written)} PDF{'s' if len(written) != 1 else ''} written\n", style="bold")
        for pdf in written:
            out.append(f"  {one_line(pdf)}\n")
        for error in errors:
            out.append(f"✗ could not export {one_line(error)}\n", style="bold red")
        self.query_one("#export-written", Static).update(out)
        self.query_one("#export-current", Static).update("Done." if not errors else "Finished.")
        self.query_one("#export-hint", Static).update("Enter or Esc closes.")

    def action_close(self) -> None:
        self.dismiss(self.written)
