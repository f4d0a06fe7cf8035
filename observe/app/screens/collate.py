"""Collate (lead): per-criterion figures, change across waves, coverage and co-observers'
agreement, with export (CSV, PDF, the leads' workbook).

Filters are typed as ``key:value`` words (``wave:1,2 mode:online partner:"Partner A"``) so the
whole screen works from the keyboard at 80x24. Collation and export run in thread workers.
People appear as codes until ``k`` shows names.
"""

from __future__ import annotations

import shlex
import weakref
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    ProgressBar,
    Static,
    TabbedContent,
    TabPane,
)

from observe.app.plain import counted, plain, styled
from observe.app.screens.slash import SlashToType
from observe.core.collate import Filters

if TYPE_CHECKING:
    from observe.report.collated import Collation

# What the lead chose here, kept for the app's run: (filter text, filters, grouping) per app.
_KEPT: weakref.WeakKeyDictionary[Any, tuple[str, Filters, int]] = weakref.WeakKeyDictionary()

FILTER_KEYS = ("wave", "region", "partner", "mode", "framework", "facilitator")
GROUPINGS: list[tuple[str, ...]] = [(), ("wave",), ("region",), ("partner",), ("mode",)]
GROUPINGS += [("facilitator",)]


def parse_filters(text: str, demo: bool = False) -> Filters:
    """``wave:1,2 region:London`` -> Filters; ValueError names the word it cannot use."""
    filters = Filters(demo=demo)
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"cannot read the filter: {exc}") from None
    for word in words:
        key, sep, value = word.partition(":")
        key = key.lower()
        if not sep or key not in FILTER_KEYS or not value:
            raise ValueError(f"{word!r}: use key:value with a key from {', '.join(FILTER_KEYS)}")
        if key == "wave":
            filters = replace(filters, waves=tuple(v for v in value.split(",") if v))
        elif key == "mode":
            filters = replace(filters, mode=value.replace(" ", "_"))
        else:
            filters = replace(filters, **{key: value})
    return filters


class CollateScreen(SlashToType):
    HELP_TITLE = "Collate"
    HELP = (
        "Patterns across completed observations, for developing the programme, not ranking"
        " people. Type filters as key:value words (wave:1,2 region:London mode:online"
        ' partner:"Partner A" framework:ID facilitator:F-7k2m9q4x). People show as codes until'
        ' you press k. "n at 1·2·3·4" counts the ratings at each level. The filter, demo'
        " choice and grouping stay as you left them until you quit. Agreement compares"
        " observers who watched the same delivery; w saves the leads' workbook (xlsx)."
    )
    SLASH_ACTION = "filter"
    BINDINGS = [
        Binding("escape", "back", "Back", id="collate.back", tooltip="Back to the sessions"),
        Binding("slash", "filter", "Filter", id="collate.filter", tooltip="Type filters"),
        Binding("b", "group", "Group", id="collate.group", tooltip="Cycle the breakdown"),
        Binding("k", "names", "Names", id="collate.names", tooltip="Show names or codes"),
        # Off the footer (80 columns): the status line offers it where it matters.
        Binding(
            "d",
            "demo",
            "Demo",
            id="collate.demo",
            show=False,
            tooltip="Demo sessions only, or real",
        ),
        Binding(
            "t",
            "next_tab",
            "Tab",
            id="collate.tab",
            tooltip="Criteria, change, coverage, agreement, actions",
        ),
        Binding("x", "export('csv')", "CSV", id="collate.csv", tooltip="Export CSV"),
        Binding("p", "export('pdf')", "PDF", id="collate.pdf", tooltip="Export the PDF report"),
        Binding(
            "w",
            "export('xlsx')",
            "XLSX",
            id="collate.xlsx",
            tooltip="Export the leads' workbook (xlsx): a sheet per view",
        ),
        Binding(
            "r",
            "refresh",
            "Reload",
            id="collate.reload",
            show=False,
            tooltip="Read the sessions again and collate them anew",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.grouping = 0
        self.filter_text = ""
        self.names = False  # names are asked for each time, never kept
        self.result: Collation | None = None
        self.agreement: Any = None  # the agreement of ``result``, once its tab has shown

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ to filter, e.g. wave:1,2 region:… mode:online", id="c-filter")
        yield Static("Collating…", id="c-status")
        with TabbedContent(id="c-tabs"):
            with TabPane("Criteria", id="tab-criteria"):
                yield DataTable(id="c-criteria", cursor_type="row", zebra_stripes=True)
            with TabPane("Change", id="tab-change"):
                yield DataTable(id="c-change", cursor_type="row", zebra_stripes=True)
            with TabPane("Coverage", id="tab-coverage"):
                yield DataTable(id="c-coverage", cursor_type="row", zebra_stripes=True)
                yield Static("", id="c-missing")
            with TabPane("Agreement", id="tab-agreement"):
                yield Static("", id="c-agree-status")
                yield DataTable(id="c-agreement", cursor_type="row", zebra_stripes=True)
            with TabPane("Actions", id="tab-actions"):  # what became of the agreed actions
                yield DataTable(id="c-actions", cursor_type="row", zebra_stripes=True)
        yield ProgressBar(total=4, id="c-progress", show_eta=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        kept = _KEPT.get(self.app)
        if kept is not None:  # back again: the same filter and demo choice as before
            text, self.filters, self.grouping = kept
            self.query_one("#c-filter", Input).value = text
        self.query_one("#c-progress", ProgressBar).display = False
        self.query_one("#c-criteria", DataTable).focus()
        self.action_refresh()

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        if self.focused is self.query_one("#c-filter", Input):
            self.query_one("#c-criteria", DataTable).focus()
            return
        self.app.pop_screen()

    def _keep(self) -> None:
        _KEPT[self.app] = (self.filter_text, self.filters, self.grouping)

    def action_filter(self) -> None:
        self.query_one("#c-filter", Input).focus()

    @on(Input.Submitted, "#c-filter")
    def apply_filter(self, event: Input.Submitted) -> None:
        try:
            self.filters = parse_filters(event.value, self.filters.demo)
        except ValueError as exc:
            self.query_one("#c-status", Static).update(styled(("Filter:", "bold"), f" {exc}"))
            return
        self.filter_text = event.value
        self._keep()
        self.query_one("#c-criteria", DataTable).focus()
        self.action_refresh()

    def action_group(self) -> None:
        self.grouping = (self.grouping + 1) % len(GROUPINGS)
        self._keep()
        self.action_refresh()

    def action_names(self) -> None:
        self.names = not self.names
        self.action_refresh()

    def action_demo(self) -> None:
        self.filters = replace(self.filters, demo=not self.filters.demo)
        self._keep()
        self.action_refresh()

    def action_next_tab(self) -> None:
        tabs = self.query_one("#c-tabs", TabbedContent)
        order = ["tab-criteria", "tab-change", "tab-coverage", "tab-agreement", "tab-actions"]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]
        pane = tabs.get_pane(tabs.active)
        pane.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        self.query_one("#c-status", Static).update("Collating…")
        self.collate_now(self.filters, GROUPINGS[self.grouping], self.names)

    # ------------------------------------------------------------ work

    @work(thread=True, exclusive=True, exit_on_error=False, group="collate", name="collating")
    def collate_now(self, filters: Filters, by: tuple[str, ...], names: bool) -> None:
        from observe.core.errors import UsageError
        from observe.services.collation import gather_workspace

        try:
            result = gather_workspace(self.observe_app.workspace, filters, by, names)
        except UsageError as exc:  # a filter that matches no one: said where the filter is
            self.app.call_from_thread(self._filter_problem, str(exc))
            return
        self.app.call_from_thread(self.show, result)

    def _filter_problem(self, text: str) -> None:
        self.query_one("#c-status", Static).update(styled(("Filter:", "bold"), f" {text}"))

    def show(self, c: Collation) -> None:
        from observe.app.screens.collate_table import Column, fill
        from observe.report.collated import (
            change_cells,
            fmt_mean,
            level_counts,
            level_keys,
            levels_header,
        )

        if c is not self.result:  # a new collation: its agreement is worked out anew
            self.result = c
            self.agreement = None
            self._agree_if_shown()
        by = c.by
        status = [counted(c.sessions, "session"), f"by {', '.join(by)}" if by else "all together"]
        status += c.short_notes()
        if not c.sessions and c.selection.left_out_demo:
            status.append("d counts the demo sessions")
        elif c.selection.demo:
            status.append("d for real sessions")
        self.query_one("#c-status", Static).update(plain(" · ".join(status)))
        keys = level_keys(c.rows)
        rows = c.rows
        columns = [Column(k.title(), [r.group[k] for r in rows], k == "wave", False) for k in by]
        columns += [
            Column("Crit", [r.criterion for r in rows], numeric=True, right=False),
            Column("Title", [r.title for r in rows]),
            Column("n", [str(r.n) for r in rows], numeric=True),
            Column("n/o", [str(r.not_observed) for r in rows], numeric=True),
            Column("Mean", [fmt_mean(r.mean) for r in rows], numeric=True),
            Column(levels_header(keys), [level_counts(r.levels, keys) for r in rows], True),
        ]
        fill(self.query_one("#c-criteria", DataTable), columns, self._room())
        change = [(crit, change_cells(figures)) for (_, crit), figures in c.change.items()]
        columns = [Column("Crit", [crit for crit, _ in change], numeric=True, right=False)]
        for j, wave in enumerate(c.coverage.waves):
            cells = [
                " ".join(p for p in cells[j] if p) if j < len(cells) else "" for _, cells in change
            ]
            columns.append(Column(f"Wave {wave}", cells, numeric=True))
        fill(self.query_one("#c-change", DataTable), columns, self._room())
        cov = c.coverage
        facs = cov.facilitators
        columns = [Column("Facilitator", list(facs))]
        for w in cov.waves:
            counts = [str(cov.per_wave.get(f, {}).get(w, 0)) for f in facs]
            columns.append(Column(f"Wave {w}", counts, numeric=True))
        observers = [
            ", ".join(f"{o}×{n}" for o, n in sorted(cov.matrix.get(f, {}).items())) for f in facs
        ]
        columns.append(Column("Observers", observers))
        fill(self.query_one("#c-coverage", DataTable), columns, self._room())
        missing = [f"wave {w}: {', '.join(f)}" for w, f in cov.not_observed.items() if f]
        self.query_one("#c-missing", Static).update(
            plain(
                "Not yet observed — " + "; ".join(missing) if missing else "Everyone was observed."
            )
        )

        self._show_actions(c)

    def _show_actions(self, c: Collation) -> None:
        from observe.app.screens.collate_table import Column, fill
        from observe.report.collated import ACTION_COLUMNS

        figures = c.actions
        columns = [Column("Facilitator", [f.facilitator for f in figures])]
        for label, key in ACTION_COLUMNS:
            columns.append(Column(label.title(), [str(getattr(f, key)) for f in figures], True))
        fill(self.query_one("#c-actions", DataTable), columns, self._room())

    # ------------------------------------------------------------ agreement

    @on(TabbedContent.TabActivated, "#c-tabs")
    def _agree_if_shown(self) -> None:
        """Agreement is worked out when its tab shows, for the collation on screen."""
        tabs = self.query_one("#c-tabs", TabbedContent)
        if tabs.active != "tab-agreement" or self.result is None or self.agreement is not None:
            return
        self.query_one("#c-agree-status", Static).update("Comparing co-observers…")
        self.agree_now(self.result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement", name="agreement")
    def agree_now(self, c: Any) -> None:
        from observe.services.agreement import of_collation

        report = of_collation(c)
        self.app.call_from_thread(self.show_agreement, c, report)

    def show_agreement(self, c: Any, report: Any) -> None:
        from observe.app.screens.collate_agreement import agreement_columns, agreement_status
        from observe.app.screens.collate_table import fill

        if c is not self.result:  # collated anew meanwhile: that one's agreement will follow
            return
        self.agreement = report
        self.query_one("#c-agree-status", Static).update(plain(agreement_status(report)))
        table = self.query_one("#c-agreement", DataTable)
        fill(table, agreement_columns(report), self._room())

    def _room(self) -> int:
        """Cells a table can use across: the screen's width less a scrollbar."""
        return max(20, self.size.width - 2)

    def on_resize(self) -> None:
        if self.result is not None:
            self.show(self.result)
        if self.agreement is not None:
            self.show_agreement(self.result, self.agreement)

    def action_export(self, fmt: str) -> None:
        if self.result is None:
            self.notify("Nothing collated yet.", severity="warning")
            return
        if not self.result.sessions:
            self.notify(
                "No completed sessions match these filters, so there is nothing to export."
                " Change the filter (/) or the demo choice (d).",
                title="Nothing exported",
                severity="warning",
            )
            return
        bar = self.query_one("#c-progress", ProgressBar)
        bar.update(total=2, progress=0)
        bar.display = True
        self.export(self.result, fmt)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="export",
        name="exporting the collation",
    )
    def export(self, c: Collation, fmt: str) -> None:
        from observe.services.collation import save_collation

        self._step()
        target = save_collation(self.observe_app.workspace, c, fmt)
        self._step()
        self.app.call_from_thread(self._exported, target)

    def _step(self) -> None:
        bar = self.query_one("#c-progress", ProgressBar)
        self.app.call_from_thread(bar.advance, 1)

    def _exported(self, target: Path) -> None:
        self.query_one("#c-progress", ProgressBar).display = False
        self.notify(f"Saved {target}", title="Exported", timeout=8)
