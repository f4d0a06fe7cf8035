"""Shell completion of people's names from the team's roster (click ``shell_complete``).

Completion runs on every Tab press, so it only reads: it finds the workspace as the command
would (without making one), and offers nothing, silently, when anything goes wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from observe.core.untrusted import has_controls


def _workspace_root(ctx: click.Context) -> Path | None:
    option = ctx.find_root().params.get("workspace")
    if option:
        return Path(option).expanduser()
    env = os.environ.get("OBSERVE_HOME")
    if env:
        return Path(env).expanduser()
    here = Path.cwd()
    if (here / "criteria").is_dir() or (here / "sessions").is_dir():
        return here
    from observe.store.workspace import default_data_dir

    return Path(default_data_dir())


def _items(
    names: list[str], incomplete: str, help_of: Callable[[str], str]
) -> list[CompletionItem]:
    wanted = incomplete.casefold()
    return [
        CompletionItem(name, help=help_of(name))
        for name in names
        if not has_controls(name) and name.casefold().startswith(wanted)
    ]


def complete_members(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The current members' names, for --facilitator, --observer and --to."""
    try:
        from observe.services.team_people import team_people

        root = _workspace_root(ctx)
        people = team_people(root) if root is not None else None
        if people is None:
            return []
        roles = {p.name: p.role + (" (you)" if p.you else "") for p in people.people}
        return _items(people.names(), incomplete, roles.__getitem__)
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_requests(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The names of people asking to join, for ``observe team admit`` (leads only)."""
    try:
        from observe.services.team_view import asking_names

        root = _workspace_root(ctx)
        names = asking_names(root) if root is not None else []
        return _items(names, incomplete, lambda _: "asking to join")
    except Exception:
        return []
