"""A collation run over a workspace (refresh the index, resolve the filters, count), and
its export: the same for the app and the command line."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date as Date
from pathlib import Path

from observe.core.calibration import counted_once
from observe.core.collate import Filters, select
from observe.core.frameworks import load_all
from observe.core.gcpause import gc_paused
from observe.report.collated import (
    Collation,
    export_name,
    gather,
    resolve_facilitator,
    to_csv,
    to_json,
    to_table,
)
from observe.services.sessions import refresh_index
from observe.store.output import write_free
from observe.store.secret import KeyCannotBeMade, workspace_secret
from observe.store.vouched import vouched
from observe.store.workspace import Workspace


def gather_workspace(
    workspace: Workspace,
    filters: Filters,
    by: Sequence[str] = (),
    names: bool = False,
    today: Date | None = None,
) -> Collation:
    caveats = []
    try:
        secret = workspace_secret(workspace)
    except KeyCannotBeMade as exc:
        # A workspace that cannot hold a key (read-only) is still read: its codes are keyed
        # with a key made for this output alone, and the output says so.
        secret = secrets.token_bytes(32)
        caveats.append(f"The codes hold for this output only: {exc}.")
    with gc_paused():  # index entries and the counting: many small, acyclic objects
        # A co-observed delivery counts once for its facilitators (observe.core.calibration).
        # Rows of actions are counted as their files hold them (a hand-edited index is not).
        every = vouched(workspace, refresh_index(workspace), secret)
        entries, co_observed = counted_once(every)
        if co_observed:
            caveats.append(
                f"{co_observed} co-observed session{'s' if co_observed > 1 else ''} left out:"
                " a delivery observed by several counts once, as its agreed record (the first"
                " observer's until they agree; none while one still observes)."
            )
        if filters.facilitator:
            found = resolve_facilitator(entries, filters.facilitator, secret)
            filters = Filters(**{**filters.__dict__, "facilitator": found})
        frameworks = list(load_all(workspace.criteria_dir).frameworks.values())
        collation = gather(entries, frameworks, filters, by, names, secret=secret, today=today)
        # Agreement reads each observer's own ratings, not the delivery counted once.
        collation.raters = select(every, filters, secret=secret)
    collation.caveats += caveats
    return collation


def collation_bytes(c: Collation, fmt: str) -> bytes:
    """The collation as a file: "pdf", "xlsx", "csv", "json" or "table" (text)."""
    if fmt == "xlsx":  # the leads' workbook, with the agreement among the same sessions
        from observe.report.agreement import from_collation
        from observe.report.workbook import render as workbook

        return workbook(c, from_collation(c))
    if fmt == "pdf":
        from observe.report.collated_pdf import render

        return render(c)
    return {"table": to_table, "csv": to_csv, "json": to_json}[fmt](c).encode("utf-8")


def save_collation(workspace: Workspace, c: Collation, fmt: str) -> Path:
    """The collation in the exports folder, named for what was collated. Each export keeps
    its own file: a second one of the same collation on the same day gets "-2", "-3"..."""
    return write_free(workspace.exports_dir, export_name(c, fmt), collation_bytes(c, fmt))
