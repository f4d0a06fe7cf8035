"""A new observation in a workspace of 5,000 sessions brings the facilitators' open actions.

- new session: ``Repository.create`` and ``bring_forward`` (the open actions carried from the
  index, the few files it names read again), against the floor of the same creation and a
  warm index load alone, measured alternately in this run (budget: within 2x).
"""

from __future__ import annotations

from bench.common import Result, demo_workspace, median, timed
from observe.core.models import Meta
from observe.services import followups
from observe.store.index import Index
from observe.store.repository import Repository
from observe.store.workspace import Workspace

SESSIONS = 5000
RUNS = 5


def _meta(ws: Workspace) -> Meta:
    """The facilitators of the newest session: people with a history of actions."""
    from observe.services.sessions import listing_rows

    newest = listing_rows(ws)[0]
    record = Repository(ws).load(ws.sessions_dir / newest.file)
    return record.session.meta


def run() -> list[Result]:
    ws = demo_workspace("followups", SESSIONS)
    repo = Repository(ws)
    Index(ws).refresh()  # warm, as a running app has it
    meta = _meta(ws)
    framework = repo.load(sorted(ws.sessions_dir.glob("*.json"))[0]).session.framework.content
    carried: list[int] = []

    def plain() -> None:
        Index(ws).refresh()
        repo.create(meta, framework, write=False).close()

    def with_actions() -> None:
        opened = repo.create(meta, framework, write=False)
        carried.append(followups.bring_forward(opened, ws))
        opened.close()

    floors, values = [], []
    for _ in range(RUNS):  # alternately: a burst of load on a shared machine hits both
        floors += timed(plain)
        values += timed(with_actions)
    value, floor = median(values), median(floors)
    return [
        Result(
            f"new session on {SESSIONS} sessions, {carried[-1]} actions carried",
            value,
            floor,
            "ratio <= 2",
            value <= 2 * floor,
        )
    ]
