"""The feedback report for one facilitator of a session, as plain data and as HTML.

``feedback_context`` is shared by the PDF template and the review screen, so a facilitator
reads the same feedback in the terminal as on paper. Only notes for this facilitator (tagged
to them, or to nobody) appear.

Page one is the conversation: the observer's summary, the strengths and the areas for
development each with their best evidence, what the facilitator asked to be looked at and
what was seen of it, and the agreed next steps. The detail follows: the criteria rated or
noted, by domain; the ones not looked at, one line per domain; the other notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from observe.core.calibration import differing
from observe.core.errors import NotFound
from observe.core.models import (
    Action,
    Consent,
    Criterion,
    Framework,
    Note,
    NoteKind,
    Person,
    Response,
    Status,
)
from observe.core.record import SessionRecord
from observe.report.evidence import KIND_LABELS, Evidence, Printer, best, short_title
from observe.report.followup import FollowedUp, followed_up
from observe.report.own_focus import OwnFocus, own_focus
from observe.report.svg import Bar, bar_chart
from observe.report.templates import render_template

__all__ = ["KIND_LABELS", "Evidence", "Feedback", "feedback_context", "feedback_html"]

STYLESHEET = "feedback.css"

# How much page one holds, so that it reads in two minutes.
STRENGTHS_SHOWN = 3
DEVELOPMENT_SHOWN = 2
FOCUS_SHOWN = 1


@dataclass
class RatingRow:
    criterion_id: str
    title: str
    level: int | None  # None: not observed, or not rated
    label: str  # the level's label, "Not observed" or "Noted, not rated"
    descriptor: str
    comment: str
    observed: bool  # a level was given
    rated: bool  # a rating was given: a level, or "not observed"
    evidence: list[Evidence] = field(default_factory=list)
    shown_above: int = 0  # notes for this criterion already shown in an earlier section
    short: str = ""

    @property
    def noted(self) -> bool:
        """Notes were taken against it, but no rating was given."""
        return not self.rated


@dataclass
class DomainRatings:
    id: str
    title: str
    rows: list[RatingRow]  # the criteria rated or noted
    average: float | None  # of observed levels only; None when no level was given
    not_looked_at: list[tuple[str, str]] = field(default_factory=list)  # (id, short title)

    @property
    def observed(self) -> int:
        return sum(1 for r in self.rows if r.observed)

    def headline(self, scale_max: int) -> str:
        """One line on the area as a whole, true to the state of each of its criteria."""
        noted = sum(1 for r in self.rows if r.noted)
        unobserved = sum(1 for r in self.rows if r.rated and not r.observed)
        if self.average is not None:
            word = "criterion" if self.observed == 1 else "criteria"
            line = (
                f"Typical level across {self.observed} rated {word}: "
                f"{self.average:.1f} of {scale_max}"
            )
            if noted:
                line += f"; {noted} more noted without a level"
            return line + "."
        if noted:
            return "No level was given in this area; what was noted is below."
        if unobserved:
            return "Marked as not observed in this session, and left out of any average."
        return ""


@dataclass
class FocusItem:
    criterion_id: str
    title: str
    prompt: str
    rating: RatingRow | None
    evidence: list[Evidence]  # what was seen, best first few (the rest is in the detail)
    more: int = 0  # further notes on it, printed in the detail
    shown_above: int = 0  # notes on it printed with the strengths or areas for development


@dataclass
class Feedback:
    facilitator: Person
    session_id: str
    title: str  # the document's title
    session_title: str
    date: date
    status: Status
    session_line: str  # date, mode, observer, co-facilitators: one line under the title
    consent_line: str  # said only when consent was not given
    details: list[tuple[str, str]]
    focus: list[FocusItem]
    strengths_text: str
    strengths: list[Evidence]  # page one's: the best few
    development_text: str
    development: list[Evidence]  # page one's: the best few
    domains: list[DomainRatings]
    untouched: list[tuple[str, list[str]]]  # areas where nothing was rated or noted
    scale: list[tuple[int, str, str]]  # value, label, descriptor
    scale_max: int
    summary: str
    other_notes: list[Evidence]
    response: Response
    framework_title: str
    followed_up: list[FollowedUp] = field(default_factory=list)  # actions from last time
    own: OwnFocus | None = None  # what they asked to be looked at, in their words

    @property
    def draft(self) -> bool:
        return self.status is Status.IN_PROGRESS

    @property
    def actions(self) -> list[Action]:
        return list(self.response.actions)

    @property
    def has_response(self) -> bool:
        return self.response.written

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
) -> tuple[RatingRow, list[Note]]:
    """One criterion's row and its notes (``notes`` are this facilitator's, by id)."""
    rating = record.rating(fid, criterion.id)
    tagged = [n for n in notes.values() if criterion.id in n.criteria]
    linked = [notes[i] for i in (rating.evidence if rating else []) if i in notes]
    found = sorted({n.id: n for n in [*linked, *tagged]}.values(), key=lambda n: n.elapsed_s)
    short = short_title(criterion.title)
    differ = differing(record.session, fid, criterion.id) if rating is None else None
    if differ is not None:  # an agreed record (observe.core.calibration): no level settled
        row = RatingRow(
            criterion.id,
            criterion.title,
            None,
            "The observers differ",
            "The observers rated this differently and did not settle on one level.",
            differ.note,
            False,
            False,
            short=short,
        )
    elif rating is None:
        row = RatingRow(
            criterion.id,
            criterion.title,
            None,
            "Noted, not rated",
            "Notes were taken against this criterion; no level was given.",
            "",
            False,
            False,
            short=short,
        )
    elif rating.level is None:
        row = RatingRow(
            criterion.id,
            criterion.title,
            None,
            "Not observed",
            "Not seen in this session; left out of any average.",
            rating.comment,
            False,
            True,
            short=short,
        )
    else:
        level = framework.scale.level(rating.level)
        row = RatingRow(
            criterion.id,
            criterion.title,
            rating.level,
            level.label if level else str(rating.level),
            _descriptor(framework, criterion, rating.level),
            rating.comment,
            True,
            True,
            short=short,
        )
    return row, found


def _consent_line(record: SessionRecord) -> str:
    consent = record.session.meta.consent
    return "" if consent is Consent.GIVEN else f"Consent to this observation: {consent.label}"


def _session_line(record: SessionRecord, fid: str) -> str:
    meta = record.session.meta
    when = meta.date.strftime("%-d %B %Y") + (f", {meta.start}" if meta.start else "")
    parts = [when, meta.mode.label.capitalize()]
    if meta.observer:
        parts.append(f"observed by {meta.observer.name}")
    others = [p.name for p in meta.facilitators if p.id != fid]
    if others:
        parts.append("with " + ", ".join(others))
    return " · ".join(parts)


def feedback_context(record: SessionRecord, facilitator: str) -> Feedback:
    """Everything the report says to ``facilitator`` (an id, name or unique name prefix)."""
    [fid] = facilitator_ids(record, facilitator)
    session = record.session
    meta = session.meta
    framework = session.framework.content
    person = next(p for p in meta.facilitators if p.id == fid)
    notes = sorted(record.notes_for(facilitator=fid), key=lambda n: (n.elapsed_s, n.at))
    by_id = {n.id: n for n in notes}
    printer = Printer(record, fid)
    linked = {i for r in record.live_ratings() if r.facilitator == fid for i in r.evidence}

    domains: list[DomainRatings] = []
    untouched: list[tuple[str, list[str]]] = []
    row_notes: dict[str, list[Note]] = {}
    for domain in framework.domains:
        rows, idle = [], []
        for c in domain.criteria:
            row, found = _rating_row(record, framework, c, fid, by_id)
            if row.rated or found:
                rows.append(row)
                row_notes[c.id] = found
            elif c.applies_to(meta.mode):  # absence is not a finding: one line, no rows
                idle.append((c.id, row.short))
        if not rows:
            if idle:
                untouched.append((domain.title, [cid for cid, _ in idle]))
            continue
        levels = [r.level for r in rows if r.observed and r.level is not None]
        average = sum(levels) / len(levels) if levels else None
        domains.append(DomainRatings(domain.id, domain.title, rows, average, idle))
    rows_by_id = {row.criterion_id: row for d in domains for row in d.rows}

    # Each note is printed once. Page one takes the best few strengths and areas for
    # development, then the best few on each focus criterion; the rest go under their
    # criterion in the detail, or among the other notes.
    shown: set[str] = set()  # their own focus first: what they asked, beside what was seen
    own = own_focus(meta, fid, framework, notes, printer, linked, rows_by_id, shown)
    fresh = [n for n in notes if n.id not in shown]
    many = STRENGTHS_SHOWN - (own is not None)  # their own words take a strength's room
    strengths = best([n for n in fresh if n.kind is NoteKind.STRENGTH], many, linked)
    development = best(
        [n for n in fresh if n.kind is NoteKind.DEVELOPMENT], DEVELOPMENT_SHOWN, linked
    )
    shown.update(n.id for n in [*strengths, *development])
    focus = []
    for key in meta.focus:
        criterion = framework.criterion(key)
        if criterion is None or (own is not None and criterion.id in own.criteria):
            continue
        on_it = [n for n in notes if criterion.id in n.criteria]
        fresh = [n for n in on_it if n.id not in shown]
        picked = best(fresh, FOCUS_SHOWN, linked)
        shown.update(n.id for n in picked)
        focus.append(
            FocusItem(
                criterion.id,
                criterion.title,
                criterion.prompt,
                rows_by_id.get(criterion.id),
                [printer(n) for n in picked],
                more=len(fresh) - len(picked),
                shown_above=len(on_it) - len(fresh),
            )
        )
    for cid, row in rows_by_id.items():
        found = row_notes[cid]
        fresh = [n for n in found if n.id not in shown]
        row.shown_above = len(found) - len(fresh)
        row.evidence = [printer(n) for n in fresh]
        shown.update(n.id for n in fresh)

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
    summary = record.summary(fid)
    return Feedback(
        facilitator=person,
        session_id=session.id,
        title=f"Feedback for {person.name}" + (f": {meta.title}" if meta.title else ""),
        session_title=meta.title or "Observed session",
        date=meta.date,
        status=record.status,
        session_line=_session_line(record, fid),
        consent_line=_consent_line(record),
        details=[(k, v) for k, v in details if v],
        focus=focus,
        strengths_text=summary.strengths,
        strengths=[printer(n, titled=True, show_kind=False) for n in strengths],
        development_text=summary.development,
        development=[printer(n, titled=True, show_kind=False) for n in development],
        domains=domains,
        untouched=untouched,
        scale=[(lv.value, lv.label, lv.descriptor) for lv in framework.scale.levels],
        scale_max=max(framework.scale.values),
        summary=summary.summary,
        other_notes=[printer(n) for n in notes if n.id not in shown],
        response=record.response(fid),
        framework_title=framework.title,
        followed_up=followed_up(record, fid, printer),
        own=own,
    )


def ratings_chart(feedback: Feedback) -> str:
    # Codes and short titles: a facilitator reads the chart without the list beside it.
    bars = [
        Bar(f"{row.criterion_id}  {row.short}", row.level if row.observed else None)
        for row in feedback.rated_rows
    ]
    if not bars:
        return ""
    return bar_chart(
        bars,
        maximum=feedback.scale_max,
        ticks=[(value, str(value)) for value, _, _ in feedback.scale],
        title=f"Ratings for {feedback.facilitator.name}, one bar per criterion",
        width=640,
        label_width=290,
    )


def feedback_html(record: SessionRecord, facilitator: str) -> str:
    feedback = feedback_context(record, facilitator)
    return render_template("feedback.html", fb=feedback, chart=ratings_chart(feedback))


def feedback_pdf(record: SessionRecord, facilitator: str) -> bytes:
    from observe.report.render import render_pdf

    return render_pdf(feedback_html(record, facilitator), STYLESHEET)
