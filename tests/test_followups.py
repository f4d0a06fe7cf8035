"""A new observation of a facilitator brings their open actions from earlier ones; the
observer's marks are stored in the new session; overdue actions are found for home screens."""

from __future__ import annotations

from datetime import date

from observe.core.choices import ActionState, FollowUpMark
from observe.core.models import Action, Framework, Response
from observe.services import followups
from observe.services.session_owner import SessionOwner
from observe.store import files
from observe.store.repository import Repository
from tests.conftest import FakeClock, make_meta


def earlier(repo: Repository, framework: Framework, *actions: Action) -> str:
    owner = SessionOwner.create(repo, make_meta(), framework)
    who = owner.session.meta.facilitators[0].id
    owner.set_responses({who: Response.new(owner.session.id, who, actions=list(actions))})
    assert owner.close(timeout=5)
    return owner.session.id


def test_open_actions_come_with_the_next_observation_and_marks_are_stored(
    repo: Repository, framework: Framework, clock: FakeClock
) -> None:
    first = earlier(
        repo,
        framework,
        Action(text="Pause after questions", by=date(2026, 3, 10)),
        Action(text="Closed already", state=ActionState.DONE, changed=date(2026, 3, 5)),
    )
    clock.advance(7 * 86400)
    owner = SessionOwner.create(repo, make_meta(), framework)
    ups = owner.followups
    assert [(u.label, u.text, u.from_session) for u in ups] == [
        ("A1", "Pause after questions", first)
    ]
    owner.mark_followup(ups[0].id, FollowUpMark.PARTLY)
    assert owner.close(timeout=5)
    stored = files.read_record(owner.path)
    assert [(u.label, u.mark, u.rev) for u in stored.followups] == [("A1", FollowUpMark.PARTLY, 2)]
    # the earlier session is untouched: its action is still open there
    found = followups.overdue(repo.workspace, date(2026, 3, 11))
    assert [(o.facilitator, o.text) for o in found] == [("Asha Rahman", "Pause after questions")]
    assert followups.overdue(repo.workspace, date(2026, 3, 10)) == []
    assert followups.overdue(repo.workspace, date(2026, 3, 11), facilitator="tom-price") == []


def test_a_first_observation_has_nothing_from_last_time(
    repo: Repository, framework: Framework
) -> None:
    owner = SessionOwner.create(repo, make_meta(), framework)
    assert owner.followups == ()
    assert owner.close(timeout=5)
