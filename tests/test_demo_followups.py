"""The demo workspace shows actions followed up across waves: marks, closed and overdue ones."""

from __future__ import annotations

from datetime import date

from observe.core.choices import ActionState
from observe.core.models import Framework
from observe.services.demo import generate
from observe.services.followups import overdue
from observe.store import files
from observe.store.workspace import Workspace


def test_the_demo_follows_actions_up(workspace: Workspace, framework: Framework) -> None:
    paths = generate(workspace.sessions_dir, framework, count=60, seed=3)
    records = [files.read_record(p) for p in paths]
    ups = [u for r in records for u in r.followups]
    assert ups and all(u.mark is not None for u in ups)
    states = {a.state for r in records for resp in r.responses for a in resp.actions}
    assert {ActionState.DONE, ActionState.OPEN} <= states
    assert overdue(workspace, date(2030, 1, 1))
    for r in records:  # every follow-up names an earlier session's open action
        starts = {x.session.id: x.session.created_at for x in records}
        assert all(starts[u.from_session] < r.session.created_at for u in r.followups)
