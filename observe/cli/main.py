"""The command line. Each command is thin: it parses, calls the core, prints.

Textual and WeasyPrint are imported only by the commands that need them, so that
``observe sessions`` and ``observe export`` start fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from observe.cli import agreement, criteria, focus, leads, portfolio, rota, survey, sync, team
from observe.cli.common import MODES, Group, format_table, run_app, say, workspace_of
from observe.cli.completion import complete_members
from observe.core.errors import ObserveError
from observe.core.untrusted import escape_controls, json_text


@click.group(
    cls=Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--workspace",
    "-w",
    type=click.Path(file_okay=False, path_type=Path),
    help="Workspace folder (default: $OBSERVE_HOME, the current folder, or your data folder).",
)
@click.version_option(package_name="observe")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None) -> None:
    """Peer observation of facilitation: notes, ratings and feedback in the terminal."""
    ctx.ensure_object(dict)["workspace_option"] = workspace
    if ctx.invoked_subcommand is None:
        run_app(workspace_of(ctx))


# ---------------------------------------------------------------- observe new


@main.command()
@click.option(
    "--facilitator",
    "facilitators",
    multiple=True,
    metavar="NAME",
    shell_complete=complete_members,
    help="A facilitator of the session (repeat for co-facilitators); in a team, from its roster.",
)
@click.option(
    "--observer",
    metavar="NAME",
    shell_complete=complete_members,
    help="Who is observing (you; in a team, you from its roster unless named).",
)
@click.option("--wave", default="", help="Programme wave, e.g. 2.")
@click.option("--region", default="")
@click.option("--partner", default="", help="Local delivery partner.")
@click.option("--cohort", default="")
@click.option("--title", default="", help="Session title.")
@click.option("--programme", default="")
@click.option("--mode", type=click.Choice(MODES), default="in_person", show_default=True)
@click.option(
    "--framework", "framework_id", metavar="ID", help="Framework id (default: good-facilitation)."
)
@click.option(
    "--focus",
    multiple=True,
    metavar="CRITERION",
    help="A criterion the facilitator asked to be observed.",
)
@click.option(
    "--consent",
    type=click.Choice(["given", "not-asked", "declined"]),
    default="not-asked",
    show_default=True,
    help="The facilitators' answer when asked whether they agree to be observed.",
)
@click.option(
    "--calibration", metavar="ID", help="Co-observe: the id every observer of this delivery gives."
)
@click.option(
    "--with",
    "with_session",
    metavar="SESSION",
    help="Co-observe the delivery of SESSION: its details, facilitators and framework.",
)
@click.pass_context
def new(
    ctx: click.Context,
    facilitators: Sequence[str],
    observer: str | None,
    framework_id: str | None,
    focus: Sequence[str],
    consent: str,
    calibration: str | None,
    with_session: str | None,
    **fields: str,
) -> None:
    """Start an observation and open the live screen directly."""
    from observe.core.errors import UsageError
    from observe.services import calibration as co
    from observe.services.sessions import new_session_meta
    from observe.services.team_people import team_people
    from observe.store.repository import Repository

    ws = workspace_of(ctx)
    people = team_people(ws.root)  # in a team, names are the roster's: one spelling each
    you = people.you() if people is not None else None
    by_roster = {"person": people.person} if people is not None else {}
    observer = observer or (you.name if you else None)
    if with_session:
        if facilitators:
            raise UsageError("--with takes the facilitators from SESSION: leave out --facilitator")
        source = Repository(ws).find(with_session)
        meta, framework = co.co_observation(ws, source, observer or "", calibration=calibration)
    else:
        meta, framework = new_session_meta(
            ws,
            facilitators=facilitators,
            observer=observer,
            framework_id=framework_id,
            focus=focus,
            consent=consent.replace("-", "_"),
            calibration=co.checked_id(calibration) if calibration is not None else "",
            **by_roster,
            **fields,
        )
    # Made and locked before the app starts, as `observe open` does: a folder that cannot
    # be written is one line and exit 1, not a screen that fails.
    from observe.services import focus as focus_service
    from observe.services.followups import bring_forward

    waiting = focus_service.waiting_in(ws, meta.facilitators)
    meta = focus_service.take_up(meta, framework, waiting)
    repo = Repository(ws)
    session = repo.create(meta, framework)
    focus_service.mark_used(ws, waiting)
    for found in waiting:
        say(focus_service.taken_up_line(found))
    if bring_forward(session, repo.workspace):  # the open actions from last time
        try:
            session.save()
        except BaseException:
            session.close()
            raise
    run_app(ws, open_session=session)


# ---------------------------------------------------------------- observe open


@main.command("open")
@click.argument("session_key", metavar="SESSION")
@click.pass_context
def open_session(ctx: click.Context, session_key: str) -> None:
    """Resume an observation: the live screen, or the wrap-up once it is completed."""
    from observe.core.errors import UsageError
    from observe.core.models import Status
    from observe.store.repository import Repository

    ws = workspace_of(ctx)
    repo = Repository(ws)
    from observe.services.calibration import sealed_reason

    path = repo.find(session_key)
    if reason := sealed_reason(ws, path):  # blind until every co-observer has finished
        raise UsageError(f"session {path.name}: {reason}")
    # Locked before the app starts: a second window is refused with one line, exit 1.
    session = repo.open(path)
    if session.session.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        session.close()
        raise UsageError(
            f"session {session.session.short_id} is {session.session.status.label};"
            " read it with the review screen (observe, then v)"
        )
    run_app(ws, open_session=session)


# ---------------------------------------------------------------- observe share


@main.command()
@click.argument("session_key", metavar="SESSION")
@click.pass_context
def share(ctx: click.Context, session_key: str) -> None:
    """Share a completed observation with its facilitators (completed -> shared).

    The feedback is then theirs to read and respond to, and the observation can no longer
    be reopened in wrap-up. Exporting a PDF does not share; this is the one way to.
    """
    from observe.services.sharing import share as share_session
    from observe.store.repository import Repository

    ws = workspace_of(ctx)
    repo = Repository(ws)
    path = repo.find(session_key)
    people = repo.load(path).session.meta.facilitators
    names = ", ".join(p.name for p in people)
    short = path.stem[-8:]
    if share_session(ws, path):
        say(f"shared {short} with {escape_controls(names)}")
        from observe.services.sync import in_team

        if in_team(ws):  # in a team, sharing sends it now: the facilitators need not wait
            try:
                sync.sync_and_report(ws, quiet=True)
            except ObserveError as exc:
                say(f"observe: shared here, not sent yet ({exc}); run: observe sync", err=True)
    else:
        status = repo.load(path).status.label
        say(f"{short} is already {status}: nothing changed")


# ---------------------------------------------------------------- observe sessions


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def sessions(ctx: click.Context, fmt: str) -> None:
    """List the workspace's sessions; unreadable files are flagged with the reason."""
    from observe.services.sessions import listing_rows

    rows = listing_rows(workspace_of(ctx))
    if fmt == "json":
        say(json_text([row.to_json() for row in rows]))
        return
    if not rows:
        say("No sessions yet. Start one with: observe new --facilitator NAME")
        return
    headers = ["id", "date", "facilitators", "wave", "partner", "mode", "status", "notes"]
    table = []
    for row in rows:
        if row.unreadable:
            table.append(["!", "", row.file, "", "", "", "UNREADABLE", row.reason or ""])
        else:
            table.append(
                [
                    row.id[:8],
                    row.date,
                    ", ".join(row.facilitators),
                    row.wave,
                    row.partner,
                    row.mode,
                    row.status,
                    str(row.notes),
                ]
            )
    say(format_table(headers, table))


@main.command()
@click.option(
    "--sessions", "count", type=click.IntRange(1, 100_000), default=200, show_default=True
)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.pass_context
def demo(ctx: click.Context, count: int, seed: int) -> None:
    """Write realistic generated sessions (marked as demo) into the workspace."""
    from observe.core.frameworks import load_all
    from observe.services.demo import generate

    ws = workspace_of(ctx)
    framework = load_all(ws.criteria_dir).get("good-facilitation")
    paths = generate(ws.sessions_dir, framework, count=count, seed=seed)
    say(f"wrote {len(paths)} demo sessions to {ws.sessions_dir}")
    from datetime import date

    from observe.services import demo_rota

    if plans := demo_rota.write(ws, seed=seed, today=date.today()):
        say(f"and a rota for each of waves {', '.join(p.wave for p in plans)} (observe rota)")

    from observe.services import survey_demo

    survey_demo.generate(ws.root, seed=seed)
    say("wrote a demo survey round: observe survey report demo")
    from observe.services import demo_focus
    from observe.services.demo import make_cast

    people = make_cast(seed, framework).people
    if person := demo_focus.waiting(ws, framework, people, seed, date.today()):
        say(f"and {person.name}'s focus for their next observation (observe focus show)")


# ---------------------------------------------------------------- observe export


@main.command()
@click.argument("session_keys", metavar="SESSION...", nargs=-1)
@click.option("--facilitator", metavar="NAME", help="Only this facilitator's feedback.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="A .pdf file (one PDF) or a folder (default: the workspace's exports/).",
)
@click.option("--force", is_flag=True, help="Replace PDFs that exist already.")
@click.option("--wave", metavar="W", help="Also every session of wave W that is not in progress.")
@click.option("--all-completed", is_flag=True, help="Also every completed session not yet shared.")
@click.option("--jobs", type=click.IntRange(min=1), help="Processes to use (default: all cores).")
@click.pass_context
def export(
    ctx: click.Context,
    session_keys: Sequence[str],
    facilitator: str | None,
    out: Path | None,
    force: bool,
    wave: str | None,
    all_completed: bool,
    jobs: int | None,
) -> None:
    """Write feedback PDFs, one per facilitator, and print their paths.

    SESSION is a session id or a unique prefix of one (see `observe sessions`). Exporting
    does not share a session (see `observe share`). An existing PDF is never replaced without
    --force: a named one is refused; in the default folder the new one gets a free name.
    """
    from observe.core.errors import NotFound
    from observe.services.export import export_many, select

    ws = workspace_of(ctx)
    paths = select(ws, session_keys, wave=wave, all_completed=all_completed)
    filtered = wave is not None or all_completed
    outcomes = export_many(
        ws, paths, facilitator, out, workers=jobs, skip_absent=filtered, force=force
    )
    if not outcomes and facilitator:
        raise NotFound(f"{facilitator!r} facilitated none of the sessions chosen")
    failed = 0
    for outcome in outcomes:
        for pdf in outcome.pdfs:
            say(str(pdf))
        if outcome.error:
            say(f"observe: could not export {outcome.error}", err=True)
            failed += 1
    if failed:
        ctx.exit(1)


for _command in (
    leads.COMMANDS
    + team.COMMANDS
    + sync.COMMANDS
    + agreement.COMMANDS
    + rota.COMMANDS
    + survey.COMMANDS
    + criteria.COMMANDS
    + focus.COMMANDS
    + portfolio.COMMANDS
):
    main.add_command(_command)
