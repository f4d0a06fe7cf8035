"""The feedback report for one facilitator of a session, as plain data and as HTML.

``feedback_context`` is shared by the PDF template and the review screen, so a facilitator
reads the same feedback in the terminal as on paper. Only notes for this facilitator (tagged
to them, or to nobody) appear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from observe.core.errors import NotFound
from observe.core.models import (
    Criterion,
    Framework,
    Note,
    NoteKind,
    Person,
    Response,
    Status,
)
from observe.core.record import SessionRecord
from observe.report.svg import Bar, bar_chart
from observe.report.templates import clock_time, elapsed, render_template

STYLESHEET = "feedback.css"

KIND_LABELS = {
    NoteKind.OBSERVATION: "Observation",
    NoteKind.STRENGTH: "Strength",
    NoteKind.DEVELOPMENT: "For development",
    NoteKind.QUESTION: "Question",
    NoteKind.QUOTE: "Quote",
}


@dataclass
class Evidence:
    id: str
    text: str
    elapsed_s: float
    at: datetime
    kind: str
    criteria: list[str]
    phase: str = ""

    @property
    def meta(self) -> str:
        """When and against what, in one line: "12:05 into the session · 10:17 · R1, R2"."""
        parts = [f"{elapsed(self.elapsed_s)} into the session", clock_time(self.at)]
        if self.criteria:
            parts.append(", ".join(self.criteria))
        if self.phase:
            parts.append(self.phase)
        if self.kind not in ("Strength", "For development"):
            parts.append(self.kind)
        return " · ".join(parts)


@dataclass
class RatingRow:
    criterion_id: str
    title: str
    level: int | None  # None: not observed, or not rated
    label: str  # the level's label, "Not observed" or "Not rated"
    descriptor: str
    comment: str
    observed: bool
    rated: bool
    evidence: list[Evidence] = field(default_factory=list)
    shown_above: int = 0  # notes for this criterion already shown in an earlier section


@dataclass
class DomainRatings:
    id: str
    title: str
    rows: list[RatingRow]
    average: float | None  # of observed levels only; None when nothing was observed

    @property
    def observed(self) -> int:
        return sum(1 for r in self.rows if r.observed)


@dataclass
class FocusItem:
    criterion_id: str
    title: str
    prompt: str
    rating: RatingRow | None
    evidence: list[Evidence]


@dataclass
class Feedback:
    facilitator: Person
    session_id: str
    title: str  # the document's title
    session_title: str
    date: date
    status: Status
    details: list[tuple[str, str]]
    focus: list[FocusItem]
    strengths_text: str
    strengths: list[Evidence]
    development_text: str
    development: list[Evidence]
    domains: list[DomainRatings]
    scale: list[tuple[int, str, str]]  # value, label, descriptor
    scale_max: int
    summary: str
    other_notes: list[Evidence]
    response: Response
    framework_title: str

    @property
    def draft(self) -> bool:
        return self.status is Status.IN_PROGRESS

    @property
    def has_response(self) -> bool:
        r = self.response
        return bool(r.reflection.strip() or r.actions or r.acknowledged or r.disagreement.strip())

    @property
    def rated_rows(self) -> list[RatingRow]:
        return [row for d in self.domains for row in d.rows if row.rated]


def facilitator_ids(record: SessionRecord, facilitator: str | None = None) -> list[str]:
    """Whose feedback to make: every facilitator, or the one named (id, name or prefix)."""
    meta = record.session.meta
    if facilitator is None:
        return [p.id for p in meta.facilitators]
    person = meta.facilitator(facilitator)
    if person is None:
        names = ", ".join(p.name for p in meta.facilitators)
        raise NotFound(f"{facilitator!r} is not a facilitator of this session ({names})")
    return [person.id]


def _evidence(note: Note) -> Evidence:
    return Evidence(
        id=note.id,
        text=note.text,
        elapsed_s=note.elapsed_s,
        at=note.at,
        kind=KIND_LABELS.get(note.kind, str(note.kind)),
        criteria=list(note.criteria),
        phase=note.phase,
    )


def _descriptor(framework: Framework, criterion: Criterion, level: int) -> str:
    specific = criterion.descriptors.get(level)
    if specific:
        return specific
    found = framework.scale.level(level)
    return found.descriptor if found else ""


def _rating_row(
    record: SessionRecord,
    framework: Framework,
    criterion: Criterion,
    fid: str,
    notes: dict[str, Note],
) -> RatingRow:
    """One criterion's row; ``notes`` are this facilitator's, by id (worked out once)."""
    rating = record.rating(fid, criterion.id)
    tagged = [n for n in notes.values() if criterion.id in n.criteria]
    linked = [notes[i] for i in (rating.evidence if rating else []) if i in notes]
    evidence = sorted({n.id: n for n in [*linked, *tagged]}.values(), key=lambda n: n.elapsed_s)
    if rating is None:
        return RatingRow(
            criterion.id,
            criterion.title,
            None,
            "Not rated",
            "",
            "",
            False,
            False,
            [_evidence(n) for n in evidence],
        )
    if rating.level is None:
        return RatingRow(
            criterion.id,
            criterion.title,
            None,
            "Not observed",
            "Not seen in this session; left out of any average.",
            rating.comment,
            False,
            True,
            [_evidence(n) for n in evidence],
        )
    level = framework.scale.level(rating.level)
    return RatingRow(
        criterion.id,
        criterion.title,
        rating.level,
        level.label if level else str(rating.level),
        _descriptor(framework, criterion, rating.level),
        rating.comment,
        True,
        True,
        [_evidence(n) for n in evidence],
    )


def feedback_context(record: SessionRecord, facilitator: str) -> Feedback:
    """Everything the report says to ``facilitator`` (an id, name or unique name prefix)."""
    [fid] = facilitator_ids(record, facilitator)
    session = record.session
    meta = session.meta
    framework = session.framework.content
    person = next(p for p in meta.facilitators if p.id == fid)
    notes = sorted(record.notes_for(facilitator=fid), key=lambda n: (n.elapsed_s, n.at))
    by_id = {n.id: n for n in notes}

    domains = []
    for domain in framework.domains:
        # Criteria the observer neither rated nor noted are left out: absence is not a finding.
        rows = [
            row
            for c in domain.criteria
            if (row := _rating_row(record, framework, c, fid, by_id)).rated or row.evidence
        ]
        if not rows:
            continue
        levels = [r.level for r in rows if r.observed and r.level is not None]
        average = sum(levels) / len(levels) if levels else None
        domains.append(DomainRatings(domain.id, domain.title, rows, average))
    rows_by_id = {row.criterion_id: row for d in domains for row in d.rows}

    # Each note is printed once: under the focus it speaks to, else as a strength or an area
    # for development, else as evidence for a rating, else among the other notes.
    shown: set[str] = set()
    focus = []
    for key in meta.focus:
        criterion = framework.criterion(key)
        if criterion is None:
            continue
        tagged = [n for n in notes if criterion.id in n.criteria and n.id not in shown]
        shown.update(n.id for n in tagged)
        focus.append(
            FocusItem(
                criterion.id,
                criterion.title,
                criterion.prompt,
                rows_by_id.get(criterion.id),
                [_evidence(n) for n in tagged],
            )
        )
    strengths = [n for n in notes if n.kind is NoteKind.STRENGTH and n.id not in shown]
    development = [n for n in notes if n.kind is NoteKind.DEVELOPMENT and n.id not in shown]
    shown.update(n.id for n in [*strengths, *development])
    for row in rows_by_id.values():
        fresh = [e for e in row.evidence if e.id not in shown]
        row.shown_above = len(row.evidence) - len(fresh)
        row.evidence = fresh
        shown.update(e.id for e in fresh)

    others = [p.name for p in meta.facilitators if p.id != fid]
    details = [
        ("Programme", meta.programme),
        ("Session", meta.title),
        ("Date", meta.date.strftime("%-d %B %Y") + (f", {meta.start}" if meta.start else "")),
        ("Mode", meta.mode.label.capitalize()),
        ("Wave", meta.wave),
        ("Delivery partner", meta.partner),
        ("Region", meta.region),
        ("Cohort", meta.cohort),
        ("Observer", meta.observer.name if meta.observer else ""),
        ("Co-facilitators", ", ".join(others)),
        ("Framework", f"{framework.title} ({session.framework.version})"),
    ]
    summary = session.summary.get(fid)
    return Feedback(
        facilitator=person,
        session_id=session.id,
        title=f"Feedback for {person.name}" + (f": {meta.title}" if meta.title else ""),
        session_title=meta.title or "Observed session",
        date=meta.date,
        status=session.status,
        details=[(k, v) for k, v in details if v],
        focus=focus,
        strengths_text=summary.strengths if summary else "",
        strengths=[_evidence(n) for n in strengths],
        development_text=summary.development if summary else "",
        development=[_evidence(n) for n in development],
        domains=domains,
        scale=[(lv.value, lv.label, lv.descriptor) for lv in framework.scale.levels],
        scale_max=max(framework.scale.values),
        summary=summary.summary if summary else "",
        other_notes=[_evidence(n) for n in notes if n.id not in shown],
        response=session.response.get(fid, Response()),
        framework_title=framework.title,
    )


def ratings_chart(feedback: Feedback) -> str:
    # Criterion ids, not titles: the titles are in the list that follows, and the levels'
    # names in the caption under the chart.
    bars = [
        Bar(row.criterion_id, row.level if row.observed else None) for row in feedback.rated_rows
    ]
    if not bars:
        return ""
    return bar_chart(
        bars,
        maximum=feedback.scale_max,
        ticks=[(value, str(value)) for value, _, _ in feedback.scale],
        title=f"Ratings for {feedback.facilitator.name}, one bar per criterion",
    )


def feedback_html(record: SessionRecord, facilitator: str) -> str:
    feedback = feedback_context(record, facilitator)
    return render_template("feedback.html", fb=feedback, chart=ratings_chart(feedback))


def feedback_pdf(record: SessionRecord, facilitator: str) -> bytes:
    from observe.report.render import render_pdf

    return render_pdf(feedback_html(record, facilitator), STYLESHEET)
