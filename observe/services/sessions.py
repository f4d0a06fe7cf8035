"""Session-level operations shared by the command line and the screens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from observe.core.errors import UsageError
from observe.core.frameworks import load_all
from observe.core.models import Framework, Meta, Mode, Person
from observe.store.index import Entry, Index
from observe.store.repository import Repository
from observe.store.workspace import Workspace


def refresh_index(workspace: Workspace) -> list[Entry]:
    # No clean-up here: a listing runs while other windows write (start_up cleans).
    return Index(workspace).refresh()


def start_up(workspace: Workspace) -> list[Path]:
    """Once, as the app starts: remove what crashed writers left; the sessions they had open."""
    repo = Repository(workspace)
    repo.clean()
    return repo.interrupted()


def entry_row(entry: Entry) -> dict[str, Any]:
    if not entry.ok:
        return {"file": entry.name, "unreadable": True, "reason": entry.error}
    meta = entry.meta
    return {
        "file": entry.name,
        "unreadable": False,
        "id": entry.id,
        "date": meta.get("date", ""),
        "start": meta.get("start", ""),
        "title": meta.get("title", ""),
        "facilitators": entry.facilitator_names,
        "observer": (meta.get("observer") or {}).get("name", ""),
        "wave": meta.get("wave", ""),
        "region": meta.get("region", ""),
        "partner": meta.get("partner", ""),
        "mode": meta.get("mode", ""),
        "status": entry.status,
        "notes": entry.counts.get("notes", 0),
        "ratings": entry.counts.get("ratings", 0),
        "framework": entry.framework.get("id", ""),
        "demo": bool(meta.get("demo")),
    }


def listing_rows(workspace: Workspace) -> list[dict[str, Any]]:
    """Every session file, newest first; unreadable files included with their reason."""
    rows = [entry_row(e) for e in refresh_index(workspace)]
    readable = sorted(
        (r for r in rows if not r["unreadable"]),
        key=lambda r: (r["date"], r["start"], r["file"]),
        reverse=True,
    )
    return readable + [r for r in rows if r["unreadable"]]


def new_session_meta(
    workspace: Workspace,
    *,
    facilitators: Sequence[str],
    observer: str | None = None,
    framework_id: str | None = None,
    focus: Sequence[str] = (),
    mode: str = "in_person",
    now: datetime | None = None,
    **fields: str,
) -> tuple[Meta, Framework]:
    """Metadata for a new observation, checked against the chosen framework."""
    names = [f.strip() for f in facilitators if f.strip()]
    if not names:
        raise UsageError("a session needs at least one facilitator")
    people = [Person.named(n) for n in names]
    if len({p.id for p in people}) != len(people):
        raise UsageError("the same facilitator is named twice")
    framework = load_all(workspace.criteria_dir).get(framework_id)
    focus_ids = []
    for key in focus:
        criterion = framework.criterion(key)
        if criterion is None:
            raise UsageError(f"focus criterion {key!r} is not in {framework.id}")
        focus_ids.append(criterion.id)
    now = now or datetime.now().astimezone()
    meta = Meta(
        date=now.date(),
        start=now.strftime("%H:%M"),
        mode=Mode(mode),
        facilitators=people,
        observer=Person.named(observer) if observer and observer.strip() else None,
        focus=focus_ids,
        **{k: v for k, v in fields.items() if v is not None},
    )
    return meta, framework
