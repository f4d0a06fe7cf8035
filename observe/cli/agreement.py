"""``observe agreement``: how far co-observers of the same delivery agree, per criterion."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from observe.cli.common import MODES, say, workspace_of
from observe.core.collate import Filters
from observe.core.errors import UsageError


@click.command("agreement")
@click.option("--wave", "waves", multiple=True, metavar="W", help="Repeatable.")
@click.option("--region", metavar="R")
@click.option("--partner", metavar="P")
@click.option("--mode", type=click.Choice(MODES))
@click.option("--framework", "framework_id", metavar="ID")
@click.option("--demo", is_flag=True, help="Count only demo sessions (never mixed with real).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "pdf"]),
    default="table",
    show_default=True,
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here (a new file).")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--names", is_flag=True, help="Show observers' names instead of codes.")
@click.pass_context
def agreement_cmd(
    ctx: click.Context,
    waves: Sequence[str],
    region: str | None,
    partner: str | None,
    mode: str | None,
    framework_id: str | None,
    demo: bool,
    fmt: str,
    out: Path | None,
    force: bool,
    names: bool,
) -> None:
    """Agreement between co-observers (sessions sharing a calibration id), per criterion.

    Units, exact and within-one-level agreement, Krippendorff's alpha (ordinal, interval) and
    quadratic-weighted kappa per pair of observers, with 95% bootstrap intervals; the
    criteria with the lowest agreement first.
    """
    from observe.services.agreement import agreement_bytes, gather_workspace, save_agreement
    from observe.store import output

    ws = workspace_of(ctx)
    if out is not None:  # refused before any work is done
        output.check_target(out, ws, force=force)
    filters = Filters(
        waves=tuple(waves),
        region=region,
        partner=partner,
        mode=mode,
        framework=framework_id,
        demo=demo,
    )
    report = gather_workspace(ws, filters, names)
    if fmt == "pdf":
        if not report.found.overall.units:
            raise UsageError("no co-observed units match these filters; no PDF written")
        data = agreement_bytes(report, "pdf")
        if out is None:
            target = save_agreement(ws, report, "pdf")
        else:
            target = output.write_output(out, data, ws, force=force)
        say(str(target))
        return
    text = agreement_bytes(report, fmt).decode("utf-8")
    if fmt != "table":  # the table carries these itself; CSV and JSON stay machine-readable
        for note in report.notes():
            say(f"observe: {note}", err=True)
    if out is None:
        say(text, nl=not text.endswith("\n"))
    else:
        say(str(output.write_output(out, text.encode("utf-8"), ws, force=force)))


COMMANDS = [agreement_cmd]
