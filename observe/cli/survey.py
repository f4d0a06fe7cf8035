"""The community survey: open a round (leads), list rounds, answer one, report on one.

The team code (pyrage, cryptography) loads only when one of these runs.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from observe.cli.common import format_table, say, workspace_of
from observe.core.errors import UsageError
from observe.core.untrusted import json_text

DATE = click.DateTime(formats=["%Y-%m-%d"])


def today() -> date:
    """The day the commands take as today (a test may pin it)."""
    return date.today()


def _day(value: datetime | None, default: date) -> date:
    return value.date() if value is not None else default


def _warnings(found: object) -> None:
    for line in getattr(found, "refused", []):
        say(f"observe: refused {line}", err=True)


@click.group("survey")
def survey_group() -> None:
    """The community survey: anonymous answers through the team folder, reported safely."""


@survey_group.command("open")
@click.option("--framework", "survey_id", default="community-health", show_default=True)
@click.option("--opens", type=DATE, help="First day answers are taken (default: today).")
@click.option("--closes", type=DATE, required=True, help="Last day answers are taken.")
@click.option(
    "--threshold",
    type=int,
    default=5,
    show_default=True,
    help="No figure from fewer answers than this is shown (at least 3).",
)
@click.pass_context
def open_cmd(
    ctx: click.Context, survey_id: str, opens: datetime | None, closes: datetime, threshold: int
) -> None:
    """Open a round of a survey for the whole team (leads only)."""
    from observe.services import survey

    root = workspace_of(ctx).root
    round_ = survey.open_round(
        root,
        survey.find_survey(root, survey_id),
        _day(opens, today()),
        closes.date(),
        threshold,
    )
    say(
        f"Opened round {round_.id} of {round_.framework.title}: {round_.opens.isoformat()}"
        f" to {round_.closes.isoformat()}, threshold {round_.threshold}."
    )


@survey_group.command("threshold")
@click.argument("round_key", metavar="ROUND")
@click.argument("threshold", type=int)
@click.pass_context
def threshold_cmd(ctx: click.Context, round_key: str, threshold: int) -> None:
    """Change a round's reporting threshold while it has no answers (its lead only)."""
    from observe.services import survey

    round_ = survey.set_threshold(workspace_of(ctx).root, round_key, threshold)
    say(f"Round {round_.id}: threshold {round_.threshold}.")


@survey_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def list_cmd(ctx: click.Context, fmt: str) -> None:
    """The survey rounds of the team, and whether this workspace has answered each."""
    from observe.services import survey

    found = survey.rounds(workspace_of(ctx).root)
    _warnings(found)
    day = today()
    items = [
        {
            "id": i.round.id,
            "survey": i.round.framework.id,
            "title": i.round.framework.title,
            "opens": i.round.opens.isoformat(),
            "closes": i.round.closes.isoformat(),
            "threshold": i.round.threshold,
            "status": "demo" if i.demo else i.status(day),
            "lead": i.lead,
            "answered_here": i.answered_here,
        }
        for i in found.rounds
    ]
    if fmt == "json":
        say(json_text({"rounds": items}))
        return
    if not items:
        say("No survey rounds.")
        return
    rows = [
        [
            r["id"],
            r["title"],
            r["opens"],
            r["closes"],
            r["status"],
            "answered" if r["answered_here"] else "-",
            r["lead"],
        ]
        for r in items
    ]
    say(format_table(["Round", "Survey", "Opens", "Closes", "Status", "Here", "Lead"], rows))


def _pairs(values: tuple[str, ...], what: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} {value!r}: write ID=VALUE")
        out[key.strip()] = rest
    return out


@survey_group.command("answer")
@click.argument("round_key", metavar="ROUND")
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="STATEMENT=N",
    help="A statement's level (a number on the scale, or prefer-not).",
)
@click.option(
    "--comment",
    "comments",
    multiple=True,
    metavar="PRINCIPLE=TEXT",
    help="A comment on a principle (optional; it may identify you).",
)
@click.pass_context
def answer_cmd(
    ctx: click.Context, round_key: str, levels: tuple[str, ...], comments: tuple[str, ...]
) -> None:
    """Answer a round; without --level, in the app (a draft is kept until you submit)."""
    from observe.services import survey

    ws = workspace_of(ctx)
    if not levels and not comments:
        from observe.cli.common import run_app

        info = survey.rounds(ws.root).find(round_key)
        if info.answered_here:
            raise UsageError("this workspace has answered that round already")
        if not info.round.is_open(today()):
            raise UsageError(f"the round is {info.status(today())}: it takes no answer today")
        run_app(ws, survey_round=info.round)
        return
    parsed: dict[str, int | str] = {}
    for key, value in _pairs(levels, "--level").items():
        value = value.strip()
        parsed[key] = value if value == "prefer-not" else _int(value, key)
    info = survey.submit(ws.root, round_key, parsed, _pairs(comments, "--comment"), today=today())
    say(f"Answered round {info.round.id}; nothing of your answer is kept on this machine.")


def _int(value: str, key: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"--level {key}={value!r}: a number on the scale, or prefer-not") from None


@survey_group.command("report")
@click.argument("round_key", metavar="ROUND")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "pdf", "xlsx"]),
    default="table",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (pdf and xlsx need one; table and json print).",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@click.pass_context
def report_cmd(ctx: click.Context, round_key: str, fmt: str, out: Path | None, force: bool) -> None:
    """A round's report for the leads: figures too small to be safe are suppressed.

    ROUND is a round's id or a unique start of one; `demo` is the round `observe demo`
    wrote."""
    from observe.report import survey_text
    from observe.services import survey
    from observe.store.output import check_target, write_output

    ws = workspace_of(ctx)
    if fmt in ("pdf", "xlsx") and out is None:
        raise UsageError(f"--format {fmt} needs --out FILE.{fmt}")
    if out is not None:
        check_target(out, ws, force=force)
    result = survey.report(ws.root, round_key, today=today())
    if fmt == "table":
        data = survey_text.table(result.tally, refused=result.refused).encode()
    elif fmt == "json":
        data = json_text(survey_text.as_json(result.tally, refused=result.refused)).encode()
    elif fmt == "pdf":
        from observe.report.survey_pdf import render

        data = render(result.tally)
    else:
        from observe.report.survey_xlsx import workbook

        data = workbook(result.tally)
    if out is None:
        say(data.decode())
        return
    write_output(out, data, ws, force=force)
    say(str(out))


COMMANDS = [survey_group]
