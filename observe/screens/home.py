"""Home: the workspace's sessions in a table, unreadable files flagged."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from observe.sessions import listing_rows


class HomeScreen(Screen[None]):
    HELP_TITLE = "Home"
    HELP = (
        "Your observation sessions, newest first. Unreadable files are flagged and never changed."
    )
    BINDINGS = [
        Binding("r", "reload", "Reload", id="home.reload"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Date", "Facilitators", "Wave", "Partner", "Mode", "Status", "Notes")
        yield table
        yield Static("Loading sessions…", id="home-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.load_rows()

    @work(thread=True, exclusive=True, name="listing sessions")
    def load_rows(self) -> None:
        rows = listing_rows(self.app.workspace)  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: list[dict]) -> None:
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for row in rows:
            if row["unreadable"]:
                table.add_row(
                    "!", row["file"], "", "", "", "unreadable", row["reason"][:40], key=row["file"]
                )
            else:
                table.add_row(
                    row["date"],
                    ", ".join(row["facilitators"]),
                    row["wave"],
                    row["partner"],
                    row["mode"].replace("_", " "),
                    row["status"].replace("_", " "),
                    str(row["notes"]),
                    key=row["file"],
                )
        empty = self.query_one("#home-empty", Static)
        empty.display = not rows
        empty.update("No sessions yet.")
