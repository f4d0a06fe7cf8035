"""One facilitator's portfolio: their observations across waves, as their own record of growth.

Built from session records alone (pure): every finished observation of the person, their
ratings per criterion over time (one set per framework they were observed under), the
strengths and themes to develop that recur with their evidence, the actions they agreed and
what became of them, their own reflections, and what they hoped to show beside what was
seen. It is developmental, never a league table: nothing here compares people.

Which sessions count is collation's rule (observe.core.collate, observe.core.calibration):
completed, shared and acknowledged ones; demo sessions only with ``demo`` (never mixed); a
co-observed delivery once, as its agreed record (the first observer's until they agree;
none of a group while one still observes).

People and free text go through ``Labels``: names by default; the service hands codes and a
text rewriter for a lead's pseudonymised view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from observe.core.actions import evidence as tied_notes
from observe.core.calibration import FINISHED, counted_once
from observe.core.collate import wave_key
from observe.core.models import Framework, Note, NoteKind
from observe.core.notetext import untagged
from observe.core.portfolio_model import (
    ActionTaken,
    FollowUpSeen,
    Hoped,
    Observation,
    Point,
    Portfolio,
    Reflection,
    SelfAssessed,
    Series,
    SessionWords,
    Theme,
    ThemeEvidence,
)
from observe.core.record import SessionRecord

__all__ = ["Labels", "Portfolio", "build", "counted", "facilitators_in"]

RECURS = 2  # "more than once": a theme shows in at least this many observations


@dataclass(frozen=True)
class Labels:
    """How people and free text appear: names as written unless the caller says otherwise."""

    facilitator: Callable[[str, str], str] = lambda pid, name: name or pid
    observer: Callable[[str, str], str] = lambda pid, name: name or pid
    text: Callable[[str], str] = lambda value: value


@dataclass
class _Entry:
    """A record as collation's selection sees a session (observe.core.calibration.EntryLike)."""

    record: SessionRecord
    name: str
    id: str
    status: str
    meta: dict[str, Any]
    created_at: str
    error: str | None = None


def _entry(record: SessionRecord) -> _Entry:
    s = record.session
    meta = s.meta.model_dump(mode="json")
    return _Entry(record, s.id, s.id, record.status.value, meta, s.created_at.isoformat())


def counted(
    entries: Iterable[Any], facilitator: str, demo: bool = False
) -> tuple[list[Any], dict[str, int]]:
    """The sessions of ``facilitator`` the portfolio counts (index entries, or anything with
    their ``id``, ``status``, ``meta``, ``created_at`` and ``error``), oldest first, and how
    many of theirs it left out and why ("demo", "unfinished", "co_observed")."""
    left = {"demo": 0, "unfinished": 0, "co_observed": 0}
    same_kind = []
    for e in entries:
        if e.error is not None:
            continue
        if not any(p.get("id") == facilitator for p in e.meta.get("facilitators") or ()):
            continue
        if bool(e.meta.get("demo")) != demo:
            left["demo"] += 1 if not demo and e.status in FINISHED else 0
            continue
        same_kind.append(e)
    kept, left["co_observed"] = counted_once(same_kind)
    chosen = []
    for e in kept:
        if e.status in FINISHED:
            chosen.append(e)
        else:
            left["unfinished"] += 1
    chosen.sort(key=lambda e: (str(e.meta.get("date")), str(e.meta.get("start")), e.id))
    return chosen, left


def facilitators_in(records: Iterable[SessionRecord]) -> dict[str, str]:
    """Every facilitator id -> name among ``records`` (the first spelling seen)."""
    out: dict[str, str] = {}
    for r in records:
        for p in r.session.meta.facilitators:
            out.setdefault(p.id, p.name)
    return out


# ---------------------------------------------------------------- building


def build(
    records: Iterable[SessionRecord],
    facilitator: str,
    *,
    demo: bool = False,
    labels: Labels | None = None,
    today: Date | None = None,
) -> Portfolio:
    """The portfolio of ``facilitator`` (an id) over ``records`` (any sessions: those that
    do not count are left out here); open actions past their date as of ``today`` (none
    marked so without it)."""
    labels = labels or Labels()
    everyone = list(records)
    entries, left_out = counted((_entry(r) for r in everyone), facilitator, demo)
    chosen: list[SessionRecord] = [e.record for e in entries]
    name = facilitators_in(everyone).get(facilitator, facilitator)
    frameworks = _latest_frameworks(chosen)
    out = Portfolio(
        facilitator_id=facilitator,
        facilitator=labels.facilitator(facilitator, name),
        demo=demo,
        left_out=left_out,
    )
    for record in chosen:
        out.observations.append(_observation(record, facilitator, labels))
    out.ratings = _series(chosen, facilitator, frameworks)
    out.strengths, out.development = _themes(chosen, facilitator, frameworks, labels)
    out.summaries = [
        SessionWords(
            r.session.id,
            r.session.meta.date,
            labels.text(s.strengths.strip()),
            labels.text(s.development.strip()),
            labels.text(s.summary.strip()),
        )
        for r in chosen
        if (s := r.summary(facilitator)).written
    ]
    out.actions = _actions(chosen, facilitator, labels)
    if today is not None:
        for taken in out.actions:
            taken.past = taken.state == "open" and taken.by is not None and taken.by < today
    out.reflections = [
        Reflection(
            r.session.id,
            r.session.meta.date,
            labels.text(resp.reflection.strip()),
            labels.text(resp.disagreement.strip()),
            resp.acknowledged,
        )
        for r in chosen
        if (resp := r.response(facilitator)).reflection.strip() or resp.disagreement.strip()
    ]
    out.self_assessments = _self_assessments(chosen, facilitator, labels)
    return out


def _latest_frameworks(records: Sequence[SessionRecord]) -> dict[str, Framework]:
    """Each framework id's content as the latest observation used it (titles, scale)."""
    out: dict[str, Framework] = {}
    for r in records:  # date order: the later snapshot wins
        out[r.session.framework.id] = r.session.framework.content
    return out


def _observation(record: SessionRecord, facilitator: str, labels: Labels) -> Observation:
    s = record.session
    meta = s.meta
    observer = labels.observer(meta.observer.id, meta.observer.name) if meta.observer else ""
    return Observation(
        session=s.id,
        date=meta.date,
        wave=meta.wave,
        region=meta.region,
        partner=meta.partner,
        title=meta.title,
        mode=meta.mode.value,
        observer=observer,
        co_facilitators=[
            labels.facilitator(p.id, p.name) for p in meta.facilitators if p.id != facilitator
        ],
        status=record.status.value,
        framework=s.framework.id,
    )


def _criteria_order(framework: Framework) -> dict[str, int]:
    return {c.id: i for i, (_, c) in enumerate(framework.criteria())}


def _title(framework: Framework | None, criterion: str) -> str:
    found = framework.criterion(criterion) if framework else None
    return found.title if found else criterion


def _level_label(framework: Framework | None, level: int | None) -> str:
    if level is None:
        return "not observed"
    found = framework.scale.level(level) if framework else None
    return found.label if found else str(level)


def _series(
    records: Sequence[SessionRecord], facilitator: str, frameworks: dict[str, Framework]
) -> list[Series]:
    """Per framework, per criterion rated at least once: the levels over time."""
    points: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        fw = r.session.framework.id
        for rating in r.live_ratings():
            if rating.facilitator != facilitator:
                continue
            points[fw][rating.criterion].append(
                Point(
                    r.session.id,
                    r.session.meta.date,
                    r.session.meta.wave,
                    rating.level,
                    _level_label(frameworks.get(fw), rating.level),
                )
            )
    out = []
    for fw_id in sorted(points):
        framework = frameworks[fw_id]
        order = _criteria_order(framework)
        criteria = sorted(points[fw_id], key=lambda c: (order.get(c, 10_000), c))
        out.append(
            Series(
                framework=fw_id,
                title=framework.title,
                scale=[(lv.value, lv.label) for lv in framework.scale.levels],
                criteria=[(c, _title(framework, c), points[fw_id][c]) for c in criteria],
            )
        )
    return out


def _note_text(note: Note, labels: Labels) -> str:
    return labels.text(untagged(note.text).strip()) or "(tags only)"


def _themes(
    records: Sequence[SessionRecord],
    facilitator: str,
    frameworks: dict[str, Framework],
    labels: Labels,
) -> tuple[list[Theme], list[Theme]]:
    """(recurring strengths, recurring themes to develop): criteria rated at the top (or
    bottom) of the scale, or noted as a strength (or for development), in more than one
    observation; each with its evidence, oldest first."""
    found: dict[tuple[bool, str, str], list[ThemeEvidence]] = defaultdict(list)
    for r in records:
        fw = r.session.framework.id
        framework = frameworks.get(fw)
        values = framework.scale.values if framework else []
        when = r.session.meta.date
        for rating in r.live_ratings():
            if rating.facilitator != facilitator or rating.level is None or not values:
                continue
            for strong, edge in ((True, values[-1]), (False, values[0])):
                if rating.level == edge:
                    label = _level_label(framework, rating.level)
                    found[(strong, fw, rating.criterion)].append(
                        ThemeEvidence(r.session.id, when, "rating", f"Rated {label}")
                    )
        for note in r.notes_for(facilitator=facilitator):
            if note.kind not in (NoteKind.STRENGTH, NoteKind.DEVELOPMENT):
                continue
            strong = note.kind is NoteKind.STRENGTH
            for crit in dict.fromkeys(note.criteria):
                found[(strong, fw, crit)].append(
                    ThemeEvidence(r.session.id, when, "note", _note_text(note, labels))
                )
    strengths: list[Theme] = []
    development: list[Theme] = []
    for (strong, fw, crit), items in found.items():
        sessions = list(dict.fromkeys(e.session for e in items))
        if len(sessions) < RECURS:
            continue
        theme = Theme(fw, crit, _title(frameworks.get(fw), crit), len(sessions), items)
        (strengths if strong else development).append(theme)
    for themes in (strengths, development):
        themes.sort(
            key=lambda t: (
                -t.observations,
                t.framework,
                _criteria_order(frameworks[t.framework]).get(t.criterion, 10_000),
            )
        )
    return strengths, development


def _actions(
    records: Sequence[SessionRecord], facilitator: str, labels: Labels
) -> list[ActionTaken]:
    """Every action agreed, its state and when that changed, and each later follow-up."""
    out: dict[str, ActionTaken] = {}
    for r in records:
        for action in r.response(facilitator).actions:
            out[action.id] = ActionTaken(
                id=action.id,
                text=labels.text(action.text),
                owner=labels.text(action.owner),
                by=action.by,
                state=action.state.value,
                changed=action.changed,
                session=r.session.id,
                agreed=r.session.meta.date,
            )
    for r in records:
        notes = r.live_notes()
        for up in r.followups_for(facilitator):
            taken = out.get(up.action)
            if taken is None:  # agreed in a session that does not count here: its copy
                taken = out[up.action] = ActionTaken(
                    id=up.action,
                    text=labels.text(up.text),
                    owner=labels.text(up.owner),
                    by=up.by,
                    state=None,
                    changed=None,
                    session=up.from_session,
                    agreed=up.from_date,
                )
            taken.follow_ups.append(
                FollowUpSeen(
                    session=r.session.id,
                    date=r.session.meta.date,
                    mark=up.mark.value if up.mark else None,
                    mark_label=up.mark.label if up.mark else "not marked",
                    evidence=[
                        _note_text(n, labels) for n in tied_notes(up, notes) if isinstance(n, Note)
                    ],
                )
            )
    return sorted(out.values(), key=lambda a: (a.agreed or Date.min, a.session, a.id))


def _self_assessments(
    records: Sequence[SessionRecord], facilitator: str, labels: Labels
) -> list[SelfAssessed]:
    """What they hoped to show in each observation, beside what was seen of it."""
    out = []
    for r in records:
        framework = r.session.framework.content
        for sa in r.session.meta.self_assessments:
            if sa.facilitator != facilitator:
                continue
            hopes = []
            for hope in sa.hopes:
                # A hope names its criterion as an id ("r1"); the framework's spelling rates it.
                found = framework.criterion(hope.criterion)
                crit = found.id if found else hope.criterion
                rating = r.rating(facilitator, crit)
                seen = _level_label(framework, rating.level) if rating is not None else "not rated"
                notes = r.notes_for(criterion=crit, facilitator=facilitator)
                hopes.append(
                    Hoped(
                        criterion=crit,
                        title=found.title if found else crit,
                        text=labels.text(hope.text),
                        seen=seen,
                        notes=[_note_text(n, labels) for n in notes],
                    )
                )
            out.append(
                SelfAssessed(
                    r.session.id, r.session.meta.date, sa.written, labels.text(sa.overall), hopes
                )
            )
    return out


def waves(portfolio: Portfolio) -> list[str]:
    """The waves observed in, in wave order."""
    return sorted({o.wave for o in portfolio.observations if o.wave}, key=wave_key)


def span(portfolio: Portfolio) -> tuple[Date, Date] | None:
    dates = [o.date for o in portfolio.observations]
    return (min(dates), max(dates)) if dates else None
