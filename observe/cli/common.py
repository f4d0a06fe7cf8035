"""What every command shares: the group that turns errors into one line, the workspace."""

from __future__ import annotations

import sys
from typing import Any

import click

from observe.core.errors import ObserveError
from observe.store.workspace import Workspace, resolve

MODES = ["in_person", "online", "hybrid"]


class Group(click.Group):
    """Every expected failure is one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ObserveError as exc:
            click.echo(f"observe: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (BrokenPipeError, KeyboardInterrupt):
            ctx.exit(1)
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            click.echo(f"observe: {exc.strerror or exc}{where}", err=True)
            ctx.exit(1)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's own usage errors print several lines; ours are one, with where to look."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"observe: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"observe: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("observe: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def workspace_of(ctx: click.Context) -> Workspace:
    obj = ctx.ensure_object(dict)
    if "workspace" not in obj:
        obj["workspace"] = resolve(obj.get("workspace_option"))
    return obj["workspace"]
