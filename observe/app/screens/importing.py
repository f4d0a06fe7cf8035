"""Import (lead): bring in session files, folders or bundles; see what changed; settle conflicts.

The import runs in a thread worker. Conflicts (the same document edited differently at the
same rev on two machines) are listed below; highlight one and press the number of the
version to keep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, DirectoryTree, Footer, Header, Input, Static

from observe.app.plain import plain, styled
from observe.app.screens.slash import SlashToType


class ImportScreen(SlashToType):
    HELP_TITLE = "Import"
    HELP = (
        "Type the path of session files, a folder or a zip bundle (several, separated by"
        " spaces; quote paths with spaces) and press Enter. Import never overwrites what is"
        " newer here; when two observers changed the same thing differently, both versions"
        " are kept as a conflict below: highlight it and press the number of the one to keep."
    )
    SLASH_ACTION = "path"
    BINDINGS = [
        Binding("escape", "back", "Back", id="import.back", tooltip="Back to the sessions"),
        Binding("slash", "path", "Path", id="import.path", tooltip="Type a path to import"),
        Binding("r", "reload", "Reload", id="import.reload", tooltip="List conflicts again"),
        Binding(
            "ctrl+o",
            "browse",
            "Browse",
            id="import.browse",
            tooltip="Pick a file or folder from a tree (Enter picks, Escape closes)",
        ),
        *(
            Binding(
                str(n),
                f"keep({n})",
                f"Keep {n}",
                id=f"import.keep{n}",
                show=n <= 2,
                tooltip=f"Keep version {n} of the highlighted conflict",
            )
            for n in range(1, 10)
        ),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start or Path.home()  # where the browsing tree opens
        self.found: list[tuple[Any, Any]] = []  # (session conflicts, conflict) per row
        self.imported = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="path to a bundle (.zip), a folder or session files", id="i-path")
        yield Static("Nothing imported yet.", id="i-summary")
        table: DataTable[str] = DataTable(id="i-conflicts", cursor_type="row", zebra_stripes=True)
        table.add_columns("Session", "Conflict", "Differs in")
        yield table
        yield Static("", id="i-versions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#i-path", Input).focus()
        self.action_reload()

    def action_browse(self) -> None:
        # Mounted only when asked for: the tree keeps a loader running while it exists.
        if not self.query("#i-tree"):
            self.mount(DirectoryTree(self.start, id="i-tree"), after="#i-path")
        self.call_after_refresh(self.query_one("#i-tree", DirectoryTree).focus)

    def _close_tree(self) -> None:
        for tree in self.query("#i-tree"):
            tree.remove()
        self.query_one("#i-path", Input).focus()

    @on(DirectoryTree.FileSelected, "#i-tree")
    def picked_file(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#i-path", Input).value = _quoted(event.path)
        self._close_tree()

    @on(DirectoryTree.DirectorySelected, "#i-tree")
    def picked_folder(self, event: DirectoryTree.DirectorySelected) -> None:
        # Enter on a folder also opens it in the tree; the path is ready if it is the one.
        self.query_one("#i-path", Input).value = _quoted(event.path)

    def action_back(self) -> None:
        if self.query("#i-tree"):
            self._close_tree()
            return
        if self.focused is self.query_one("#i-path", Input) and self.found:
            self.query_one("#i-conflicts", DataTable).focus()
            return
        self.app.pop_screen()

    def action_path(self) -> None:
        self.query_one("#i-path", Input).focus()

    @on(Input.Submitted, "#i-path")
    def start_import(self, event: Input.Submitted) -> None:
        import shlex

        try:
            words = shlex.split(event.value)
        except ValueError as exc:
            self.query_one("#i-summary", Static).update(plain(f"Cannot read the path: {exc}"))
            return
        if not words:
            return
        paths = [Path(w).expanduser() for w in words]
        self.query_one("#i-summary", Static).update("Importing…")
        self.run_import(paths)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import", name="importing")
    def run_import(self, paths: list[Path]) -> None:
        from observe.services.imports import import_paths

        ws = self.observe_app.workspace

        def progress(i: int, source: str) -> None:
            self.app.call_from_thread(self._progress, i, source)

        report = import_paths(ws, paths, progress)
        self.app.call_from_thread(self._imported, report)

    def _progress(self, i: int, source: str) -> None:
        self.query_one("#i-summary", Static).update(plain(f"Importing… {i}: {Path(source).name}"))

    def _imported(self, report: Any) -> None:
        self.imported = True
        lines = [f"refused {refused.source}: {refused.reason}" for refused in report.refused[:4]]
        if len(report.refused) > 4:
            lines.append(f"… and {len(report.refused) - 4} more refused")
        summary = styled((report.summary(), "bold"), *(f"\n{line}" for line in lines))
        self.query_one("#i-summary", Static).update(summary)
        self.action_reload()

    def action_reload(self) -> None:
        self.load_conflicts()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="conflicts",
        name="listing conflicts",
    )
    def load_conflicts(self) -> None:
        from observe.services.imports import workspace_conflicts

        found = workspace_conflicts(self.observe_app.workspace)
        self.app.call_from_thread(self._show_conflicts, found)

    def _show_conflicts(self, found: list[Any]) -> None:
        self.found = [(s, c) for s in found for c in s.conflicts]
        table = self.query_one("#i-conflicts", DataTable)
        table.clear()
        for s, c in self.found:
            cells = (s.path.stem[:32], c.what()[:28], ", ".join(c.differing_fields())[:20])
            table.add_row(*(plain(cell) for cell in cells))
        if not self.found:
            self.query_one("#i-versions", Static).update("No conflicts to settle.")
        else:
            self._show_versions(table.cursor_row)
        summary = self.query_one("#i-summary", Static)
        if not self.imported:
            waiting = f"Conflicts waiting to be settled: {len(self.found)}." if self.found else ""
            summary.update(f"Nothing imported yet. {waiting}".strip())

    @on(DataTable.RowHighlighted, "#i-conflicts")
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_versions(event.cursor_row)

    def _show_versions(self, row: int) -> None:
        if not 0 <= row < len(self.found):
            return
        from observe.services.imports import version_previews

        _, conflict = self.found[row]
        parts: list[str | tuple[str, str]] = ["Versions (press the number to keep one):"]
        for i, shown in enumerate(version_previews(conflict, width=self._preview_width()), 1):
            parts += ["\n ", (str(i), "bold"), f"  {shown}"]
        self.query_one("#i-versions", Static).update(styled(*parts))

    def _preview_width(self) -> int:
        """How much of a differing value fits on a line here (the part around the change)."""
        return max(30, self.size.width - 30)

    def action_keep(self, number: int) -> None:
        if isinstance(self.focused, Input):
            return
        table = self.query_one("#i-conflicts", DataTable)
        if not 0 <= table.cursor_row < len(self.found):
            self.notify("No conflict highlighted.", severity="warning")
            return
        session, conflict = self.found[table.cursor_row]
        if number > len(conflict.versions):
            self.notify(f"There are {len(conflict.versions)} versions.", severity="warning")
            return
        self.settle_one(session.path, conflict.id, str(number))

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="settle", name="settling a conflict"
    )
    def settle_one(self, path: Path, doc_id: str, keep: str) -> None:
        from observe.services.imports import settle

        settle(self.observe_app.workspace, path, doc_id, keep)
        self.app.call_from_thread(self.notify, f"Kept version {keep}.", title="Settled")
        self.app.call_from_thread(self.action_reload)


def _quoted(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))
