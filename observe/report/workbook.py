"""The leads' workbook (xlsx): one sheet per view of a collation, and one saying what was
counted and what was left out.

Each view is a table: a bold header row frozen in place, an autofilter over it, numbers as
numbers with formats (means to two places, shares as percentages, changes with their sign).
Text from sessions and frameworks is never a formula: it goes through ``spreadsheet_cell``
and is written as a string cell (data type ``s``) whatever it starts with. People are codes
unless the collation was made with names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from observe.core.agreement import Estimate, Figures
from observe.core.untrusted import spreadsheet_cell
from observe.report.agreement import EXPLAINED, AgreementReport
from observe.report.collated import ACTION_COLUMNS, Collation, level_keys

COUNT, MEAN, SHARE, CHANGE, STAT = "0", "0.00", "0%", "+0.00;-0.00;0.00", "0.000"


@dataclass(frozen=True)
class Col:
    head: str
    fmt: str | None = None  # a number format; None: text
    width: int = 12


def _put(ws: Any, row: int, col: int, value: Any, fmt: str | None) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return
    if isinstance(value, str):
        cell.value = spreadsheet_cell(value)
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value
        if fmt:
            cell.number_format = fmt


def table_sheet(wb: Any, title: str, cols: Sequence[Col], rows: Sequence[Sequence[Any]]) -> Any:
    """A sheet holding one table: header frozen, autofilter, formats and widths per column."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    for j, col in enumerate(cols, 1):
        _put(ws, 1, j, col.head, None)
        ws.cell(row=1, column=j).font = bold
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, row in enumerate(rows, 2):
        for j, (col, value) in enumerate(zip(cols, row, strict=True), 1):
            _put(ws, i, j, value, col.fmt)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(rows) + 1)}"
    return ws


def criteria_sheet(wb: Any, c: Collation) -> None:
    keys = level_keys(c.rows)
    cols = [Col(k.title(), None, 14) for k in c.by]
    cols += [Col("Framework", None, 18), Col("Criterion", None, 10), Col("Title", None, 44)]
    cols += [Col("n", COUNT, 7), Col("Not observed", COUNT, 12), Col("Mean", MEAN, 8)]
    cols += [Col(f"At level {k}", COUNT, 10) for k in keys]
    rows = [
        [*(r.group[k] for k in c.by), r.framework, r.criterion, r.title, r.n, r.not_observed]
        for r in c.rows
    ]
    for row, r in zip(rows, c.rows, strict=True):
        row += [r.mean, *(r.levels.get(k, 0) for k in keys)]
    table_sheet(wb, "Criteria", cols, rows)


def change_sheet(wb: Any, c: Collation) -> None:
    waves = c.coverage.waves
    cols = [Col("Framework", None, 18), Col("Criterion", None, 10), Col("Title", None, 40)]
    for w in waves:
        cols += [Col(f"Wave {w} mean", MEAN), Col(f"Wave {w} n", COUNT, 10)]
        cols += [Col(f"Wave {w} change", CHANGE, 14)]
    rows = []
    for (fw, crit), figures in c.change.items():
        row: list[Any] = [fw, crit, c.titles.get((fw, crit), crit)]
        for f in figures:
            row += [f.mean, f.n, f.change]
        rows.append(row)
    table_sheet(wb, "Change across waves", cols, rows)


def coverage_sheet(wb: Any, c: Collation) -> None:
    cov = c.coverage
    cols = [Col("Facilitator", None, 24)]
    cols += [Col(f"Wave {w}", COUNT, 10) for w in cov.waves]
    cols += [Col("Sessions", COUNT, 10), Col("Observed by", None, 50)]
    rows = []
    for fac in cov.facilitators:
        counts = [cov.per_wave.get(fac, {}).get(w, 0) for w in cov.waves]
        by = ", ".join(f"{o} ×{n}" for o, n in sorted(cov.matrix.get(fac, {}).items()))
        rows.append([fac, *counts, sum(counts), by])
    table_sheet(wb, "Coverage", cols, rows)


def actions_sheet(wb: Any, c: Collation) -> None:
    """What became of the actions agreed in the counted sessions, per facilitator."""
    cols = [Col("Facilitator", None, 24)]
    cols += [Col(head.capitalize(), COUNT, 11) for head, _ in ACTION_COLUMNS]
    rows = [[f.facilitator, *(getattr(f, key) for _, key in ACTION_COLUMNS)] for f in c.actions]
    table_sheet(wb, "Actions followed up", cols, rows)


def _ci(e: Estimate) -> list[Any]:
    ci = e.interval
    return [e.value, None, None] if ci is None else [e.value, ci.low, ci.high]


def agreement_sheets(wb: Any, a: AgreementReport) -> None:
    cols = [Col("Framework", None, 18), Col("Criterion", None, 10), Col("Title", None, 40)]
    cols += [Col("Units", COUNT, 8), Col("Exact", SHARE, 8), Col("Within one", SHARE, 11)]
    for name in ("ordinal", "interval"):
        cols += [Col(f"Alpha {name}", STAT, 14), Col("95% low", STAT, 9)]
        cols += [Col("95% high", STAT, 9)]
    cols += [Col("Note", None, 30)]

    def row(f: Figures) -> list[Any]:
        note = "; ".join(n for n in (f.alpha_ordinal.note, f.alpha_interval.note) if n)
        return [
            f.framework,
            f.criterion or "(all)",
            f.title,
            f.units,
            f.exact,
            f.within_one,
            *_ci(f.alpha_ordinal),
            *_ci(f.alpha_interval),
            note,
        ]

    found = a.found
    table_sheet(wb, "Agreement", cols, [row(f) for f in [*found.criteria, found.overall]])
    cols = [Col("Criterion", None, 10), Col("Observer", None, 24), Col("Observer", None, 24)]
    cols += [Col("Units", COUNT, 8), Col("Kappa (quadratic)", STAT, 16)]
    cols += [Col("95% low", STAT, 9), Col("95% high", STAT, 9), Col("Note", None, 24)]
    rows = [
        [f.criterion or "(all)", *p.observers, p.units, *_ci(p.kappa), p.kappa.note]
        for f in [found.overall, *found.criteria]
        for p in f.pairs
    ]
    table_sheet(wb, "Observer pairs", cols, rows)


def about_sheet(wb: Any, c: Collation, a: AgreementReport) -> None:
    """What was counted and left out, as label and value rows."""
    f = c.filters
    rows: list[list[Any]] = [
        ["Sessions counted", c.sessions],
        ["Demo data only", "yes" if c.selection.demo else "no"],
        ["Demo sessions left out", 0 if c.selection.demo else c.selection.left_out_demo],
        ["Sessions in progress left out", c.selection.left_out_status],
        ["People shown as", "names" if c.names else "pseudonymous codes"],
        ["Waves", ", ".join(f.waves) or "all"],
    ]
    for key in ("region", "partner", "mode", "framework"):
        rows.append([key.title(), getattr(f, key) or "all"])
    rows.append(["Facilitator", "one facilitator's ratings only" if f.facilitator else "all"])
    rows.append(["Grouped by", ", ".join(c.by) or "nothing"])
    rows += [["Note", note] for note in c.notes()]
    rows += [["Agreement", note] for note in a.found.notes()]
    rows.append(["Agreement figures", EXPLAINED])
    rows.append(
        ["Not observed", "Counted apart from the levels: a criterion not seen, not a low score."]
    )
    table_sheet(wb, "What was counted", [Col("What", None, 30), Col("Value", COUNT, 100)], rows)


def render(c: Collation, a: AgreementReport) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook

    from observe.report.render import source_datetime

    wb = Workbook()
    wb.remove(wb.active)
    about_sheet(wb, c, a)
    criteria_sheet(wb, c)
    change_sheet(wb, c)
    coverage_sheet(wb, c)
    actions_sheet(wb, c)
    agreement_sheets(wb, a)
    moment = source_datetime()
    if moment is not None:  # reproducible builds: the document's own dates from the epoch
        wb.properties.created = wb.properties.modified = moment.replace(tzinfo=None)
    wb.properties.creator = "observe"
    wb.properties.title = "Peer observation: collated workbook"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
