"""observe focus: a facilitator's focus and self-assessment for their next observation.

observe focus set --criterion R1 --hope "..." [--criterion R3 --hope ...] [--overall TEXT]
observe focus show [NAME] [--format text|json]
observe focus clear [--for NAME]
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from observe.cli.common import Group, say, workspace_of
from observe.core.errors import UsageError
from observe.core.untrusted import escape_controls, json_text

FOR = click.option(
    "--for",
    "facilitator",
    metavar="NAME",
    help="The facilitator it is for (default: you, in a team).",
)


class _InOrder(click.Command):
    """Keeps the order in which --criterion and --hope were typed (click gathers each option
    on its own), so each hope goes with the criterion just before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _opts, _rest, order = self.make_parser(ctx).parse_args(args=list(args))
        ctx.meta["focus.order"] = [p.name for p in order if p.name in ("criteria", "hopes")]
        return super().parse_args(ctx, args)


def paired(order: Sequence[str], criteria: Sequence[str], hopes: Sequence[str]) -> list[str]:
    """The hope for each criterion ("" where none followed it), by the order typed."""
    out: list[str] = []
    c = h = 0
    for name in order:
        if name == "criteria":
            out.append("")
            c += 1
        else:
            if c == 0 or out[c - 1]:
                raise UsageError("each --hope follows the --criterion it is about")
            out[c - 1] = hopes[h] or " "  # an empty hope still takes its place
            h += 1
    return [text.strip() for text in out]


@click.group("focus", cls=Group)
def focus_group() -> None:
    """What a facilitator would like looked at in their next observation, in their own words."""


@focus_group.command("set", cls=_InOrder)
@click.option(
    "--criterion", "criteria", multiple=True, metavar="ID", help="A criterion to look at."
)
@click.option(
    "--hope",
    "hopes",
    multiple=True,
    metavar="TEXT",
    help="What you hope to show (after --criterion).",
)
@click.option(
    "--overall", default="", metavar="TEXT", help="Anything else your observer should know."
)
@click.option(
    "--framework", "framework_id", metavar="ID", help="Framework id (default: good-facilitation)."
)
@FOR
@click.option(
    "--to", "to", multiple=True, metavar="NAME", help="In a team: a member who may read it too."
)
@click.pass_context
def focus_set(
    ctx: click.Context,
    criteria: Sequence[str],
    hopes: Sequence[str],
    overall: str,
    framework_id: str | None,
    facilitator: str | None,
    to: Sequence[str],
) -> None:
    """Write your focus for your next observation (it replaces the one written before)."""
    from observe.services import focus

    written = focus.write(
        workspace_of(ctx),
        criteria=criteria,
        hopes=paired(ctx.meta.get("focus.order", []), criteria, hopes),
        overall=overall,
        framework_id=framework_id,
        facilitator=facilitator,
        to=to,
    )
    a = written.assessment
    say(f"Focus for {escape_controls(a.name)}'s next observation: {', '.join(a.criteria)}")
    if written.published is not None:
        readers = ", ".join(escape_controls(n) for n in written.readers) or "only you"
        say(f"Published in the team folder for: {readers} (each gets it when they sync)")


@focus_group.command("show")
@click.argument("name", required=False, metavar="[NAME]")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def focus_show(ctx: click.Context, name: str | None, fmt: str) -> None:
    """Show the focus waiting for NAME's next observation (default: yours)."""
    from observe.services import focus

    ws = workspace_of(ctx)
    found = focus.show(ws, name)
    if fmt == "json":
        say(json_text(found.dump() if found else None))
        return
    if found is None:
        say("No focus written yet. Write one with: observe focus set --criterion ID --hope TEXT")
        return
    say(focus.as_text(ws, found))


@focus_group.command("clear")
@FOR
@click.pass_context
def focus_clear(ctx: click.Context, facilitator: str | None) -> None:
    """Forget the focus written for the next observation (and withdraw it from the team)."""
    from observe.services import focus

    gone = focus.clear(workspace_of(ctx), facilitator)
    say("Focus cleared." if gone else "There was no focus to clear.")


COMMANDS = [focus_group]
