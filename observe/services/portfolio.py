"""A facilitator's portfolio from a workspace: who is asked for, whose view it is, the data.

It is theirs. When this workspace's own team identity is the facilitator, they see their own
record with names. Anyone else (a lead) sees the observers, the co-facilitators and the
person themselves as pseudonymous codes (the workspace's keyed codes, as collation shows
them; names typed into notes and summaries become the codes too) unless names are asked for.
"""

from __future__ import annotations

import difflib
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observe.core.errors import UsageError
from observe.core.portfolio import Labels, Portfolio, build, counted
from observe.core.pseudonyms import Pseudonyms, code_for, people_in
from observe.report.render import report_date
from observe.services.sessions import refresh_index
from observe.services.team_people import team_people
from observe.store.files import read_record
from observe.store.workspace import Workspace

MOST_NEAR = 3


@dataclass(frozen=True)
class Person:
    id: str
    name: str


def _key(text: str) -> str:
    """Compared without case or accents: "sian" finds Siân."""
    split = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in split if not unicodedata.combining(c))


def _secret(workspace: Workspace) -> bytes:
    from observe.store.secret import KeyCannotBeMade, workspace_secret

    try:
        return workspace_secret(workspace)
    except KeyCannotBeMade:  # a read-only workspace: codes for this output alone
        return secrets.token_bytes(32)


def facilitators(workspace: Workspace, demo: bool = False) -> list[Person]:
    """Everyone observed as a facilitator in this workspace's sessions (demo ones with
    ``demo`` only), by name."""
    entries = [e for e in refresh_index(workspace) if e.error is None]
    entries = [e for e in entries if bool(e.meta.get("demo")) == demo]
    people, _ = people_in(entries)
    return sorted((Person(i, n) for i, n in people.items()), key=lambda p: (_key(p.name), p.id))


def resolve(people: list[Person], key: str, secret: bytes | None = None) -> Person:
    """The one facilitator ``key`` names: an id, a name (any case), a pseudonymous code, or
    the start of a name or of one of its words when only one person fits. UsageError (one
    line, naming the near matches) when nobody or more than one person fits."""
    wanted = _key(key)
    if not wanted:
        raise UsageError("give a facilitator's name or id")
    exact = [p for p in people if wanted in (p.id, _key(p.name))]
    if not exact and secret is not None:
        codes = Pseudonyms({p.id: p.name for p in people}, "F", secret=secret)
        exact = [p for p in people if _key(codes(p.id)) == wanted]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        listed = ", ".join(f"{p.name} ({p.id})" for p in exact[:MOST_NEAR])
        raise UsageError(f"{key.strip()!r} is more than one facilitator: {listed}; give the id")
    starting = [
        p
        for p in people
        if _key(p.name).startswith(wanted)
        or any(w.startswith(wanted) for w in _key(p.name).split())
        or p.id.startswith(wanted)
    ]
    if len(starting) == 1:
        return starting[0]
    if starting:
        names = ", ".join(p.name for p in starting[:MOST_NEAR])
        more = f" and {len(starting) - MOST_NEAR} more" if len(starting) > MOST_NEAR else ""
        raise UsageError(f"{key.strip()!r} could be {names}{more}; give the full name")
    keys = {_key(p.name): p.name for p in people}
    near = [keys[k] for k in difflib.get_close_matches(wanted, list(keys), MOST_NEAR, 0.5)]
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise UsageError(f"no facilitator {key.strip()!r} in this workspace's sessions{hint}")


def _in_demo(workspace: Workspace, name: str, secret: bytes) -> bool:
    try:
        resolve(facilitators(workspace, demo=True), name, secret)
    except UsageError:
        return False
    return True


def own_id(workspace: Workspace) -> str | None:
    """The facilitator id of this workspace's own team member, if it has one."""
    people = team_people(workspace.root, lenient=True)
    you = people.you() if people is not None else None
    return you.id if you is not None else None


def _labels(entries: list[Any], secret: bytes) -> Labels:
    """Codes for people, and names typed in text rewritten to them (as a pseudonymised
    bundle does: observe.store.pseudonymise)."""
    from observe.store.pseudonymise import Pseudonymiser

    rewrite = Pseudonymiser(entries, secret)

    def facilitator(pid: str, name: str) -> str:
        return rewrite.facilitator.get(pid) or code_for(pid, "F", secret)

    def observer(pid: str, name: str) -> str:
        return rewrite.observer.get(pid) or code_for(pid, "O", secret)

    return Labels(facilitator=facilitator, observer=observer, text=rewrite.text)


def portfolio_of(
    workspace: Workspace, name: str, *, demo: bool = False, names: bool = False
) -> Portfolio:
    """The portfolio ``name`` asks for: their own with names when this workspace is theirs,
    else pseudonymised unless ``names``. UsageError for an unknown or ambiguous name."""
    people = facilitators(workspace, demo)
    secret = _secret(workspace)
    try:
        person = resolve(people, name, secret)
    except UsageError:
        if not demo and _in_demo(workspace, name, secret):
            raise UsageError(
                f"{name.strip()!r} is only in demo sessions: --demo shows their portfolio"
            ) from None
        raise
    return portfolio_for(workspace, person.id, demo=demo, names=names, secret=secret)


def portfolio_for(
    workspace: Workspace,
    facilitator: str,
    *,
    demo: bool = False,
    names: bool = False,
    secret: bytes | None = None,
) -> Portfolio:
    """The portfolio of the facilitator with id ``facilitator``."""
    entries, left_out = counted(refresh_index(workspace), facilitator, demo)
    records = [read_record(workspace.sessions_dir / e.name) for e in entries]
    own = own_id(workspace) == facilitator
    shown = names or own
    labels = None if shown else _labels(entries, secret or _secret(workspace))
    result = build(records, facilitator, demo=demo, labels=labels, today=report_date())
    result.left_out = left_out
    result.names = shown
    result.own = own
    return result


def default_name(portfolio: Portfolio, fmt: str) -> str:
    """The file name of an export: whose (their name, or their code: never a member id,
    which says nothing to whoever opens the exports folder) and when."""
    from observe.core.models import slugify
    from observe.report.render import report_date

    who = slugify(portfolio.facilitator)
    return f"portfolio_{who}_{report_date().isoformat()}.{fmt}"


def save_pdf(workspace: Workspace, portfolio: Portfolio, out: Path | None, force: bool) -> Path:
    """The PDF written to ``out`` (never replacing a file without ``force``), or to a free
    name in the exports folder."""
    from observe.report.portfolio import portfolio_pdf
    from observe.store.output import write_free, write_output

    pdf = portfolio_pdf(portfolio)
    if out is None:
        return write_free(workspace.exports_dir, default_name(portfolio, "pdf"), pdf)
    return write_output(out, pdf, workspace, force=force)


def people_of(workspace: Workspace, session_id: str) -> list[Person]:
    """The facilitators of one session (from the index), in the session's order."""
    for entry in refresh_index(workspace):
        if entry.error is None and entry.id == session_id:
            return [
                Person(str(p.get("id", "")), str(p.get("name", "")))
                for p in entry.meta.get("facilitators") or ()
                if p.get("id")
            ]
    return []


def pdf_for(workspace: Workspace, facilitator: str, *, demo: bool, names: bool) -> Path:
    """The portfolio PDF written into the exports folder (the app's export)."""
    found = portfolio_for(workspace, facilitator, demo=demo, names=names)
    return save_pdf(workspace, found, None, False)
