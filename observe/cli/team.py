"""The team commands: init, join, admit, list, lead, remove, key backup and restore.

pyrage and cryptography load only when one of these runs (every import of the team code is
inside a command), so the rest of the command line starts without them.
"""

from __future__ import annotations

from pathlib import Path

import click

from observe.cli.common import format_table, say, workspace_of
from observe.cli.completion import complete_members, complete_requests
from observe.core.errors import UsageError
from observe.core.readfile import read_regular
from observe.core.untrusted import json_text
from observe.store.output import check_target, write_output

FOLDER = click.Path(file_okay=False, path_type=Path)


@click.group("team")
def team_group() -> None:
    """A team folder shared through a cloud drive, Syncthing or git: members and keys."""


def _root(ctx: click.Context) -> Path:
    return workspace_of(ctx).root


def _warnings(state: object) -> None:
    """What the roster reading refused, and why: one line each, on stderr."""
    for line in getattr(state, "refused", []):
        say(f"observe: refused {line}", err=True)
    for line in getattr(state, "forks", []):
        say(f"observe: note {line}", err=True)


@team_group.command("init")
@click.argument("folder", type=FOLDER)
@click.option("--name", required=True, help="Your name as the team will see it.")
@click.pass_context
def init_cmd(ctx: click.Context, folder: Path, name: str) -> None:
    """Make FOLDER a team folder, with you as its first lead."""
    from observe.services import team

    state = team.init(_root(ctx), folder, name)
    say(f"{state.folder.root} is now a team folder; you are its first lead ({state.me}).")
    say("Members run: observe team join FOLDER --name NAME; then you run: observe team admit NAME")


@team_group.command("join")
@click.argument("folder", type=FOLDER)
@click.option("--name", required=True, help="Your name as the team will see it.")
@click.pass_context
def join_cmd(ctx: click.Context, folder: Path, name: str) -> None:
    """Ask to join the team of FOLDER; a lead admits you."""
    from observe.services import team

    state = team.join(_root(ctx), folder, name)
    say(f"Asked to join as {state.me}; a lead admits you with: observe team admit NAME")


@team_group.command("admit")
@click.argument("name", shell_complete=complete_requests)
@click.pass_context
def admit_cmd(ctx: click.Context, name: str) -> None:
    """Admit NAME, who asked to join, to the team (leads only)."""
    from observe.services import team

    state, request = team.admit(_root(ctx), name)
    _warnings(state)
    version = state.roster.version if state.roster else 0
    say(f"Admitted {request.name} ({request.keys.member_id}); roster version {version}.")


@team_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str) -> None:
    """The team's members and roles, from the roster a lead signed."""
    from observe.services import team

    state = team.refresh(_root(ctx))
    _warnings(state)
    roster = state.roster
    if roster is None:
        say(f"Waiting for a lead to admit you ({state.me}).")
        return
    pending = team.join_requests(state) if roster.is_lead(state.me) else []
    if fmt == "json":
        members = [
            {"id": m.id, "name": m.name, "role": m.role, "you": m.id == state.me}
            for m in roster.members
        ]
        asking = [{"id": r.keys.member_id, "name": r.name} for r in pending]
        say(json_text({"version": roster.version, "members": members, "asking": asking}))
        return
    rows = [[m.name, m.role + (" (you)" if m.id == state.me else ""), m.id] for m in roster.members]
    say(format_table(["Name", "Role", "Member id"], rows))
    for request in pending:
        say(f"Asking to join: {request.name} ({request.keys.member_id})")


@team_group.command("lead")
@click.argument("name", shell_complete=complete_members)
@click.pass_context
def lead_cmd(ctx: click.Context, name: str) -> None:
    """Make member NAME a lead (leads only)."""
    from observe.services import team

    state = team.make_lead(_root(ctx), name)
    say(f"{state.roster.find(name).name} is now a lead." if state.roster else "")


@team_group.command("remove")
@click.argument("name", shell_complete=complete_members)
@click.pass_context
def remove_cmd(ctx: click.Context, name: str) -> None:
    """Remove NAME from the team: nothing sealed from now on is readable by them."""
    from observe.services import team

    state = team.remove(_root(ctx), name)
    say(f"Removed {name} from the team (roster version {state.roster.version}).")


# ---------------------------------------------------------------- observe team key


@team_group.group("key")
def key_group() -> None:
    """This workspace's keys: a passphrase-protected backup, and restoring it."""


def _passphrase(path: Path | None, confirm: bool) -> str:
    if path is not None:
        try:
            raw = read_regular(path, 4096)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            text = raw.decode("utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path} is not UTF-8 text") from exc
        secret = text[0] if text else ""
    else:
        secret = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm)
    if not secret:
        raise UsageError("the passphrase is empty")
    return secret


PASSFILE = click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the passphrase from the first line of this file instead of asking.",
)


@key_group.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@PASSFILE
@click.pass_context
def backup_cmd(ctx: click.Context, out: Path, force: bool, passphrase_file: Path | None) -> None:
    """Write a passphrase-protected copy of this workspace's secret keys to --out."""
    from observe.store.team import keys

    workspace = workspace_of(ctx)
    check_target(out, workspace, force=force)  # before asking for a passphrase
    identity = keys.load_or_create(workspace.root)
    secret = _passphrase(passphrase_file, confirm=True)
    write_output(out, keys.backup(identity, secret), workspace, force=force)
    say(f"Keys of {identity.member_id} backed up to {out}; keep the passphrase safe.")


@key_group.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace keys this workspace already has.")
@PASSFILE
@click.pass_context
def restore_cmd(ctx: click.Context, file: Path, force: bool, passphrase_file: Path | None) -> None:
    """Put the keys from a backup made by `observe team key backup` in this workspace."""
    from observe.store.team import keys

    try:
        data = read_regular(file, 64 * 1024)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from exc
    secret = _passphrase(passphrase_file, confirm=False)
    identity = keys.restore(_root(ctx), data, secret, force=force)
    say(f"Restored the keys of {identity.member_id}.")


COMMANDS = [team_group]
