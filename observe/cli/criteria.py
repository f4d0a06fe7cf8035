"""observe criteria: the frameworks in the workspace, listed, checked and shown."""

from __future__ import annotations

from pathlib import Path

import click

from observe.cli.common import Group, format_table, say, workspace_of
from observe.core.untrusted import escape_controls, json_text


@click.group(cls=Group)
def criteria() -> None:
    """Frameworks of criteria: list, check a file, show one."""


@criteria.command("list")
@click.pass_context
def criteria_list(ctx: click.Context) -> None:
    """The frameworks in the workspace, and any file that does not validate."""
    from observe.core.frameworks import load_all

    catalog = load_all(workspace_of(ctx).criteria_dir)
    rows = []
    for fid, fw in catalog.frameworks.items():
        n = sum(1 for _ in fw.criteria())
        rows.append(
            [
                fid,
                fw.version,
                fw.title,
                f"{len(fw.domains)} domains, {n} criteria",
                catalog.paths[fid].name,
            ]
        )
    for fid, fw in catalog.surveys.items():
        n = sum(1 for _ in fw.criteria())
        size = f"survey: {len(fw.domains)} principles, {n} statements"
        rows.append([fid, fw.version, fw.title, size, catalog.paths[fid].name])
    if rows:
        say(format_table(["id", "version", "title", "size", "file"], rows))
    for error in catalog.errors.values():
        say(f"invalid: {error}", err=True)
    if not rows and not catalog.errors:
        say("No frameworks in the criteria folder.")


@criteria.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def criteria_check(file: Path) -> None:
    """Validate a framework file: exit 0 and a summary, or exit 2 and the first problem."""
    from observe.core.frameworks import load

    fw = load(file)
    n = sum(1 for _ in fw.criteria())
    if fw.kind == "survey":
        size = f"{len(fw.domains)} principles, {n} statements"
        say(f"{file}: ok: survey {fw.id} {fw.version}, {size}, {len(fw.scale.levels)} levels")
        return
    say(
        f"{file}: ok: {fw.id} {fw.version}, {len(fw.domains)} domains, {n} criteria,"
        f" {len(fw.scale.levels)} levels"
    )


@criteria.command("show")
@click.argument("framework_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def criteria_show(ctx: click.Context, framework_id: str, fmt: str) -> None:
    """Print one framework: its scale, domains and criteria."""
    from observe.core.frameworks import load_all

    catalog = load_all(workspace_of(ctx).criteria_dir)
    fw = catalog.surveys.get(framework_id) or catalog.get(framework_id)
    if fmt == "json":
        say(json_text(fw.model_dump(mode="json")))
        return
    e = escape_controls  # one line per field: a newline in a title cannot fake a line
    out = [f"{e(fw.title)} ({e(fw.id)} {e(fw.version)})", e(fw.description), "", "Scale:"]
    for level in fw.scale.levels:
        said = f": {e(level.descriptor)}" if level.descriptor else ""
        out.append(f"  {level.value} {e(level.label)}{said}")
    if fw.scale.not_observed:
        out.append("  - prefer not to say" if fw.kind == "survey" else "  0 not observed")
    for domain in fw.domains:
        out += ["", f"{e(domain.id)}  {e(domain.title)}"]
        for c in domain.criteria:
            modes = f"  [{', '.join(m.label for m in c.modes)} only]" if c.modes else ""
            out.append(f"  {e(c.id):<4} {e(c.title)}{modes}")
            if c.prompt:
                out.append(f"       {e(c.prompt)}")
    say("\n".join(out))


# The leads' commands (import, bundle, conflicts, collate) live in their own module.


COMMANDS = [criteria]
