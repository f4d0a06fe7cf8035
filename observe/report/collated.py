"""The collated report: figures gathered from the index, as a table, CSV, JSON or PDF.

Gathering reads the workspace (index and frameworks); everything after it is pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from observe.core import collate
from observe.core.collate_actions import ActionFigures, action_figures
from observe.core.errors import UsageError
from observe.core.shorten import shorten
from observe.core.untrusted import escape_controls, json_text, spreadsheet_row

# The actions' figures: (heading, ActionFigures attribute).
ACTION_COLUMNS = (
    ("agreed", "agreed"),
    ("done", "done"),
    ("dropped", "dropped"),
    ("open", "open"),
    ("past date", "past"),
)


def _sessions(count: int, kind: str = "") -> str:
    return f"{count} {kind}session{'' if count == 1 else 's'}"


@dataclass
class Collation:
    filters: collate.Filters
    by: tuple[str, ...]
    names: bool
    selection: collate.Selection
    rows: list[collate.Row]
    change: dict[tuple[str, str], list[collate.WaveFigure]]
    coverage: collate.Coverage
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    # How a reader of this output asks for names: the command line's flag by default; the
    # app and printed reports say it in their own terms.
    names_hint: str = "--names shows names"
    # Said with the figures, e.g. that the codes hold for this output only.
    caveats: list[str] = field(default_factory=list)
    # The frameworks' order, titles and scales, for figures worked out later (agreement).
    catalog: collate.Catalog = field(default_factory=collate.Catalog)
    # Every observer's own session of the counted deliveries (agreement reads them; the
    # figures count a co-observed delivery once). None: the selection itself.
    raters: collate.Selection | None = None
    # What became of the actions agreed in these sessions, per facilitator (and in total).
    actions: list[ActionFigures] = field(default_factory=list)

    @property
    def sessions(self) -> int:
        return len(self.selection.entries)

    def notes(self) -> list[str]:
        """What a reader must know about what was counted."""
        out = []
        if self.selection.demo:
            out.append("DEMO DATA: only generated demo sessions are counted.")
        elif demo := self.selection.left_out_demo:
            out.append(f"{_sessions(demo, 'demo ')} left out (--demo counts only them).")
        if in_progress := self.selection.left_out_status:
            out.append(f"{_sessions(in_progress)} still in progress left out.")
        if not self.names:
            out.append(f"People are shown as pseudonymous codes ({self.names_hint}).")
        return out + self.caveats

    def short_notes(self) -> list[str]:
        """The same, briefly, for a status line in the app."""
        out = []
        if self.selection.demo:
            out.append("DEMO DATA only")
        elif self.selection.left_out_demo:
            out.append(f"{self.selection.left_out_demo} demo left out")
        if self.selection.left_out_status:
            out.append(f"{self.selection.left_out_status} in progress left out")
        out.append("names shown" if self.names else "people as codes")
        return out


def resolve_facilitator(entries: Sequence[Any], key: str, secret: bytes | None) -> str:
    """A facilitator id from an id, a name (case-insensitive) or a pseudonymous code (with
    the secret the codes are keyed with)."""
    people, _ = collate.people_in(e for e in entries if e.error is None)
    wanted = key.strip().lower()
    codes = collate.Pseudonyms(people, "F", secret=secret) if secret else None
    for pid, name in people.items():
        code = codes(pid).lower() if codes else None
        if wanted in (pid.lower(), name.lower(), code):
            return pid
    raise UsageError(f"no facilitator {key!r} in the sessions")


def gather(
    entries: Sequence[Any],
    frameworks: Sequence[Any],
    filters: collate.Filters,
    by: Sequence[str] = (),
    names: bool = False,
    *,
    secret: bytes | None = None,
    today: Date | None = None,
) -> Collation:
    """The figures; people as codes under ``secret`` (required unless ``names``); actions
    past their date as of ``today`` (the day it runs)."""
    catalog = collate.Catalog.of(frameworks)
    selection = collate.select(entries, filters, secret=secret)
    fac = filters.facilitator
    rows, by_wave = collate.collate_with_waves(selection, by, catalog, names, facilitator=fac)
    return Collation(
        filters=filters,
        by=tuple(by),
        names=names,
        selection=selection,
        rows=rows,
        change=collate.wave_change(selection, catalog, facilitator=fac, rows=by_wave),
        coverage=collate.coverage(selection, names),
        titles=catalog.titles,
        catalog=catalog,
        actions=action_figures(selection, today or Date.today(), names, facilitator=fac),
    )


# ---------------------------------------------------------------- text formats


def to_json(c: Collation) -> str:
    rows = [r.to_json(c.selection.demo) for r in c.rows]
    return json_text(rows)


def level_keys(rows: Sequence[collate.Row]) -> list[str]:
    return sorted({k for r in rows for k in r.levels}, key=lambda k: (len(k), k))


def to_csv(c: Collation) -> str:
    levels = level_keys(c.rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            *c.by,
            "framework",
            "criterion",
            "title",
            "n",
            "not_observed",
            "mean",
            *(f"level_{k}" for k in levels),
            "demo",
        ]
    )
    for r in c.rows:
        writer.writerow(
            [
                # Text from the sessions and frameworks is neutralised; the figures are not.
                *spreadsheet_row(r.group[k] for k in c.by),
                *spreadsheet_row([r.framework, r.criterion, r.title]),
                r.n,
                r.not_observed,
                "" if r.mean is None else f"{r.mean:.3f}",
                *(r.levels.get(k, 0) for k in levels),
                "true" if c.selection.demo else "false",
            ]
        )
    return out.getvalue()


def levels_header(keys: Sequence[str]) -> str:
    """The heading over ``level_counts``: "n at 1·2·3·4" (ratings at each level)."""
    return "n at " + "·".join(keys)


def level_counts(levels: dict[str, int], keys: Sequence[str]) -> str:
    """How many ratings were at each level, in the order of ``keys``: "3·10·30·16"."""
    return "·".join(str(levels.get(k, 0)) for k in keys)


def fmt_mean(mean: float | None) -> str:
    return "–" if mean is None else f"{mean:.2f}"


def to_table(c: Collation, width: int = 100) -> str:
    """The figures for a terminal: user text (titles, names, groups) shows control characters
    as escapes, one line each."""
    e = escape_controls
    lines = [f"{c.sessions} session{'' if c.sessions == 1 else 's'} counted"]
    lines += c.notes()
    if not c.rows:
        lines.append("No ratings match these filters.")
        return "\n".join(lines + actions_table(c.actions))
    keys = level_keys(c.rows)
    head_dist = levels_header(keys)
    dist = {id(r): level_counts(r.levels, keys) for r in c.rows}
    dist_w = max(len(head_dist), *(len(d) for d in dist.values()))
    num_w = max(5, *(len(str(r.n)) for r in c.rows), *(len(str(r.not_observed)) for r in c.rows))
    title_width = max(10, width - 26 - 3 * num_w - dist_w)
    last_group: dict[str, str] | None = None
    for r in c.rows:
        if r.group != last_group:
            head = ", ".join(f"{k} {e(v)}" for k, v in r.group.items()) or "all sessions"
            lines += ["", f"== {head}", ""]
            lines.append(
                f"{'criterion':<9} {'title':<{title_width}} {'n':>{num_w}} {'n/o':>{num_w}}"
                f" {'mean':>{num_w}}  {head_dist}"
            )
            last_group = r.group
        title = shorten(e(r.title), title_width)
        lines.append(
            f"{e(r.criterion):<9} {title:<{title_width}} {r.n:>{num_w}} {r.not_observed:>{num_w}}"
            f" {fmt_mean(r.mean):>{num_w}}  {dist[id(r)]}"
        )
    if len(c.coverage.waves) > 1:
        lines += ["", "== change across waves (mean, (n), change from the wave before)", ""]
        lines += change_table(c)
    lines += ["", "== coverage (sessions observed per wave)", ""]
    lines.append(f"{'facilitator':<24}" + "".join(f"{e(w):>8}" for w in c.coverage.waves))
    for fac in c.coverage.facilitators:
        counts = c.coverage.per_wave.get(fac, {})
        lines.append(f"{e(fac):<24}" + "".join(f"{counts.get(w, 0):>8}" for w in c.coverage.waves))
    for wave, missing in c.coverage.not_observed.items():
        if missing:
            names = ", ".join(e(m) for m in missing)
            lines.append(f"not yet observed in wave {e(wave)}: {names}")
    return "\n".join(lines + actions_table(c.actions))


def actions_table(figures: Sequence[ActionFigures]) -> list[str]:
    """The actions' section of the table: what became of them, per facilitator."""
    if not figures:
        return []
    head = f"{'facilitator':<24}" + "".join(f"{h:>10}" for h, _ in ACTION_COLUMNS)
    lines = ["", "== agreed actions followed up", "", head]
    for f in figures:
        cells = [getattr(f, key) for _, key in ACTION_COLUMNS]
        label = shorten(escape_controls(f.facilitator), 24)
        lines.append(f"{label:<24}" + "".join(f"{n:>10}" for n in cells))
    return lines


def change_cells(figures: Sequence[collate.WaveFigure]) -> list[tuple[str, str, str]]:
    """(mean, "(n)", change) per wave, each part to be aligned on its own."""
    return [
        (fmt_mean(f.mean), f"({f.n})", "" if f.change is None else f"{f.change:+.2f}")
        for f in figures
    ]


def change_table(c: Collation, gap: str = "   ") -> list[str]:
    """One column per wave, each with its mean, (n) and change aligned, columns apart."""
    rows = [(escape_controls(crit), change_cells(f)) for (_, crit), f in c.change.items()]
    crit_w = max(9, *(len(crit) for crit, _ in rows)) if rows else 9
    parts: list[list[int]] = []
    for j in range(len(c.coverage.waves)):
        cells = [cells[j] for _, cells in rows if j < len(cells)]
        parts.append([max([0, *(len(cell[i]) for cell in cells)]) for i in range(3)])
    waves = [escape_controls(w) for w in c.coverage.waves]
    widths = [max(len(f"wave {w}"), sum(p) + 2) for w, p in zip(waves, parts, strict=True)]

    def cell(j: int, value: tuple[str, str, str]) -> str:
        text = " ".join(f"{v:>{w}}" for v, w in zip(value, parts[j], strict=True) if w)
        return f"{text:>{widths[j]}}"

    out = [
        f"{'criterion':<{crit_w}}"
        + "".join(gap + f"{'wave ' + w:>{widths[j]}}" for j, w in enumerate(waves))
    ]
    for crit, cells in rows:
        out.append(f"{crit:<{crit_w}}" + "".join(gap + cell(j, v) for j, v in enumerate(cells)))
    return out


# ---------------------------------------------------------------- export file names


def _slug(text: str, limit: int = 24) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in out.split("-") if part)[:limit].strip("-")


def export_name(c: Collation, ext: str, today: Any = None) -> str:
    """A file name saying what was collated: grouping, filters, demo, date.

    ``collated_by-wave_wave-2_mode-online_demo_2026-11-22.pdf``. A facilitator filter is
    named by code, never by name.
    """
    from observe.report.render import report_date

    f = c.filters
    parts = ["collated"]
    if c.by:
        parts.append("by-" + "-".join(_slug(k) for k in c.by))
    parts.append("wave-" + "-".join(_slug(w, 8) for w in f.waves) if f.waves else "all-waves")
    for key in ("region", "partner", "mode", "framework"):
        value = getattr(f, key)
        if value:
            parts.append(f"{key}-{_slug(value)}")
    if f.facilitator:
        secret = c.selection.secret
        code = collate.code_for(f.facilitator, "F", secret) if secret else "F-named"
        parts.append("facilitator-" + code.lower())
    if c.names:
        parts.append("names")
    if c.selection.demo:
        parts.append("demo")
    parts.append((today or report_date()).isoformat())
    return "_".join(p for p in parts if p) + "." + ext
