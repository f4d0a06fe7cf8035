"""Session-level operations shared by the command line and the screens."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date as Date
from datetime import datetime
from pathlib import Path
from typing import Any

from observe.core.errors import UsageError
from observe.core.frameworks import load_all
from observe.core.models import Framework, Meta, Mode, Person
from observe.core.summary import SessionSummary
from observe.store import preferences
from observe.store.index import Entry, Index
from observe.store.repository import Repository
from observe.store.workspace import Workspace


def refresh_index(workspace: Workspace) -> list[Entry]:
    # No clean-up here: a listing runs while other windows write (start_up cleans).
    return Index(workspace).refresh()


def remembered_defaults(workspace: Workspace) -> dict[str, str]:
    """The new-observation fields this observer gave last time (none when never kept)."""
    return preferences.load(workspace)


def remember_defaults(workspace: Workspace, values: dict[str, Any]) -> None:
    """Keep the fields an observer rarely changes for the next new observation."""
    preferences.remember(
        workspace,
        {
            k: values[k].strip() if isinstance(values[k], str) else values[k]
            for k in preferences.REMEMBERED
            if k in values
        },
    )


def start_up(workspace: Workspace) -> list[Path]:
    """Once, as the app starts: remove what crashed writers left; the sessions they had open."""
    repo = Repository(workspace)
    repo.clean()
    return repo.interrupted()


def summary_of(entry: Entry) -> SessionSummary:
    """The listing's row for an index entry."""
    if not entry.ok:
        return SessionSummary.unreadable_file(entry.name, entry.error or "unreadable")
    meta = entry.meta
    return SessionSummary(
        file=entry.name,
        id=entry.id,
        date=meta.get("date", ""),
        start=meta.get("start", ""),
        created_at=entry.created_at,
        title=meta.get("title", ""),
        facilitators=tuple(entry.facilitator_names),
        observer=(meta.get("observer") or {}).get("name", ""),
        wave=meta.get("wave", ""),
        region=meta.get("region", ""),
        partner=meta.get("partner", ""),
        cohort=meta.get("cohort", ""),
        mode=meta.get("mode", ""),
        status=entry.status,
        notes=entry.counts.get("notes", 0),
        ratings=entry.counts.get("ratings", 0),
        framework=entry.framework.get("id", ""),
        demo=bool(meta.get("demo")),
        calibration=meta.get("calibration") or "",  # co-observed (observe.core.calibration)
        agreed=meta.get("agreed") is True,
    )


def listing_rows(workspace: Workspace) -> list[SessionSummary]:
    """Every session file, newest first by when it was created (its date and start time
    when that is missing); unreadable files after them, with their reason."""
    rows = [summary_of(e) for e in refresh_index(workspace)]
    readable = sorted(
        (r for r in rows if not r.unreadable),
        key=lambda r: (r.created(), r.file),
        reverse=True,
    )
    return readable + [r for r in rows if r.unreadable]


START_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def start_time(text: str) -> str | None:
    """ "9:30" or "9.30" as "09:30"; None when ``text`` is not a time of day."""
    found = START_TIME.match(text.strip())
    return f"{int(found.group(1)):02d}:{found.group(2)}" if found else None


def new_session_problems(
    facilitators: Sequence[str],
    *,
    date: str | None = None,
    start: str | None = None,
    today: Date | None = None,
    person: Callable[[str], Person] = Person.named,
) -> dict[str, str]:
    """What is wrong with a new session's facilitators, date or start time, by field (empty:
    nothing). The form shows each beside its field; the command line says the first. The
    date's example is ``today``; ``person`` turns a name into a Person (a team's roster)."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for name in (n.strip() for n in facilitators if n.strip()):
        try:
            key = person(name).id
        except UsageError as exc:
            problems["facilitators"] = str(exc)
            break
        if key in seen:
            problems["facilitators"] = f"{name} is named twice."
            break
        seen.add(key)
    if not seen and "facilitators" not in problems:
        problems["facilitators"] = "Add at least one facilitator."
    if date is not None:
        try:
            Date.fromisoformat(date.strip())
        except ValueError:
            example = (today or Date.today()).isoformat()
            problems["date"] = f"Write the date as YYYY-MM-DD, e.g. {example}."
    if start is not None and start_time(start) is None:
        problems["start"] = "Write the start time as HH:MM, e.g. 09:30."
    return problems


def new_session_meta(
    workspace: Workspace,
    *,
    facilitators: Sequence[str],
    observer: str | None = None,
    framework_id: str | None = None,
    focus: Sequence[str] = (),
    mode: str = "in_person",
    now: datetime | None = None,
    date: str | None = None,
    start: str | None = None,
    person: Callable[[str], Person] = Person.named,
    **fields: str,
) -> tuple[Meta, Framework]:
    """Metadata for a new observation, checked against the chosen framework. ``date`` and
    ``start`` (as typed) default to ``now``; ``person`` makes each name a Person."""
    problems = new_session_problems(facilitators, date=date, start=start, person=person)
    if problems:
        raise UsageError(next(iter(problems.values())))
    people = [person(n.strip()) for n in facilitators if n.strip()]
    framework = load_all(workspace.criteria_dir).get(framework_id)
    focus_ids = []
    for key in focus:
        criterion = framework.criterion(key)
        if criterion is None:
            raise UsageError(f"focus criterion {key!r} is not in {framework.id}")
        focus_ids.append(criterion.id)
    now = now or datetime.now().astimezone()
    meta = Meta(
        date=Date.fromisoformat(date.strip()) if date else now.date(),
        start=start_time(start) if start else now.strftime("%H:%M"),
        mode=Mode(mode),
        facilitators=people,
        observer=person(observer) if observer and observer.strip() else None,
        focus=focus_ids,
        **{k: v for k, v in fields.items() if v is not None},
    )
    return meta, framework
