"""Test data for merging and collation: realistic session files written in one go.

Files are built from the models and written directly (one atomic write each), which is far
quicker than driving the repository for hundreds of sessions.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from observe.core.models import (
    Framework,
    Meta,
    Mode,
    Note,
    NoteKind,
    Person,
    Rating,
    Session,
    Status,
)
from observe.store import files
from observe.store.atomic import dumps, write_atomic
from observe.store.workspace import Workspace

FACILITATORS = [
    "Asha Rahman",
    "Tom Price",
    "Siân O'Neil",
    "Kwame Mensah",
    "Priya Shah",
    "Liam Byrne",
    "Grace Okafor",
    "Hannah Li",
]
OBSERVERS = ["Jo Observer", "Ruth Adeyemi", "Mark Ellis", "Nadia Haddad"]
WAVES = ["1", "2", "3"]
REGIONS = ["North West", "London", "South West"]
PARTNERS = ["Partner A", "Partner B", "Partner C"]
BASE = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def session_tables(
    rng: random.Random,
    framework: Framework,
    *,
    demo: bool = False,
    status: Status | None = None,
    wave: str | None = None,
) -> dict[str, Any]:
    """The TinyDB layout of one generated session: 1-2 facilitators, some not observed."""
    people = rng.sample(FACILITATORS, rng.choice([1, 1, 2]))
    mode = rng.choice(list(Mode))
    start = BASE + timedelta(days=rng.randrange(300), hours=rng.randrange(6))
    meta = Meta(
        date=start.date(),
        start=start.strftime("%H:%M"),
        mode=mode,
        facilitators=[Person.named(n) for n in people],
        observer=Person.named(rng.choice(OBSERVERS)),
        wave=wave or rng.choice(WAVES),
        region=rng.choice(REGIONS),
        partner=rng.choice(PARTNERS),
        demo=demo,
    )
    session = Session(
        id=str(_uuid(rng)),
        meta=meta,
        framework=framework.snapshot(),
        created_at=start,
        updated_at=start,
        status=status or rng.choice([Status.COMPLETED] * 3 + list(Status)),
    )
    notes = []
    for i in range(rng.randrange(2, 8)):
        notes.append(
            Note(
                id=str(_uuid(rng)),
                at=start + timedelta(minutes=5 * i),
                elapsed_s=300.0 * i,
                text=f"note {i} about {rng.choice(people)}",
                kind=rng.choice(list(NoteKind)),
                deleted=rng.random() < 0.1,
            )
        )
    ratings = []
    criteria = [c for _, c in framework.criteria(mode)]
    for person in meta.facilitators:
        for criterion in rng.sample(criteria, rng.randrange(0, len(criteria) + 1)):
            level = None if rng.random() < 0.15 else rng.choice(framework.scale.values)
            ratings.append(
                Rating(
                    id=Rating.id_for(session.id, person.id, criterion.id),
                    facilitator=person.id,
                    criterion=criterion.id,
                    level=level,
                    at=start,
                )
            )
    return {
        files.SESSION_TABLE: {"1": session.dump()},
        files.NOTES_TABLE: {str(i): n.dump() for i, n in enumerate(notes, start=1)},
        files.RATINGS_TABLE: {str(i): r.dump() for i, r in enumerate(ratings, start=1)},
    }


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def write_tables(workspace: Workspace, tables: dict[str, Any]) -> Path:
    session = Session.model_validate(tables[files.SESSION_TABLE]["1"])
    path = workspace.sessions_dir / files.file_name(session)
    write_atomic(path, dumps(tables))
    return path


def populate(
    workspace: Workspace, framework: Framework, n: int, seed: int = 1, demo_every: int = 0
) -> list[Path]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        demo = bool(demo_every) and i % demo_every == 0
        out.append(write_tables(workspace, session_tables(rng, framework, demo=demo)))
    return out


def documents(path: Path) -> dict[str, Any]:
    """A session file's documents keyed by (table, id), doc_ids left out: for comparisons."""
    import orjson

    data = orjson.loads(path.read_bytes())
    out: dict[str, Any] = {}
    for table, docs in data.items():
        for doc in docs.values():
            key = doc.get("id") or (doc.get("table"), doc.get("id"))
            if table == "conflicts":
                key = (doc["table"], doc["id"])
            out[f"{table}:{key}"] = doc
    return out


TODAY = date(2026, 3, 4)
