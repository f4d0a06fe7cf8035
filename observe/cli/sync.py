"""``observe sync [--status]``: publish what changed, merge what arrived in the team folder.

pyrage and cryptography load only when the command runs (imports inside it), as for the
team commands.
"""

from __future__ import annotations

import click

from observe.cli.common import say, workspace_of
from observe.store.workspace import Workspace


@click.command("sync")
@click.option(
    "--status", is_flag=True, help="Say what is waiting to go and what arrived; change nothing."
)
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary and problems.")
@click.pass_context
def sync_cmd(ctx: click.Context, status: bool, quiet: bool) -> None:
    """Publish what changed here and merge what arrived in the team folder.

    When the team folder is a git clone with a remote, also commit your own part, pull and
    push. Every line says what happened to one file; refused files are shown at every sync.
    """
    workspace = workspace_of(ctx)
    if status:
        show_status(workspace)
        return
    sync_and_report(workspace, quiet=quiet)


def sync_and_report(workspace: Workspace, *, quiet: bool = False) -> None:
    from observe.services.sync import run_sync

    report = run_sync(workspace)
    for line in report.messages:
        if not quiet or not line.startswith(("published", "merged")):
            say(line, err=line.startswith("refused"))
    if report.git:
        say(report.git, err="failed" in report.git)
    say(f"sync: {report.summary()}")


def show_status(workspace: Workspace) -> None:
    from observe.services.sync import sync_status

    status = sync_status(workspace)
    for line in status.messages:
        say(line)
    if status.git:
        say(status.git)
    say(f"sync status: {status.summary()}")


COMMANDS = [sync_cmd]
