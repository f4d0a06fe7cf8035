"""observe rota: plan who observes whom in a wave, adjust, publish, and follow it up.

The solver (OR-Tools) and the calendar package load only in the commands that use them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date
from datetime import datetime
from pathlib import Path

import click

from observe.cli.common import Group, format_table, say, workspace_of
from observe.core.errors import UsageError

WAVE = click.option("--wave", "wave", required=True, metavar="W", help="The wave, e.g. 2.")


def _date(text: str | None, what: str) -> Date | None:
    if text is None:
        return None
    try:
        return Date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} must be a date as YYYY-MM-DD, not {text!r}") from None


def _today(ctx: click.Context) -> Date:
    return ctx.ensure_object(dict).get("rota_today") or Date.today()


def _show(ctx: click.Context, wave: str) -> None:
    """The wave's plan as it now stands, and any rule it breaks (on stderr)."""
    from observe.report.rota import HEADERS, cells
    from observe.services.rota import overview

    for found in overview(workspace_of(ctx), wave, _today(ctx)).waves:
        say(format_table(HEADERS, [cells(r) for r in found.rows]))
        for breach in found.breaches:
            say(f"observe: warning: {breach}", err=True)


@click.group("rota", cls=Group, invoke_without_command=True)
@click.option("--wave", metavar="W", help="Only this wave (default: every wave with a rota).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "ics"]),
    default="table",
    show_default=True,
)
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.option("--today", hidden=True, help="Reckon due and overdue from this date.")
@click.pass_context
def rota_group(
    ctx: click.Context, wave: str | None, fmt: str, out: Path | None, force: bool, today: str | None
) -> None:
    """Who observes whom in each wave: done, due or overdue (a lead plans it with `plan`)."""
    ctx.ensure_object(dict)["rota_today"] = _date(today, "--today")
    if ctx.invoked_subcommand is not None:
        return
    from observe.report.rota import HEADERS, cells, to_csv, to_ics
    from observe.services.rota import overview
    from observe.store.output import write_output

    ws = workspace_of(ctx)
    seen = overview(ws, wave, _today(ctx))
    for line in seen.refused:
        say(f"observe: refused {line}", err=True)
    found = seen.waves
    rows = [r for w in found for r in w.rows]
    if fmt == "ics":
        data = to_ics(rows)
    elif fmt == "csv":
        data = to_csv(rows).encode("utf-8")
    elif not found:
        data = b"No rota yet. A lead plans one with: observe rota plan --wave W\n"
    else:
        parts = []
        for w in found:
            state = "draft, not published" if w.draft else f"published {w.plan.revision}"
            parts.append(
                f"Wave {w.plan.wave} ({state})\n"
                + format_table(HEADERS, [cells(r) for r in w.rows])
            )
        data = ("\n\n".join(parts) + "\n").encode("utf-8")
    if out is not None:
        say(str(write_output(out, data, ws, force=force)))
    elif fmt == "ics":  # a terminal shows CRLF as escapes: lines end in LF here, CRLF in --out
        say(data.decode("utf-8").replace("\r\n", "\n"), nl=False)
    else:
        say(data.decode("utf-8"), nl=False)
    for w in found:
        for breach in w.breaches:
            say(f"observe: warning: wave {w.plan.wave}: {breach}", err=True)


@rota_group.command("plan")
@WAVE
@click.option("--seed", type=int, default=1, show_default=True, help="Another seed, another plan.")
@click.option("--due", metavar="DATE", help="Due date where a delivery's date is not known.")
@click.option(
    "--co-facilitator-rule/--no-co-facilitator-rule",
    "cofacilitator",
    default=True,
    show_default=True,
    help="Nobody observes whom they co-deliver with.",
)
@click.option(
    "--coverage/--no-coverage",
    default=True,
    show_default=True,
    help="Everyone with a delivery is observed at least once.",
)
@click.option(
    "--balance/--no-balance",
    default=True,
    show_default=True,
    help="Everyone observes about as often as others.",
)
@click.option(
    "--spread",
    type=click.IntRange(0, 50),
    default=1,
    show_default=True,
    help="With --balance: the most and the fewest observations differ by at most this.",
)
@click.option(
    "--no-repeat/--allow-repeat",
    default=True,
    show_default=True,
    help="No observer-facilitator pair of the last wave again.",
)
@click.option(
    "--partner-weight",
    type=click.IntRange(0, 100),
    default=10,
    show_default=True,
    help="How much to avoid observing one's own delivery partner (0: not at all).",
)
@click.pass_context
def rota_plan(
    ctx: click.Context,
    wave: str,
    seed: int,
    due: str | None,
    cofacilitator: bool,
    coverage: bool,
    balance: bool,
    spread: int,
    no_repeat: bool,
    partner_weight: int,
) -> None:
    """Propose who observes whom in wave W and keep it as a draft to adjust and publish."""
    from observe.core.rota.model import Rules
    from observe.services.rota import plan

    rules = Rules(
        cofacilitator=cofacilitator,
        covered=coverage,
        balance=balance,
        spread=spread,
        no_repeat=no_repeat,
        cross_partner=partner_weight,
    )
    now = datetime.now().astimezone()
    made = plan(workspace_of(ctx), wave, rules, seed=seed, now=now, due=_date(due, "--due"))
    _show(ctx, made.wave)
    say(f"draft plan for wave {made.wave}: adjust with observe rota set/swap, then publish")


@rota_group.command("set")
@WAVE
@click.argument("assignment")
@click.option("--observer", metavar="NAME", help="The new observer.")
@click.option("--due", metavar="DATE", help="The new due date.")
@click.pass_context
def rota_set(
    ctx: click.Context, wave: str, assignment: str, observer: str | None, due: str | None
) -> None:
    """Change an assignment's observer or due date (ASSIGNMENT as shown: a3 or 3)."""
    from observe.core.rota import edit
    from observe.core.rota.model import Plan
    from observe.services.rota import adjust

    if observer is None and due is None:
        raise UsageError("say what to change: --observer NAME or --due DATE")
    when = _date(due, "--due")

    def change(p: Plan) -> Plan:
        if observer is not None:
            p = edit.set_observer(p, assignment, observer)
        return edit.set_due(p, assignment, when) if when else p

    adjust(workspace_of(ctx), wave, change)
    _show(ctx, wave)


@rota_group.command("swap")
@WAVE
@click.argument("first")
@click.argument("second")
@click.pass_context
def rota_swap(ctx: click.Context, wave: str, first: str, second: str) -> None:
    """Swap the observers of two assignments."""
    from observe.core.rota import edit
    from observe.services.rota import adjust

    adjust(workspace_of(ctx), wave, lambda p: edit.swap(p, first, second))
    _show(ctx, wave)


@rota_group.command("add")
@WAVE
@click.option("--observer", required=True, metavar="NAME")
@click.option("--facilitator", "facilitators", multiple=True, required=True, metavar="NAME")
@click.option("--due", metavar="DATE", help="Due date (default: the delivery's, or six weeks).")
@click.pass_context
def rota_add(
    ctx: click.Context, wave: str, observer: str, facilitators: Sequence[str], due: str | None
) -> None:
    """Add an assignment by hand."""
    from observe.core.rota import edit
    from observe.core.rota.solve import default_due
    from observe.services.rota import adjust

    when = _date(due, "--due") or default_due(_today(ctx))
    adjust(workspace_of(ctx), wave, lambda p: edit.add(p, observer, list(facilitators), due=when))
    _show(ctx, wave)


@rota_group.command("remove")
@WAVE
@click.argument("assignment")
@click.pass_context
def rota_remove(ctx: click.Context, wave: str, assignment: str) -> None:
    """Take an assignment out of the draft."""
    from observe.core.rota import edit
    from observe.services.rota import adjust

    adjust(workspace_of(ctx), wave, lambda p: edit.remove(p, assignment))
    _show(ctx, wave)


@rota_group.command("publish")
@WAVE
@click.pass_context
def rota_publish(ctx: click.Context, wave: str) -> None:
    """Publish the draft: signed into your part of the team folder, or kept here."""
    from observe.services.rota import publish

    done, where = publish(workspace_of(ctx), wave, now=datetime.now().astimezone())
    count = len(done.assignments)
    place = f"the team folder ({where.name})" if where else "this workspace (no team folder)"
    say(
        f"published wave {done.wave}'s rota (revision {done.revision},"
        f" {count} assignments) to {place}"
    )


COMMANDS = [rota_group]
