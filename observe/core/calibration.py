"""Co-observation: two or more observers of one delivery, each rating blind in their own
session file, then comparing and settling on one agreed record.

The sessions of one delivery share ``meta.calibration`` (an id). While any observer's session
is still in progress the group is *sealed*: no screen, export, listing or collation shows
the others' ratings. Once every one is completed the observers compare them side by side
and agree a level per criterion, or record that they differ.

The agreed record is a session document of its own, marked ``meta.agreed``, with the same
calibration id, rather than the first observer's file with the agreement applied:

- each observer's file keeps exactly what that observer saw and rated, so the agreement
  statistics read untouched individual ratings, and an agreed level never overwrites one;
- one writer per file: in a team folder an observer writes only their own files, and an
  agreement written into the first observer's file would give it two writers;
- feedback, sharing, the facilitator's response and collation all work on one ordinary
  session: the facilitator gets one feedback PDF, and nothing downstream needs a new kind
  of document. Collation counts the agreed record and leaves the individual ones out.

The agreed record holds every observer's notes (their evidence), the agreed ratings, and in
``agreement`` one outcome per facilitator x criterion that was compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from observe.core.models import Criterion, Id, Note, Person, Session, Status
from observe.core.record import SessionRecord

FINISHED = frozenset({Status.COMPLETED, Status.SHARED, Status.ACKNOWLEDGED})
SEALED_MESSAGE = (
    "co-observed with {others}: the ratings stay hidden until every observer has finished"
    " ({waiting} still observing)"
)


class EntryLike(Protocol):
    """A session as the index knows it (observe.store.index.Entry)."""

    name: str
    id: str
    status: str
    meta: dict[str, Any]
    created_at: str
    error: str | None


def calibration_of(meta: dict[str, Any]) -> str:
    value = meta.get("calibration")
    return value if isinstance(value, str) else ""


def is_agreed(meta: dict[str, Any]) -> bool:
    return meta.get("agreed") is True


@dataclass
class Group:
    """The sessions of one co-observed delivery: each observer's, first started first, and
    the agreed record once there is one."""

    id: str
    members: list[EntryLike] = field(default_factory=list)
    agreed: EntryLike | None = None

    @property
    def waiting(self) -> int:
        """Observers still observing."""
        return sum(1 for m in self.members if m.status not in FINISHED)

    @property
    def sealed(self) -> bool:
        return self.waiting > 0

    @property
    def comparable(self) -> bool:
        return len(self.members) >= 2 and not self.sealed

    def observers(self) -> list[str]:
        return [observer_name(m.meta) for m in self.members]

    def sealed_message(self) -> str:
        return SEALED_MESSAGE.format(
            others=", ".join(self.observers()) or "other observers", waiting=self.waiting
        )


def observer_name(meta: dict[str, Any]) -> str:
    observer = meta.get("observer") or {}
    name = observer.get("name", "") if isinstance(observer, dict) else ""
    return name or "an unnamed observer"


def groups_of(entries: Iterable[EntryLike]) -> dict[str, Group]:
    """The calibration groups among readable ``entries``, by calibration id."""
    groups: dict[str, Group] = {}
    for entry in entries:
        if entry.error is not None:
            continue
        key = calibration_of(entry.meta)
        if not key:
            continue
        group = groups.setdefault(key, Group(key))
        if is_agreed(entry.meta):
            # Two agreed records (made on two machines): the later one is the agreement.
            if group.agreed is None or (entry.created_at, entry.id) > (
                group.agreed.created_at,
                entry.id,
            ):
                group.agreed = entry
        else:
            group.members.append(entry)
    for group in groups.values():
        group.members.sort(key=lambda e: (e.created_at, e.id))
    return groups


def counted_once(entries: Sequence[EntryLike]) -> tuple[list[EntryLike], int]:
    """The entries collation counts, and how many co-observed sessions it leaves out: a
    delivery observed by several counts once for its facilitators, through its agreed
    record, or the first observer's session until they agree; nothing of a group while it
    is sealed."""
    groups = groups_of(entries)
    kept: list[EntryLike] = []
    left_out = 0
    for entry in entries:
        key = calibration_of(entry.meta) if entry.error is None else ""
        group = groups.get(key)
        if group is None:
            kept.append(entry)
            continue
        if group.agreed is not None:
            keep = entry is group.agreed
        else:
            keep = not group.sealed and entry is group.members[0]
        if keep:
            kept.append(entry)
        elif entry.status in FINISHED:
            left_out += 1
    return kept, left_out


# ---------------------------------------------------------------- comparing


class Outcome(BaseModel):
    """What the observers settled on for one facilitator on one criterion."""

    model_config = ConfigDict(extra="allow")

    facilitator: Id
    criterion: str
    agreed: bool = True
    level: int | None = None  # agreed: the level, None for not observed; else unused
    note: str = ""  # why they differ (or anything they want kept with the agreement)


@dataclass
class Seen:
    """One observer's rating of one criterion for one facilitator, with its evidence."""

    observer: str
    rated: bool
    level: int | None
    comment: str
    evidence: list[Note]


@dataclass
class Line:
    """One criterion for one facilitator, every observer's rating side by side."""

    facilitator: Person
    criterion: Criterion
    seen: list[Seen]
    outcome: Outcome | None = None  # settled already (an agreed record being revised)

    @property
    def key(self) -> tuple[str, str]:
        return self.facilitator.id, self.criterion.id

    @property
    def differs(self) -> bool:
        return len({(s.rated, s.level) for s in self.seen}) > 1

    @property
    def common(self) -> tuple[bool, int | None]:
        """(True, level) when every observer gave the same rating, else (False, None)."""
        found = {(s.rated, s.level) for s in self.seen}
        if len(found) == 1:
            rated, level = next(iter(found))
            return rated, level
        return False, None


def outcomes_in(session: Session) -> list[Outcome]:
    """The outcomes an agreed record holds (a malformed one, edited by hand, is skipped)."""
    raw = (session.model_extra or {}).get("agreement")
    out = []
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append(Outcome.model_validate(item))
        except ValidationError:
            continue  # that criterion is simply not settled
    return out


def differing(session: Session, facilitator: str, criterion: str) -> Outcome | None:
    """The recorded difference on this criterion, when the observers did not agree."""
    return next(
        (
            o
            for o in outcomes_in(session)
            if not o.agreed and (o.facilitator, o.criterion) == (facilitator, criterion)
        ),
        None,
    )


def comparable_records(records: Sequence[SessionRecord]) -> str:
    """Why these sessions cannot be compared ("" when they can)."""
    if len(records) < 2:
        return "there is only one observer's session"
    first = records[0].session
    for record in records[1:]:
        if record.session.framework.id != first.framework.id:
            return "the observers used different frameworks"
        if {p.id for p in record.session.meta.facilitators} != {
            p.id for p in first.meta.facilitators
        }:
            return "the observers named different facilitators"
    return ""


def compare(records: Sequence[SessionRecord], settled: Iterable[Outcome] = ()) -> list[Line]:
    """Every criterion rated by any observer, per facilitator, differences first (then in
    the framework's order). ``records`` are the observers' sessions, first started first."""
    first = records[0].session
    framework = first.framework.content
    outcomes = {(o.facilitator, o.criterion): o for o in settled}
    lines: list[Line] = []
    for person in first.meta.facilitators:
        for _, criterion in framework.criteria(first.meta.mode):
            seen = []
            for record in records:
                rating = record.rating(person.id, criterion.id)
                notes = record.notes_for(criterion=criterion.id, facilitator=person.id)
                linked = {i for i in (rating.evidence if rating else [])}
                by_id = {n.id: n for n in record.live_notes() if n.id in linked}
                evidence = sorted(
                    {**by_id, **{n.id: n for n in notes}}.values(), key=lambda n: n.elapsed_s
                )
                seen.append(
                    Seen(
                        observer=record.session.meta.observer.name
                        if record.session.meta.observer
                        else "an unnamed observer",
                        rated=rating is not None,
                        level=rating.level if rating else None,
                        comment=rating.comment if rating else "",
                        evidence=evidence,
                    )
                )
            if any(s.rated or s.evidence for s in seen):
                line = Line(person, criterion, seen, outcomes.get((person.id, criterion.id)))
                lines.append(line)
    order = {line.key: i for i, line in enumerate(lines)}
    return sorted(lines, key=lambda line: (not line.differs, order[line.key]))


def joint_observer(records: Sequence[SessionRecord]) -> Person:
    """The agreed record's observer: every observer of the group, by name."""
    names = [
        r.session.meta.observer.name if r.session.meta.observer else "unnamed" for r in records
    ]
    return Person.named(" & ".join(dict.fromkeys(names)))
