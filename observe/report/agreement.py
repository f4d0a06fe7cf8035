"""The agreement report: figures gathered from the index, as a table, CSV or JSON.

Gathering reads the index entries and frameworks handed to it; everything after it is pure.
The PDF is in agreement_pdf; the workbook's sheet in workbook.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from observe.core import collate
from observe.core.agreement import Agreement, Estimate, Figures, agreement, criteria_json
from observe.core.shorten import shorten
from observe.core.untrusted import escape_controls, json_text, spreadsheet_row

EXPLAINED = (
    "A unit is one criterion rated for one facilitator by the observers of one delivery."
    " Exact and within one: the share of pairs of ratings of a unit at the same level, and at"
    " most one level apart. Krippendorff's alpha (1 = full agreement, 0 = no better than"
    " chance) over every observer of each delivery; kappa with quadratic weights per pair of"
    " observers. Intervals: 95% bootstrap over units. 'Not observed' is missing, not a level."
)


@dataclass
class AgreementReport:
    filters: collate.Filters
    names: bool
    selection: collate.Selection
    found: Agreement
    names_hint: str = "--names shows names"
    caveats: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        out = []
        if self.selection.demo:
            out.append("DEMO DATA: only generated demo sessions are counted.")
        elif demo := self.selection.left_out_demo:
            out.append(f"{demo} demo session{'' if demo == 1 else 's'} left out (--demo).")
        if busy := self.selection.left_out_status:
            out.append(f"{busy} session{'' if busy == 1 else 's'} still in progress left out.")
        out += self.found.notes()
        if not self.names:
            out.append(f"Observers are shown as pseudonymous codes ({self.names_hint}).")
        return out + self.caveats


def gather(
    entries: Sequence[Any],
    frameworks: Sequence[Any],
    filters: collate.Filters,
    names: bool = False,
    *,
    secret: bytes | None = None,
    resamples: int | None = None,
) -> AgreementReport:
    catalog = collate.Catalog.of(frameworks)
    selection = collate.select(entries, filters, secret=secret)
    extra = {} if resamples is None else {"resamples": resamples}
    found = agreement(selection, catalog, names, filters.facilitator, **extra)
    return AgreementReport(filters, names, selection, found)


def from_collation(c: Any, resamples: int | None = None) -> AgreementReport:
    """The agreement among the sessions a collation counted (``observe.report.collated``)."""
    extra = {} if resamples is None else {"resamples": resamples}
    # Every observer's own session (services.collation), else what was counted.
    raters = c.selection if c.raters is None else c.raters
    found = agreement(raters, c.catalog, c.names, c.filters.facilitator, **extra)
    return AgreementReport(c.filters, c.names, c.selection, found, c.names_hint, list(c.caveats))


# ---------------------------------------------------------------- words for figures


def pct(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.0f}%"


def fmt_estimate(e: Estimate, digits: int = 2, to: str = " to ") -> str:
    """A value with its interval ("0.62 (0.41 to 0.78)"), or why there is none."""
    if e.value is None:
        return e.note or "–"
    text = f"{e.value:.{digits}f}"
    if e.interval is not None:
        return f"{text} ({e.interval.low:.{digits}f}{to}{e.interval.high:.{digits}f})"
    # "interval: too few to say", said short enough for a column
    return f"{text} (too few for 95%)" if e.note else text


# ---------------------------------------------------------------- JSON, CSV, table


def to_data(r: AgreementReport) -> dict[str, Any]:
    f = r.found
    return {
        "demo": r.selection.demo,
        "names": r.names,
        "groups": f.groups,
        "sessions": f.sessions,
        "observers": f.observers,
        "left_out": {
            "observed_alone": f.alone,
            "partners_not_finished": f.unpartnered,
            "in_progress": r.selection.left_out_status,
            "demo": r.selection.left_out_demo,
            "not_observed_answers": f.overall.not_observed,
            "units_rated_once": f.overall.single,
        },
        "notes": r.notes(),
        "overall": f.overall.to_json(),
        "criteria": criteria_json(f),
    }


def to_json(r: AgreementReport) -> str:
    return json_text(to_data(r))


CSV_HEAD = [
    "scope",
    "framework",
    "criterion",
    "title",
    "units",
    "ratings",
    "not_observed",
    "exact",
    "within_one",
    "alpha_ordinal",
    "alpha_ordinal_low",
    "alpha_ordinal_high",
    "alpha_interval",
    "alpha_interval_low",
    "alpha_interval_high",
    "observer_a",
    "observer_b",
    "kappa",
    "kappa_low",
    "kappa_high",
    "note",
    "demo",
]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _ci(e: Estimate) -> list[str]:
    ci = e.interval
    return ["", ""] if ci is None else [_num(ci.low), _num(ci.high)]


def csv_rows(r: AgreementReport) -> list[list[Any]]:
    """Criteria (lowest agreement first), the overall row, then each pair's kappa."""
    rows = []
    demo = "true" if r.selection.demo else "false"
    scoped = [("criterion", f) for f in r.found.criteria] + [("overall", r.found.overall)]
    for scope, f in scoped:
        a, b = f.alpha_ordinal, f.alpha_interval
        note = "; ".join(n for n in (a.note, b.note) if n)
        rows.append(
            [
                scope,
                *spreadsheet_row([f.framework, f.criterion, f.title]),
                f.units,
                f.ratings,
                f.not_observed,
                _num(f.exact),
                _num(f.within_one),
                _num(a.value),
                *_ci(a),
                _num(b.value),
                *_ci(b),
                "",
                "",
                "",
                "",
                "",
                spreadsheet_row([note])[0],
                demo,
            ]
        )
    for scope, f in [("overall", r.found.overall)] + [("criterion", f) for f in r.found.criteria]:
        for p in f.pairs:
            rows.append(
                [
                    f"kappa {scope}",
                    *spreadsheet_row([f.framework, f.criterion, f.title]),
                    p.units,
                    "",
                    "",
                    *[""] * 8,
                    *spreadsheet_row(p.observers),
                    _num(p.kappa.value),
                    *_ci(p.kappa),
                    spreadsheet_row([p.kappa.note])[0],
                    demo,
                ]
            )
    return rows


def to_csv(r: AgreementReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEAD)
    writer.writerows(csv_rows(r))
    return out.getvalue()


def _line(f: Figures, title_w: int) -> str:
    e = escape_controls
    crit = e(f.criterion) or "all"
    return (
        f"{crit:<9} {shorten(e(f.title), title_w):<{title_w}} {f.units:>5} {pct(f.exact):>5}"
        f" {pct(f.within_one):>5}  {fmt_estimate(f.alpha_ordinal):<22}"
        f" {fmt_estimate(f.alpha_interval)}"
    )


def to_table(r: AgreementReport, width: int = 100) -> str:
    """The figures for a terminal, user text escaped, one line each."""
    e = escape_controls
    f = r.found
    lines = [wrapped for note in r.notes() for wrapped in textwrap.wrap(note, max(40, width))]
    if not f.overall.units:
        lines.append(
            "No co-observed units: no finished sessions share a calibration id with another"
            " finished one under these filters."
        )
        return "\n".join(lines)
    title_w = max(10, width - 75)  # the rest holds two estimates, negative ends and all
    head = (
        f"{'criterion':<9} {'title':<{title_w}} {'units':>5} {'exact':>5} {'±1':>5}"
        f"  {'alpha ordinal (95%)':<22} alpha interval (95%)"
    )
    lines += ["", "== agreement per criterion, lowest first", "", head]
    lines += [_line(c, title_w) for c in f.criteria]
    lines += ["", _line(f.overall, title_w)]
    if f.overall.pairs:
        lines += ["", "== kappa (quadratic weights) per pair of observers, all criteria", ""]
        w = max(10, *(len(e(x)) for p in f.overall.pairs for x in p.observers))
        lines.append(f"{'observer':<{w}} {'observer':<{w}} {'units':>5}  kappa (95%)")
        for p in f.overall.pairs:
            a, b = (e(x) for x in p.observers)
            lines.append(f"{a:<{w}} {b:<{w}} {p.units:>5}  {fmt_estimate(p.kappa)}")
    lines += ["", *textwrap.wrap(EXPLAINED, max(40, width))]
    return "\n".join(lines)


# ---------------------------------------------------------------- export file names


def export_name(r: AgreementReport, ext: str, today: Any = None) -> str:
    """``agreement_wave-2_demo_2026-11-22.pdf``: what was counted, never a person's name."""
    from observe.report.collated import _slug
    from observe.report.render import report_date

    f = r.filters
    parts = ["agreement"]
    parts.append("wave-" + "-".join(_slug(w, 8) for w in f.waves) if f.waves else "all-waves")
    for key in ("region", "partner", "mode", "framework"):
        value = getattr(f, key)
        if value:
            parts.append(f"{key}-{_slug(value)}")
    if r.names:
        parts.append("names")
    if r.selection.demo:
        parts.append("demo")
    parts.append((today or report_date()).isoformat())
    return "_".join(p for p in parts if p) + "." + ext
