"""observe portfolio: one facilitator's observations across waves, as their record of growth.

WeasyPrint loads only for ``--format pdf``.
"""

from __future__ import annotations

from pathlib import Path

import click

from observe.cli.common import say, workspace_of
from observe.cli.completion import complete_members


@click.command("portfolio")
@click.argument("name", metavar="NAME", shell_complete=complete_members)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "pdf"]),
    default="text",
    show_default=True,
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here (a new file).")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--names", is_flag=True, help="Show people's names instead of codes.")
@click.option("--demo", is_flag=True, help="Read only demo sessions (never mixed with real).")
@click.pass_context
def portfolio_cmd(
    ctx: click.Context, name: str, fmt: str, out: Path | None, force: bool, names: bool, demo: bool
) -> None:
    """Every finished observation of NAME (a name or id) across waves: ratings over time,
    recurring strengths and themes to develop with their evidence, agreed actions and what
    became of them, their reflections and what they hoped to show.

    Your own (this workspace's team member) shows names; anyone else's shows people as
    pseudonymous codes unless --names.
    """
    from observe.report.portfolio_text import to_json, to_text
    from observe.services import portfolio
    from observe.store import output

    ws = workspace_of(ctx)
    if out is not None:  # refused before any work is done
        output.check_target(out, ws, force=force)
    found = portfolio.portfolio_of(ws, name, demo=demo, names=names)
    if fmt == "pdf":
        say(str(portfolio.save_pdf(ws, found, out, force)))
        return
    text = to_json(found) if fmt == "json" else to_text(found)
    if out is None:
        say(text, nl=False)
    else:
        say(str(output.write_output(out, text.encode("utf-8"), ws, force=force)))


COMMANDS = [portfolio_cmd]
