"""A facilitator's focus for their next observation: written, shown, cleared, taken up.

Before an observation the facilitator chooses the criteria they would like looked at and
writes a line against each (``core.focus.SelfAssessment``). It is kept in the workspace
(``store.focus_local``) and, in a team, published in their own part of the team folder,
sealed to the people who will observe them (``services.focus_team``). A new session of that
facilitator takes it up into ``meta.self_assessments`` and marks it used, so it is offered once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from observe.core.errors import UsageError
from observe.core.focus import SelfAssessment, check_criteria, hopes_of, text_problem
from observe.core.frameworks import load_all
from observe.core.models import Framework, Meta, Person
from observe.services.team_people import team_people
from observe.store import focus_draft, focus_local
from observe.store.focus_draft import Draft
from observe.store.focus_local import FocusUnreadable
from observe.store.workspace import Workspace

__all__ = [
    "Draft",
    "FocusUnreadable",
    "Written",
    "clear",
    "drop_draft",
    "last_written",
    "load_draft",
    "readers_named",
    "save_draft",
    "show",
    "waiting_for",
    "whose",
    "write",
]


@dataclass(frozen=True)
class Written:
    assessment: SelfAssessment
    path: Path
    published: Path | None = None  # the sealed copy in the team folder, when in a team
    readers: tuple[str, ...] = ()  # the names it was sealed to


def whose(workspace: Workspace, name: str | None) -> tuple[Person, bool]:
    """The facilitator a focus is for, and whether that is this workspace's own person.

    In a team names are the roster's, and no name means "me"; outside a team there is no "me"
    to fall back on, so the name must be given."""
    people = team_people(workspace.root)
    you = people.you() if people is not None else None
    if name and name.strip():
        if people is None:
            return Person.named(name), False
        person = people.person(name)
        return person, you is not None and person.id == you.id
    if you is not None:
        return Person(id=you.id, name=you.name), True
    raise UsageError("say whose focus this is with --for NAME (this workspace is in no team)")


def framework_for(workspace: Workspace, framework_id: str | None) -> Framework:
    return load_all(workspace.criteria_dir).get(framework_id or None)


def make(
    workspace: Workspace,
    person: Person,
    *,
    criteria: Sequence[str],
    hopes: Sequence[str],
    overall: str = "",
    framework_id: str | None = None,
    today: Date | None = None,
) -> SelfAssessment:
    """A checked SelfAssessment: criteria in the framework, each text short enough."""
    framework = framework_for(workspace, framework_id)
    if not criteria:
        raise UsageError("choose at least one criterion to be looked at")
    if len(hopes) > len(criteria):
        raise UsageError("each --hope follows the --criterion it is about")
    ids = check_criteria(framework, criteria)
    for i, text in enumerate(hopes):
        problem = text_problem(text, f"the line for {ids[i]}")
        if problem:
            raise UsageError(problem)
    problem = text_problem(overall, "the overall line")
    if problem:
        raise UsageError(problem)
    return SelfAssessment(
        facilitator=person.id,
        name=person.name,
        framework=framework.id,
        written=today or Date.today(),
        hopes=hopes_of(ids, [h.strip() for h in hopes]),
        overall=overall.strip(),
    )


def save(
    workspace: Workspace,
    assessment: SelfAssessment,
    *,
    own: bool,
    to: Sequence[str] | None = None,
) -> Written:
    """Keep ``assessment`` here; in a team, when it is this person's own, publish it too,
    to the readers ``to`` names (None: those named for it before)."""
    from observe.services import focus_team

    if to and not (own and focus_team.in_team(workspace.root)):
        raise UsageError("--to is for your own focus in a team: it names who may read it")
    path = focus_local.save(workspace.root, assessment)
    if own and focus_team.in_team(workspace.root):
        published, readers = focus_team.publish(workspace, assessment, to)
        return Written(assessment, path, published, tuple(readers))
    return Written(assessment, path)


def write(
    workspace: Workspace,
    *,
    criteria: Sequence[str],
    hopes: Sequence[str],
    overall: str = "",
    framework_id: str | None = None,
    facilitator: str | None = None,
    to: Sequence[str] = (),
    today: Date | None = None,
) -> Written:
    person, own = whose(workspace, facilitator)
    assessment = make(
        workspace,
        person,
        criteria=criteria,
        hopes=hopes,
        overall=overall,
        framework_id=framework_id,
        today=today,
    )
    return save(workspace, assessment, own=own, to=tuple(to) or None)


def show(workspace: Workspace, facilitator: str | None) -> SelfAssessment | None:
    """The focus kept here for ``facilitator`` (written here, or brought by sync)."""
    person, _ = whose(workspace, facilitator)
    found = focus_local.load(workspace.root, person.id)
    return found or focus_local.load(workspace.root, person.id, received=True)


def clear(workspace: Workspace, facilitator: str | None) -> bool:
    """Forget the focus written here for ``facilitator`` (and withdraw its published copy)."""
    from observe.services import focus_team

    person, own = whose(workspace, facilitator)
    gone = focus_local.delete(workspace.root, person.id)
    if own and focus_team.in_team(workspace.root):
        gone = focus_team.withdraw(workspace) or gone
    return gone


def last_written(workspace: Workspace) -> SelfAssessment | None:
    """The focus written here most recently (brought by sync or not readable: passed over)."""
    newest: tuple[int, SelfAssessment] | None = None
    for path, found in focus_local.all_in(workspace.root):
        if isinstance(found, str):
            continue
        try:
            when = path.stat().st_mtime_ns
        except OSError:
            continue
        if newest is None or when > newest[0]:
            newest = (when, found)
    return newest[1] if newest else None


def readers_named(workspace: Workspace) -> list[str]:
    """The names of the members this member named as readers of their own focus."""
    people = team_people(workspace.root)
    you = people.you() if people is not None else None
    if people is None or you is None:
        return []
    names = {p.id: p.name for p in people.people}
    return [names[i] for i in focus_local.readers_named(workspace.root, you.id) if i in names]


def load_draft(workspace: Workspace) -> Draft | None:
    return focus_draft.load(workspace.root)


def save_draft(workspace: Workspace, draft: Draft) -> None:
    focus_draft.save(workspace.root, draft)


def drop_draft(workspace: Workspace) -> None:
    focus_draft.delete(workspace.root)


def waiting_for(workspace: Workspace, person: Person) -> SelfAssessment | None:
    """The focus waiting for ``person``'s next observation: written here, else brought by sync;
    None when there is none, it was used already, or its file cannot be read."""
    used = focus_local.used(workspace.root)
    for received in (False, True):
        try:
            found = focus_local.load(workspace.root, person.id, received=received)
        except FocusUnreadable:
            continue
        if found is not None and found.id not in used and found.facilitator == person.id:
            return found
    return None


def waiting_in(workspace: Workspace, people: Sequence[Person]) -> list[SelfAssessment]:
    return [found for p in people if (found := waiting_for(workspace, p)) is not None]


def take_up(meta: Meta, framework: Framework, assessments: Sequence[SelfAssessment]) -> Meta:
    """``meta`` with each assessment kept (one per facilitator, theirs only) and its criteria
    that ``framework`` has added to the session's focus."""
    ids = {p.id for p in meta.facilitators}
    kept = {a.facilitator: a for a in meta.self_assessments}
    focus = list(meta.focus)
    for assessment in assessments:
        if assessment.facilitator not in ids:
            continue
        kept[assessment.facilitator] = assessment
        known = [c.id for key in assessment.criteria if (c := framework.criterion(key))]
        focus += [c for c in known if c not in focus]
    return meta.model_copy(update={"self_assessments": list(kept.values()), "focus": focus})


def as_text(workspace: Workspace, assessment: SelfAssessment) -> str:
    """The focus as a person reads it in a terminal: every user text escaped."""
    from observe.core.untrusted import escape_controls

    try:
        framework: Framework | None = framework_for(workspace, assessment.framework)
    except UsageError:
        framework = None
    used = assessment.id in focus_local.used(workspace.root)
    when = f", written {assessment.written.isoformat()}" if assessment.written else ""
    lines = [f"Focus of {escape_controls(assessment.name or assessment.facilitator)}{when}"]
    if used:
        lines[0] += " (taken up by a session already)"
    for hope in assessment.hopes:
        criterion = framework.criterion(hope.criterion) if framework else None
        title = f"  {escape_controls(criterion.title)}" if criterion else ""
        lines.append(f"  {hope.criterion}{title}")
        lines.append(f"      {escape_controls(hope.text) or '(nothing written)'}")
    if assessment.overall:
        lines.append(f"  Overall: {escape_controls(assessment.overall)}")
    return "\n".join(lines)


def taken_up_line(assessment: SelfAssessment) -> str:
    from observe.core.untrusted import escape_controls

    who = escape_controls(assessment.name or assessment.facilitator)
    return f"Taken up {who}'s own focus: {', '.join(assessment.criteria)}"


def mark_used(workspace: Workspace, assessments: Sequence[SelfAssessment]) -> None:
    for assessment in assessments:
        focus_local.mark_used(workspace.root, assessment.id)
