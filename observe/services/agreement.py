"""An agreement run over a workspace (refresh the index, count), and its export: the same for
the app and the command line."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from observe.core.collate import Filters
from observe.core.frameworks import load_all
from observe.report.agreement import AgreementReport, export_name, gather, to_csv, to_json, to_table
from observe.services.sessions import refresh_index
from observe.store.output import write_free
from observe.store.secret import KeyCannotBeMade, workspace_secret
from observe.store.workspace import Workspace


def gather_workspace(
    workspace: Workspace, filters: Filters, names: bool = False
) -> AgreementReport:
    caveats = []
    try:
        secret = workspace_secret(workspace)
    except KeyCannotBeMade as exc:  # a read-only workspace: codes for this output alone
        secret = secrets.token_bytes(32)
        caveats.append(f"The codes hold for this output only: {exc}.")
    entries = refresh_index(workspace)
    frameworks = list(load_all(workspace.criteria_dir).frameworks.values())
    report = gather(entries, frameworks, filters, names, secret=secret)
    report.caveats += caveats
    return report


def agreement_bytes(r: AgreementReport, fmt: str) -> bytes:
    """The report as a file: "pdf", "csv", "json" or "table" (text)."""
    if fmt == "pdf":
        from observe.report.agreement_pdf import render

        return render(r)
    return {"table": to_table, "csv": to_csv, "json": to_json}[fmt](r).encode("utf-8")


def save_agreement(workspace: Workspace, r: AgreementReport, fmt: str) -> Path:
    """The report in the exports folder, named for what was counted; nothing replaced."""
    return write_free(workspace.exports_dir, export_name(r, fmt), agreement_bytes(r, fmt))


def of_collation(c: Any) -> AgreementReport:
    """The agreement among the sessions a collation counted, for the collate screen."""
    from observe.report.agreement import from_collation

    return from_collation(c)
