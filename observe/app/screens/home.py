"""Home: the workspace's sessions in a table, unreadable files flagged, and the ways onward.

The listing comes from the derived index in a worker, so the first frame never waits on the
disk; the core (pydantic, TinyDB) is imported there too, off the start-up path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from observe.app.debounce import Debounce
from observe.app.folder_stamp import FolderStamp
from observe.app.plain import one_line
from observe.app.screens import home_onward as onward
from observe.app.screens import home_portfolio, home_rota, home_survey, home_team, listing
from observe.app.screens.home_actions import ACTIONS_KEYS
from observe.app.screens.home_parts import HomeParts
from observe.app.screens.listing import Column, columns_for, matches, parse_filter, row_cells
from observe.app.widgets.sessions_table import SessionsTable
from observe.core.summary import SessionSummary

FIRST_CHUNK = 200  # rows put in the table at once: more than a tall terminal shows
CHUNK = 500  # then this many per frame
FILTER_PAUSE_S = 0.12  # a short pause, so a fast typist does not redraw 5,000 rows per key
FOLDER_CHECK_S = 2.0  # how often home stats sessions/: a change made elsewhere shows by itself

OPEN_HELP = (
    "Open the highlighted session: in progress carries on observing, completed goes to"
    " wrap-up, shared or acknowledged to the facilitator's review"
)


class HomeScreen(HomeParts):
    AUTO_FOCUS = ""  # the table takes the focus once loaded; typing must not land in the filter
    HELP_TITLE = "Home"
    HELP = (
        "Your observation sessions, newest first. Open one to carry on observing, wrap it up,"
        " or read the feedback. Files that cannot be read are flagged with the reason and are"
        " never changed. The filter takes words from any column (wave 2, a name, online,"
        " in progress); Enter goes to the list, Escape clears it."
    )
    BINDINGS = [
        Binding("n", "new", "New", id="home.new", tooltip="Start a new observation"),
        # Two bindings so the footer always reads "o Open": a focused table or filter that
        # takes Enter itself would otherwise switch the label between "⏎" and "o".
        Binding("enter", "open", "Open", id="home.open_enter", show=False, tooltip=OPEN_HELP),
        Binding("o", "open", "Open", id="home.open", tooltip=OPEN_HELP),
        Binding(
            "e", "export", "Export", id="home.export", tooltip="Feedback PDF(s) of the session"
        ),
        Binding(
            "v",
            "review",
            "Review",
            id="home.review",
            tooltip="The facilitator's review: read, reflect, agree actions, acknowledge",
        ),
        Binding(
            "s",
            "share",
            "Share",
            id="home.share",
            tooltip="Share the highlighted completed observation with its facilitators"
            " (asks first; it can then no longer be reopened in wrap-up)",
        ),
        Binding(
            "c",
            "collate",
            "Collate",
            id="home.collate",
            tooltip="Patterns across sessions: waves, regions, partners, modes",
        ),
        Binding(
            "i",
            "import",
            "Import",
            id="home.import",
            show=False,
            tooltip="Bring in sessions from other observers (files, folders, a zip bundle)",
        ),
        Binding(
            "f",
            "frameworks",
            "Frameworks",
            id="home.frameworks",
            show=False,  # in F1 and the palette: the footer keeps to 80 columns
            tooltip="The frameworks of criteria, previewed and checked",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="home.filter",
            tooltip="Filter the list: e.g. wave 2, a facilitator's name, online, in progress",
        ),
        Binding(
            "r",
            "reload",
            "Refresh",
            id="home.reload",
            show=False,
            tooltip="Read the sessions folder again",
        ),
        *home_team.BINDINGS,
        *home_rota.ROTA_KEYS + home_survey.SURVEY_KEYS + home_portfolio.PORTFOLIO_KEYS,
        *ACTIONS_KEYS,  # last: named on its own line of home
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SessionSummary] = []
        self.shown: list[SessionSummary] = []
        self.loaded = False
        self._columns: list[Column] = []
        self._stale = False  # set when another screen is pushed: read again on return
        self._follow = ""  # the file of the session last left: the cursor goes to it
        self._folder: FolderStamp | None = None  # set on mount, with the workspace
        self._resume_offered = False  # "Later" means not again in this run
        self._refilter = Debounce(self, FILTER_PAUSE_S, self.show_rows)
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="/ to filter: wave 2, a name, online, in progress…",
            id="filter",
            select_on_focus=False,
            compact=True,
        )
        yield SessionsTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Static("Loading sessions…", id="home-empty", markup=True)
        yield Static("", id="home-detail", markup=False)
        yield self.rota_line()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.display = False
        self.query_one("#home-detail", Static).display = False
        # After the first frame is drawn: the worker's imports would compete with it.
        self._folder = FolderStamp(self.observe_app.workspace.sessions_dir)
        self.call_after_refresh(self.load_rows, True)
        self.set_interval(FOLDER_CHECK_S, self.check_folder)
        workspace = self.observe_app.workspace
        if not workspace.writable:
            self.notify(
                f"This workspace is read-only ({workspace.sessions_dir}): sessions can be"
                " read, not changed.",
                severity="warning",
                timeout=10,
            )

    def sessions_changed(self, file: str = "") -> None:
        """A session was written and let go: read the list again when home is shown next,
        with the cursor on that session (the one a key like e then acts on)."""
        self._stale, self._follow = True, file or self._follow

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False  # set when another screen is pushed: read again on return
            self.load_rows()
        else:
            self.check_folder()

    def on_resize(self) -> None:
        if self.loaded and columns_for(self.size.width) != self._columns:
            self.show_rows()

    # ------------------------------------------------------------------ loading

    def check_folder(self) -> None:
        """Read the list again if the sessions folder changed since it was read."""
        if self.is_current and self._folder is not None and self._folder.changed():
            self.load_rows()

    @work(thread=True, exclusive=True, exit_on_error=False, name="listing sessions")
    def load_rows(self, offer_resume: bool = False) -> None:
        from observe.services.sessions import listing_rows, start_up

        workspace = self.observe_app.workspace
        if self._folder is not None:
            self._folder.mark()
        interrupted = start_up(workspace) if offer_resume else []
        self.app.call_from_thread(self._loaded, listing_rows(workspace))
        if interrupted:
            self.app.call_from_thread(self.offer_resume, interrupted)

    def _loaded(self, rows: list[SessionSummary]) -> None:
        self.rows = rows
        self.loaded = True
        self.show_rows()
        if self.shown and self.focused is None:
            self.query_one("#sessions", DataTable).focus()

    def show_rows(self) -> None:
        """Fill the table with the rows the filter lets through, keeping the cursor's session.

        The first screenful goes in at once; the rest follows in chunks between frames, so
        5,000 sessions never hold up a keystroke.
        """
        table = self.query_one("#sessions", DataTable)
        current = self.highlighted()
        query = parse_filter(self.query_one("#filter", Input).value)
        self.shown = [r for r in self.rows if matches(r, query)]
        self._columns = columns_for(self.size.width or 80)
        self._generation += 1
        table.clear(columns=True)
        for column in self._columns:
            table.add_column(column.label, width=column.width, key=column.key)
        # By file, not identity: a reload brings new row objects for the same sessions.
        wanted, self._follow = self._follow or (current.file if current else None), ""
        target = next((i for i, r in enumerate(self.shown) if r.file == wanted), 0)
        first = max(FIRST_CHUNK, target + 1)
        self._add_rows(self._generation, 0, first)
        empty = self.query_one("#home-empty", Static)
        if not self.rows:
            empty.update(listing.FIRST_RUN)
        elif not self.shown:
            empty.update("No session matches the filter. Escape clears it.")
        empty.display = not self.shown
        table.display = bool(self.shown)
        self.query_one("#home-detail", Static).display = bool(self.rows)
        if target:
            table.move_cursor(row=target, animate=False)
        self._update_detail()
        if self.rows and not self.shown and self.focused is table:
            self.query_one("#filter", Input).focus()

    def _add_rows(self, generation: int, start: int, end: int) -> None:
        if generation != self._generation:
            return  # the filter or the width changed meanwhile: a newer fill is under way
        table = self.query_one("#sessions", DataTable)
        warning = self.app.theme_variables.get("warning", "yellow")
        table.add_rows(row_cells(r, self._columns, warning) for r in self.shown[start:end])
        if end < len(self.shown):
            self.call_after_refresh(self._add_rows, generation, end, end + CHUNK)

    def highlighted(self) -> SessionSummary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.shown or not table.display:
            return None
        return self.shown[table.cursor_row] if 0 <= table.cursor_row < len(self.shown) else None

    def _update_detail(self) -> None:
        detail = self.query_one("#home-detail", Static)
        row = self.highlighted()
        total = len(self.rows)
        counts = f"{len(self.shown)} of {total} session{'' if total == 1 else 's'}"
        bad = sum(1 for r in self.rows if r.unreadable)
        counts += f" · {bad} unreadable" if bad else ""
        if row is None:
            detail.update(counts)
            detail.set_class(False, "-unreadable")
            return
        if row.unreadable:
            text = f"⚠ {row.file} cannot be read: {row.reason} (left unchanged)"
        else:
            bits = [
                row.title or "untitled session",
                f"region {row.region}" if row.region else "",
                f"observer {row.observer}" if row.observer else "",
                f"{row.ratings} rating{'' if row.ratings == 1 else 's'}",
                row.id[:8],
            ]
            text = " · ".join(b for b in bits if b)
        detail.update(f"{one_line(text)}\n{counts}")  # markup=False; controls shown
        detail.set_class(bool(row.unreadable), "-unreadable")

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_detail()

    @on(DataTable.RowSelected, "#sessions")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._refilter.poke()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self._refilter.cancel()
        self.show_rows()
        if self.shown:
            self.query_one("#sessions", DataTable).focus()

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if self.focused is box or box.value:
            box.value = ""
            self._refilter.cancel()
            self.show_rows()
            if self.shown:
                self.query_one("#sessions", DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_reload(self) -> None:
        self.load_rows()

    # ------------------------------------------------------------------ going onward

    def _go(
        self, make: Callable[[], Screen[Any]], then: Callable[[Any], None] | None = None
    ) -> None:
        """Push the screen ``make`` gives, or say why there is none; the list is read again
        on the way back."""
        try:
            screen = make()
        except onward.Refused as refused:
            self._refused(refused)
            return
        self._stale = True
        self.app.push_screen(screen, then)

    def _refused(self, refused: onward.Refused) -> None:
        self.notify(
            refused.message, title=refused.title, severity=refused.severity, timeout=refused.timeout
        )

    def action_open(self) -> None:
        self._go(lambda: onward.open_screen(self.observe_app, self.highlighted()))

    def action_review(self) -> None:
        row = self.highlighted()
        if not onward.co_delivered(row):
            self._go(lambda: onward.review_screen(self.observe_app, row, 0))
            return

        def chosen(index: int | None) -> None:
            if index is not None:  # Escape: nothing opened, nothing changed
                self._go(lambda: onward.review_screen(self.observe_app, row, index))

        self._go(lambda: onward.whose_feedback(row), chosen)

    def action_share(self) -> None:
        row = self.highlighted()

        def answered(yes: bool | None) -> None:
            if yes and row is not None:
                try:
                    self.notify(onward.share(self.observe_app, row))
                except onward.Refused as refused:
                    self._refused(refused)
                self.load_rows()
                self.sync_now()  # in a team, the shared feedback goes out at once

        self._go(lambda: onward.share_dialog(row), answered)

    def action_export(self) -> None:
        self._go(lambda: onward.export_screen(self.observe_app, self.highlighted()))

    def action_new(self) -> None:
        from observe.app.screens.new import NewObservationScreen

        self._go(NewObservationScreen)

    def action_collate(self) -> None:
        from observe.app.screens.collate import CollateScreen

        self._go(CollateScreen)

    def action_import(self) -> None:
        from observe.app.screens.importing import ImportScreen

        self._go(ImportScreen)

    def action_frameworks(self) -> None:
        from observe.app.screens.frameworks import FrameworksScreen

        self._go(FrameworksScreen)

    def offer_resume(self, interrupted: list[Path]) -> None:
        """After a crash: offer to open the session that was left open (once per run)."""
        offer = None if self._resume_offered else onward.resume_offer(self.rows, interrupted)
        if offer is None:
            return
        self._resume_offered = True
        from observe.app.dialogs.session_dialogs import ResumeDialog

        row, what = offer

        def answered(resume: bool | None) -> None:
            if resume:
                self._go(lambda: onward.open_screen(self.observe_app, row))

        self.app.push_screen(ResumeDialog(what, more=len(interrupted) - 1), answered)
