"""Commands for leads: import, bundle, conflicts, collate (added to ``observe.cli.main.main``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from observe.cli.common import MODES, say, workspace_of
from observe.cli.completion import complete_members
from observe.core.collate import Filters
from observe.core.errors import UsageError
from observe.core.untrusted import json_text


def filter_options(fn: click.decorators.FC) -> click.decorators.FC:
    """The session filters shared by collate and bundle."""
    for decorator in reversed(
        [
            click.option("--wave", "waves", multiple=True, metavar="W", help="Repeatable."),
            click.option("--region", metavar="R"),
            click.option("--partner", metavar="P"),
            click.option("--mode", type=click.Choice(MODES)),
            click.option("--framework", "framework_id", metavar="ID"),
            click.option("--facilitator", metavar="NAME", help="A name, id or pseudonymous code."),
            click.option(
                "--demo", is_flag=True, help="Count only demo sessions (never mixed with real)."
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


def make_filters(
    waves: Sequence[str],
    region: str | None,
    partner: str | None,
    mode: str | None,
    framework_id: str | None,
    facilitator: str | None,
    demo: bool,
) -> Filters:
    return Filters(
        waves=tuple(waves),
        region=region,
        partner=partner,
        mode=mode,
        framework=framework_id,
        facilitator=facilitator,
        demo=demo,
    )


# ---------------------------------------------------------------- observe collate


@click.command("collate")
@filter_options
@click.option(
    "--by",
    "by",
    multiple=True,
    type=click.Choice(["wave", "region", "partner", "mode", "facilitator", "observer"]),
    help="Break the figures down by this field (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "pdf", "xlsx"]),
    default="table",
    show_default=True,
    help="xlsx: the leads' workbook, a sheet per view.",
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here (a new file).")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--names", is_flag=True, help="Show people's names instead of codes.")
@click.pass_context
def collate_cmd(
    ctx: click.Context,
    by: Sequence[str],
    fmt: str,
    out: Path | None,
    force: bool,
    names: bool,
    **filter_args: object,
) -> None:
    """Per-criterion figures across completed sessions, change across waves, coverage."""
    from observe.services import collation
    from observe.store import output

    ws = workspace_of(ctx)
    if out is not None:  # refused before any work is done
        output.check_target(out, ws, force=force)
    filters = make_filters(**filter_args)  # type: ignore[arg-type]
    result = collation.gather_workspace(ws, filters, by, names)
    if fmt in ("pdf", "xlsx") and not result.sessions:
        raise UsageError(f"no completed sessions match these filters; no {fmt.upper()} written")
    if fmt in ("pdf", "xlsx"):  # files, never a terminal's text
        if out is None:
            target = collation.save_collation(ws, result, fmt)
        else:
            target = output.write_output(
                out, collation.collation_bytes(result, fmt), ws, force=force
            )
        say(str(target))
        return
    text = collation.collation_bytes(result, fmt).decode("utf-8")
    if fmt != "table":  # the table carries these itself; CSV and JSON stay machine-readable
        for note in result.notes():
            say(f"observe: {note}", err=True)
    if out is None:
        say(text, nl=not text.endswith("\n"))
    else:
        say(str(output.write_output(out, text.encode("utf-8"), ws, force=force)))


# ---------------------------------------------------------------- observe bundle / import


@click.command("bundle")
@filter_options
@click.option("--out", type=click.Path(path_type=Path), required=True, help="FILE.zip (new)")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option(
    "--pseudonymise",
    "--no-names",
    "pseudonymise",
    is_flag=True,
    help="Replace people's names (and ids made from them) with pseudonymous codes.",
)
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="NAME",
    shell_complete=complete_members,
    help="Encrypt the bundle to this team member, signed by you (repeatable).",
)
@click.pass_context
def bundle_cmd(
    ctx: click.Context,
    out: Path,
    force: bool,
    pseudonymise: bool,
    to: Sequence[str],
    **filter_args: object,
) -> None:
    """Pack the matching session files and a manifest into a zip to send to a lead.

    The note being typed (the draft) never leaves this machine. With --pseudonymise the
    bundled copies carry codes such as F-7k2m9q4x instead of names, in the people's fields and
    in the text of notes, comments and summaries; the files here keep their names. With
    --to only the named team members can open it (observe import), and they see it is yours.
    """
    from dataclasses import replace

    from observe.core.collate import select
    from observe.report.collated import resolve_facilitator
    from observe.services.sessions import refresh_index
    from observe.store.bundle import write_bundle
    from observe.store.output import check_target
    from observe.store.pseudonymise import Pseudonymiser
    from observe.store.secret import workspace_secret

    ws = workspace_of(ctx)
    if out.suffix.lower() != ".zip":
        raise UsageError("the bundle's name must end in .zip")
    check_target(out, ws, force=force)
    seal, readers = None, []
    if to:  # checked before anything is packed: a name off the roster is one line
        from observe.services.sealed_bundle import sealer

        seal, readers = sealer(ws.root, to)
    filters = make_filters(**filter_args)  # type: ignore[arg-type]
    entries = refresh_index(ws)
    if filters.facilitator:
        found = resolve_facilitator(entries, filters.facilitator, workspace_secret(ws))
        filters = replace(filters, facilitator=found)
    chosen = select(entries, filters, counted_only=False).entries
    if not chosen:
        demo = [] if filters.demo else select(entries, replace(filters, demo=True), False).entries
        hint = f" ({len(demo)} demo sessions do: --demo bundles them)" if demo else ""
        raise UsageError(f"no sessions match these filters; nothing to bundle{hint}")
    rewrite = Pseudonymiser(chosen, workspace_secret(ws)) if pseudonymise else None
    sources = [ws.sessions_dir / e.name for e in chosen]  # type: ignore[attr-defined]
    manifest = write_bundle(sources, out, workspace=ws, force=force, rewrite=rewrite, seal=seal)
    codes = " (names replaced by pseudonymous codes)" if pseudonymise else ""
    sealed = f", encrypted to {', '.join(readers)} and signed by you" if readers else ""
    say(f"{out}: {len(manifest['sessions'])} sessions{codes}{sealed}")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def import_cmd(ctx: click.Context, paths: Sequence[Path], fmt: str) -> None:
    """Merge session files, folders and zip bundles into this workspace."""
    from observe.services.imports import import_paths

    ws = workspace_of(ctx)
    senders: list[str] = []
    report = import_paths(ws, list(paths), senders=senders)
    for line in senders:
        say(f"observe: {line}", err=True)
    if fmt == "json":
        say(json_text(report.to_json()))
    else:
        say(report.summary())
        for result, (table, doc_id) in report.new_conflicts:
            say(f"conflict: session {result.session_id[:8]} ({result.file}) {table} {doc_id}")
        if report.new_conflicts:
            say("Settle them with: observe conflicts  (or in the app: i, import)")
    for refused in report.refused:
        say(f"observe: refused {refused.source}: {refused.reason}", err=True)
    if report.refused:
        ctx.exit(2)


# ---------------------------------------------------------------- observe conflicts


@click.group("conflicts", invoke_without_command=True)
@click.pass_context
def conflicts_group(ctx: click.Context) -> None:
    """List conflicts that merging found (same rev, different content); settle each."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(conflicts_list)


@conflicts_group.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def conflicts_list(ctx: click.Context, fmt: str = "text") -> None:
    """Every open conflict: session, document, and the versions numbered for settling."""
    from observe.services.imports import version_previews, workspace_conflicts

    found = workspace_conflicts(workspace_of(ctx))
    if fmt == "json":
        data = [
            {
                "session": s.session_id,
                "file": s.path.name,
                "table": c.table,
                "document": c.id,
                "rev": c.rev,
                "versions": [{"hash": h, "doc": d} for h, d in c.versions],
            }
            for s in found
            for c in s.conflicts
        ]
        say(json_text(data))
        return
    if not found:
        say("No conflicts.")
        return
    for s in found:
        say(f"session {s.session_id[:8]}  {s.path.name}")
        for c in s.conflicts:
            say(f"  {c.id}  {c.describe()}")
            previews = version_previews(c)
            for i, ((digest, _), preview) in enumerate(zip(c.versions, previews, strict=True), 1):
                say(f"    {i}  {digest[:10]}  {preview}")
    say("Settle one with: observe conflicts settle SESSION DOCUMENT --keep N")


@conflicts_group.command("settle")
@click.argument("session")
@click.argument("document")
@click.option("--keep", required=True, metavar="N", help="Version number as listed, or hash.")
@click.pass_context
def conflicts_settle(ctx: click.Context, session: str, document: str, keep: str) -> None:
    """Keep one version of a conflicting document; it then wins on every machine."""
    from observe.services.imports import settle
    from observe.store.repository import Repository

    ws = workspace_of(ctx)
    path = Repository(ws).find(session)
    kept = settle(ws, path, document, keep)
    say(f"settled {kept.id} in {path.name}: kept version {keep} as rev {kept.rev}")


COMMANDS = [collate_cmd, bundle_cmd, import_cmd, conflicts_group]
