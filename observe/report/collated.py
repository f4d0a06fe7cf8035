"""The collated report: figures gathered from the index, as a table, CSV, JSON or PDF.

Gathering reads the workspace (index and frameworks); everything after it is pure.
"""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from observe import collate
from observe.errors import UsageError

BAR_WIDTH = 20


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

    @property
    def sessions(self) -> int:
        return len(self.selection.entries)

    def notes(self) -> list[str]:
        """What a reader must know about what was counted."""
        out = []
        if self.selection.demo:
            out.append("DEMO DATA: only generated demo sessions are counted.")
        elif self.selection.left_out_demo:
            out.append(
                f"{self.selection.left_out_demo} demo sessions left out (--demo counts only them)."
            )
        if self.selection.left_out_status:
            out.append(f"{self.selection.left_out_status} sessions still in progress left out.")
        if not self.names:
            out.append("People are shown as pseudonymous codes (--names shows names).")
        return out

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


def resolve_facilitator(entries: Sequence[Any], key: str) -> str:
    """A facilitator id from an id, a name (case-insensitive) or a pseudonymous code."""
    people, _ = collate.people_in(e for e in entries if e.error is None)
    wanted = key.strip().lower()
    codes = collate.Pseudonyms(people, "F")
    for pid, name in people.items():
        if wanted in (pid.lower(), name.lower(), codes(pid).lower()):
            return pid
    raise UsageError(f"no facilitator {key!r} in the sessions")


def gather(
    entries: Sequence[Any],
    frameworks: Sequence[Any],
    filters: collate.Filters,
    by: Sequence[str] = (),
    names: bool = False,
) -> Collation:
    catalog = collate.Catalog.of(frameworks)
    selection = collate.select(entries, filters)
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
    )


def gather_workspace(
    workspace: Any, filters: collate.Filters, by: Sequence[str] = (), names: bool = False
) -> Collation:
    from observe.frameworks import load_all
    from observe.sessions import refresh_index

    # Index entries and the counting make hundreds of thousands of small, acyclic objects;
    # the cyclic collector would walk them again and again, so it waits until we are done.
    paused = gc.isenabled()
    gc.disable()
    try:
        entries = refresh_index(workspace)
        if filters.facilitator:
            found = resolve_facilitator(entries, filters.facilitator)
            filters = collate.Filters(**{**filters.__dict__, "facilitator": found})
        frameworks = list(load_all(workspace.criteria_dir).frameworks.values())
        return gather(entries, frameworks, filters, by, names)
    finally:
        if paused:
            gc.enable()


# ---------------------------------------------------------------- text formats


def to_json(c: Collation) -> str:
    rows = [r.to_json(c.selection.demo) for r in c.rows]
    return json.dumps(rows, indent=2, ensure_ascii=False)


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
                *(r.group[k] for k in c.by),
                r.framework,
                r.criterion,
                r.title,
                r.n,
                r.not_observed,
                "" if r.mean is None else f"{r.mean:.3f}",
                *(r.levels.get(k, 0) for k in levels),
                "true" if c.selection.demo else "false",
            ]
        )
    return out.getvalue()


def bar(levels: dict[str, int], width: int = BAR_WIDTH) -> str:
    """A text distribution: one run of a digit per level, in proportion ("1122223333")."""
    total = sum(levels.values())
    if not total:
        return "·" * width
    out = ""
    used = 0
    acc = 0
    for key, count in levels.items():
        acc += count
        upto = round(acc * width / total)
        out += key[-1] * (upto - used)
        used = upto
    return out


def fmt_mean(mean: float | None) -> str:
    return "–" if mean is None else f"{mean:.2f}"


def to_table(c: Collation, width: int = 100) -> str:
    lines = [f"{c.sessions} sessions counted"]
    lines += c.notes()
    if not c.rows:
        lines.append("No ratings match these filters.")
        return "\n".join(lines)
    title_width = max(10, width - 64 - sum(len(k) + 2 for k in c.by))
    last_group: dict[str, str] | None = None
    for r in c.rows:
        if r.group != last_group:
            head = ", ".join(f"{k} {v}" for k, v in r.group.items()) or "all sessions"
            lines += ["", f"== {head}", ""]
            lines.append(
                f"{'criterion':<8} {'title':<{title_width}} {'n':>5} {'n/o':>5} {'mean':>5}"
                f"  distribution"
            )
            last_group = r.group
        title = r.title if len(r.title) <= title_width else r.title[: title_width - 1] + "…"
        lines.append(
            f"{r.criterion:<8} {title:<{title_width}} {r.n:>5} {r.not_observed:>5}"
            f" {fmt_mean(r.mean):>5}  {bar(r.levels)}"
        )
    if len(c.coverage.waves) > 1:
        lines += ["", "== change across waves (mean, n)", ""]
        lines.append(f"{'criterion':<10}" + "".join(f"{'wave ' + w:>16}" for w in c.coverage.waves))
        for (_, crit), figures in c.change.items():
            cells = []
            for f in figures:
                delta = "" if f.change is None else f" {f.change:+.2f}"
                cells.append(f"{fmt_mean(f.mean)} ({f.n}){delta}".rjust(16))
            lines.append(f"{crit:<10}" + "".join(cells))
    lines += ["", "== coverage (sessions observed per wave)", ""]
    lines.append(f"{'facilitator':<24}" + "".join(f"{w:>8}" for w in c.coverage.waves))
    for fac in c.coverage.facilitators:
        counts = c.coverage.per_wave.get(fac, {})
        lines.append(f"{fac:<24}" + "".join(f"{counts.get(w, 0):>8}" for w in c.coverage.waves))
    for wave, missing in c.coverage.not_observed.items():
        if missing:
            lines.append(f"not yet observed in wave {wave}: {', '.join(missing)}")
    return "\n".join(lines)


def to_json_full(c: Collation) -> dict[str, Any]:
    """Everything, for the screen and the PDF: rows, change and coverage."""
    return {
        "rows": [r.to_json(c.selection.demo) for r in c.rows],
        "coverage": c.coverage.to_json(),
        "notes": c.notes(),
    }
