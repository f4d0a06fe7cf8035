"""What every command shares: the group that turns errors into one line, the workspace."""

from __future__ import annotations

import sys
from typing import Any

import click

from observe.core.errors import ObserveError
from observe.core.untrusted import escape_controls
from observe.store.workspace import Workspace, resolve

MODES = ["in_person", "online", "hybrid"]


def say(text: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print text that may carry user text: control characters show as escapes, never run.

    Every line the command line prints goes through here; newlines are kept (tables escape
    the newlines inside their cells themselves, so a cell cannot start a new row).
    """
    click.echo(escape_controls(str(text), newlines=True), err=err, nl=nl)


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns aligned; every cell on one line, its control characters shown as escapes."""
    cells = [[escape_controls(str(c)) for c in row] for row in rows]
    widths = [max(len(c) for c in col) for col in zip(headers, *cells, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    for row in cells:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(out)


class Group(click.Group):
    """Every expected failure is one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ObserveError as exc:
            say(f"observe: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (BrokenPipeError, KeyboardInterrupt):
            ctx.exit(1)
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            say(f"observe: {exc.strerror or exc}{where}", err=True)
            ctx.exit(1)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's own usage errors print several lines; ours are one, with where to look."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            say(f"observe: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            say(f"observe: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            say("observe: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def workspace_of(ctx: click.Context) -> Workspace:
    obj = ctx.ensure_object(dict)
    if "workspace" not in obj:
        obj["workspace"] = resolve(obj.get("workspace_option"))
    return obj["workspace"]


def run_app(workspace: Workspace, **options: Any) -> None:
    from observe.app.application import make_app

    app = make_app(workspace, **options)
    app.run()
    for note in app.exit_notes:  # where unsaved changes went, if anywhere but their file
        say(note, err=True)
    if app.return_code:
        sys.exit(app.return_code)
