"""Co-observation for the app and the command line: start a second observer's session of a
delivery, keep the group blind while anyone observes, compare, and write the agreed record
(see observe.core.calibration for why the agreement is a session of its own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from observe.core.calibration import (
    Group,
    Line,
    Outcome,
    comparable_records,
    compare,
    groups_of,
    joint_observer,
    outcomes_in,
)
from observe.core.errors import UsageError
from observe.core.models import (
    ID_RULE,
    FacilitatorSummary,
    Framework,
    Meta,
    Person,
    Status,
    new_id,
    valid_id,
)
from observe.core.record import SessionRecord
from observe.services.sessions import refresh_index
from observe.store.repository import Repository
from observe.store.workspace import Workspace

COPIED = ("programme", "wave", "region", "partner", "cohort", "title", "date", "start", "mode")
COPIED_TOO = ("facilitators", "focus", "consent", "demo")


def checked_id(value: str) -> str:
    """A calibration id as typed: refused (one line) unless it is a valid id."""
    value = value.strip()
    if not valid_id(value):
        shown = value[:40].encode("unicode_escape").decode("ascii")
        raise UsageError(f"calibration id {shown!r} is not valid: {ID_RULE}")
    return value


def groups(workspace: Workspace) -> dict[str, Group]:
    return groups_of(refresh_index(workspace))


def group_of(workspace: Workspace, calibration: str) -> Group:
    found = groups(workspace).get(calibration)
    if found is None:
        raise UsageError(f"no co-observed sessions with calibration id {calibration!r}")
    return found


# ---------------------------------------------------------------- starting


def co_observation(
    workspace: Workspace, source: Path, observer: str, *, calibration: str | None = None
) -> tuple[Meta, Framework]:
    """Metadata and framework for another observer of the delivery in ``source``: its
    details, facilitators and framework, and its calibration id, which ``source`` is given
    now if it has none (refused while it is open elsewhere)."""
    repo = Repository(workspace)
    record = repo.load(source)
    if record.session.meta.agreed:
        raise UsageError("this is an agreed record: start from one of the observers' sessions")
    if not observer.strip():
        raise UsageError("name the observer: who is observing this delivery too?")
    theirs = record.session.meta.calibration
    key = checked_id(calibration) if calibration else theirs or new_id()
    if theirs and key != theirs:
        raise UsageError(f"that session is co-observed already, as {theirs!r}")
    if not theirs:
        with repo.open(source) as held:
            held.update(meta=held.session.meta.model_copy(update={"calibration": key}))
    old = record.session.meta
    person = Person.named(observer)
    if old.observer is not None and old.observer.id == person.id:
        raise UsageError(f"{person.name} is that session's observer: a second observer is needed")
    meta = Meta(
        **{k: getattr(old, k) for k in COPIED + COPIED_TOO},
        observer=person,
        calibration=key,
    )
    return meta, record.session.framework.content


# ---------------------------------------------------------------- blind until all finish


def sealed_reason(workspace: Workspace, path: Path) -> str:
    """Why the session in ``path`` may not show its ratings now ("" when it may): one of a
    co-observed delivery whose observers have not all finished. An observer's own session
    in progress is theirs to see."""
    entries = refresh_index(workspace)
    mine = next((e for e in entries if e.name == path.name and e.ok), None)
    if mine is None or not mine.meta.get("calibration") or mine.status == Status.IN_PROGRESS:
        return ""
    group = groups_of(entries).get(mine.meta["calibration"])
    if group is None or not group.sealed:
        return ""
    return group.sealed_message()


def feedback_refusal(
    workspace: Workspace, record: SessionRecord, path: Path, *, sharing: bool = False
) -> str:
    """Why this session's feedback may not be exported (or, ``sharing``, shared) ("" when
    it may): a co-observed delivery's feedback is its agreed record. Until there is one an
    observer may export their own (a draft to talk over), never share it."""
    meta = record.session.meta
    if not meta.calibration or meta.agreed:
        return ""
    if reason := sealed_reason(workspace, path):
        return reason
    group = groups(workspace).get(meta.calibration)
    short = record.session.short_id
    if group is not None and group.agreed is not None:
        return (
            f"session {short} is one observer's record of a co-observed delivery; its"
            f" feedback is the agreed record {group.agreed.id[:8]}"
        )
    if not sharing:
        return ""
    return (
        f"session {short} is one observer's record of a co-observed delivery: compare and"
        " agree first (a on home); the agreed record is the feedback"
    )


# ---------------------------------------------------------------- comparing and agreeing


def comparison(
    workspace: Workspace, calibration: str
) -> tuple[list[SessionRecord], SessionRecord | None, list[Line]]:
    """The observers' sessions (first started first), the agreed record if there is one,
    and the lines to compare; refused while the group is sealed."""
    group = group_of(workspace, calibration)
    if group.sealed:
        raise UsageError(group.sealed_message())
    repo = Repository(workspace)
    folder = workspace.sessions_dir
    records = [repo.load(folder / m.name) for m in group.members]
    if why := comparable_records(records):
        raise UsageError(f"cannot compare: {why}")
    agreed = repo.load(folder / group.agreed.name) if group.agreed is not None else None
    return records, agreed, compare(records, outcomes_of(agreed) if agreed else ())


def outcomes_of(record: SessionRecord) -> list[Outcome]:
    return outcomes_in(record.session)


def agree(
    workspace: Workspace,
    calibration: str,
    outcomes: Sequence[Outcome],
    now: datetime | None = None,
) -> Path:
    """Write the group's agreed record (made the first time, revised after): the agreed
    ratings, every observer's notes, and the outcomes. Returns its file."""
    records, agreed, _ = comparison(workspace, calibration)
    repo = Repository(workspace)
    group = group_of(workspace, calibration)
    if agreed is not None and agreed.session.status not in (Status.COMPLETED,):
        raise UsageError("the agreed record is shared with the facilitator already")
    if agreed is None:
        first = records[0].session
        meta = first.meta.model_copy(
            update={"observer": joint_observer(records), "agreed": True, "calibration": calibration}
        )
        held = repo.create(meta, first.framework.content, start_clock=False, write=False)
    else:
        assert group.agreed is not None
        held = repo.open(workspace.sessions_dir / group.agreed.name)
    with held:
        known = {n.id for n in held.record.notes}
        for record in records:
            for note in record.live_notes():
                if note.id not in known:
                    held.apply_note(note)
                    known.add(note.id)
        for outcome in outcomes:
            old = held.record.rating(outcome.facilitator, outcome.criterion)
            if not outcome.agreed:
                if old is not None:
                    held.apply_rating(old.model_copy(update={"deleted": True, "rev": old.rev + 1}))
                continue
            evidence, comments = [], []
            for record in records:
                theirs = record.rating(outcome.facilitator, outcome.criterion)
                if theirs is not None:
                    evidence += [i for i in theirs.evidence if i not in evidence]
                    if theirs.comment.strip() and theirs.comment not in comments:
                        comments.append(theirs.comment.strip())
            comment = outcome.note.strip() or "; ".join(comments)
            held.apply_rating(
                held.rated(
                    outcome.facilitator,
                    outcome.criterion,
                    outcome.level,
                    comment=comment,
                    evidence=evidence,
                )
            )
        changes: dict[str, object] = {
            "agreement": [o.model_dump(mode="json") for o in outcomes],
            "calibration_members": [r.session.id for r in records],
        }
        if agreed is None:
            for facilitator, texts in _joint_summary(records).items():
                held.apply_summary(held.summarised(facilitator, **texts))
            changes.update(held.status_changes(Status.COMPLETED))
        held.apply_session(held.updated(**changes))
        held.save()
        return held.path


def _joint_summary(records: Sequence[SessionRecord]) -> dict[str, dict[str, str]]:
    """Each facilitator's summary texts from every observer's, their words kept, once each."""
    joint: dict[str, dict[str, str]] = {}
    for person in records[0].session.meta.facilitators:
        parts: dict[str, list[str]] = {name: [] for name in FacilitatorSummary.TEXTS}
        for record in records:
            theirs = record.summary(person.id)
            for name, found in parts.items():
                text = getattr(theirs, name).strip()
                if text and text not in found:
                    found.append(text)
        joint[person.id] = {k: "\n\n".join(v) for k, v in parts.items()}
    return joint
