"""The collate screen's Agreement tab: co-observers' agreement per criterion, lowest first.

Worked out only when the tab is shown (the statistics libraries take a second to load), in a
thread worker, from the sessions the collation counted.
"""

from __future__ import annotations

from typing import Any

from observe.app.plain import counted
from observe.app.screens.collate_table import Column


def agreement_columns(report: Any) -> list[Column]:
    """Criterion, title, units, exact, within one, alpha ordinal and interval (95%)."""
    from observe.report.agreement import fmt_estimate, pct

    def est(e: Any) -> str:
        return fmt_estimate(e, to="…")

    rows = [*report.found.criteria, report.found.overall] if report.found.overall.units else []
    return [
        Column("Crit", [f.criterion or "all" for f in rows], numeric=True, right=False),
        Column("Title", [f.title for f in rows]),
        Column("Units", [str(f.units) for f in rows], numeric=True),
        Column("Exact", [pct(f.exact) for f in rows], numeric=True),
        Column("±1", [pct(f.within_one) for f in rows], numeric=True),
        Column("α ordinal (95%)", [est(f.alpha_ordinal) for f in rows], True, False),
        Column("α interval (95%)", [est(f.alpha_interval) for f in rows], True, False),
    ]


def agreement_status(report: Any) -> str:
    """One line over the table: groups, units, and what was left out."""
    f = report.found
    if not f.overall.units:
        return (
            "No co-observed sessions here: agreement needs two or more finished observations"
            " of one delivery (sessions sharing a calibration id)."
        )
    parts = [
        counted(f.groups, "co-observed delivery", "co-observed deliveries"),
        counted(f.overall.units, "unit"),
        "lowest agreement first",
    ]
    if f.alone:
        parts.append(f"{f.alone} observed alone left out")
    if f.unpartnered:
        parts.append(f"{f.unpartnered} waiting for a partner left out")
    return " · ".join(parts)
