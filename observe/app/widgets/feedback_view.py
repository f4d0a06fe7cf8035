"""The feedback report as terminal text: the same content as the PDF, read-only.

Built from ``observe.report.feedback.Feedback`` so the facilitator reads on screen what the
PDF says. Note text is appended as plain text (never parsed as markup): it is shown as typed.
Each paragraph is its own block with a hanging indent, so a line that wraps keeps its indent.
"""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.widgets import Static

from observe.app.plain import one_line
from observe.report.feedback import Evidence, Feedback


class _Page:
    """Paragraphs, each indented as a whole."""

    def __init__(self) -> None:
        self.blocks: list[tuple[int, Text]] = []

    def line(self, indent: int, *parts: str | tuple[str, str]) -> None:
        """A paragraph of ``parts``: plain text, or (text, style); shown as typed."""
        safe = [(one_line(p[0]), p[1]) if isinstance(p, tuple) else one_line(p) for p in parts]
        self.blocks.append((indent, Text.assemble(*safe)))

    def blank(self) -> None:
        self.blocks.append((0, Text()))

    def renderable(self) -> Group:
        return Group(*(Padding(text, (0, 0, 0, indent)) for indent, text in self.blocks))

    @property
    def plain(self) -> str:
        return "\n".join(" " * indent + text.plain for indent, text in self.blocks)


def _heading(page: _Page, title: str) -> None:
    page.blank()
    page.line(0, (title, "bold underline"))


def _evidence(page: _Page, items: list[Evidence]) -> None:
    for e in items:
        page.line(2, (e.meta, "dim"))  # the PDF's line: when, against what, phase
        for line in e.text.splitlines() or [""]:
            page.line(4, line)


def _prose(page: _Page, text: str) -> None:
    for line in text.splitlines():
        page.line(2, line)


def feedback_page(fb: Feedback) -> _Page:
    page = _Page()
    page.line(0, (f"Feedback for {fb.facilitator.name}", "bold"))
    page.line(0, (fb.session_title, "italic"))
    if fb.draft:
        page.line(0, ("Draft: the observation is still in progress.", "bold reverse"))
    for label, value in fb.details:
        page.line(2, (f"{label}: ", "dim"), value)

    if fb.own:
        _heading(page, f"You asked to look at {fb.own.listed}")
        when = fb.own.written.strftime("%-d %B %Y") if fb.own.written else ""
        page.line(2, (f"In your own words{', ' + when if when else ''},", "dim"))
        page.line(2, ("beside what was seen in this session.", "dim"))
        for h in fb.own.hopes:
            page.line(2, (f"{h.criterion_id} {h.title}", "bold"))
            page.line(4, ("You hoped to show: ", "dim"), (h.hope or "(no line written)", "italic"))
            page.line(4, ("What was seen: ", "dim"), (h.seen or "no level given", "bold"))
            if h.comment:
                _prose(page, h.comment)
            _evidence(page, h.evidence)
        if fb.own.overall:
            page.line(2, ("You also said: ", "dim"), fb.own.overall)

    if fb.focus:
        _heading(page, "Also in focus" if fb.own else "What you asked to be looked at")
        for item in fb.focus:
            page.line(2, (f"{item.criterion_id} {item.title}", "bold"))
            if item.rating and item.rating.rated:
                rating = item.rating
                shown = rating.observed and rating.descriptor
                page.line(2, (rating.label, "bold"), f": {rating.descriptor}" if shown else "")
                if item.rating.comment:
                    _prose(page, item.rating.comment)
            _evidence(page, item.evidence)
            if item.more or item.shown_above:
                elsewhere = item.more + item.shown_above
                page.line(2, (f"Notes on it elsewhere in this feedback: {elsewhere}.", "dim"))
            elif not item.evidence and not (item.rating and item.rating.rated):
                page.line(2, ("Nothing was noted against this criterion.", "italic"))

    for heading, text, evidence, none in (
        ("Strengths", fb.strengths_text, fb.strengths, "No strengths"),
        ("Areas for development", fb.development_text, fb.development, "No areas for development"),
    ):
        _heading(page, heading)
        if text:
            _prose(page, text)
        _evidence(page, evidence)
        if not text and not evidence:
            page.line(2, (f"{none} were noted separately.", "italic"))

    if fb.domains:
        _heading(page, "Practice against the framework")
        for domain in fb.domains:
            page.blank()
            average = ""
            if domain.average is not None:
                average = f"  (typical level {domain.average:.1f} of {fb.scale_max})"
            page.line(1, (domain.title, "bold"), (average, "dim"))
            for row in domain.rows:
                level = f"{row.level} {row.label}" if row.observed else row.label
                page.line(
                    2,
                    f"{row.criterion_id:<4} {row.title} — ",
                    (level, "bold" if row.observed else "italic"),
                )
                if row.descriptor:
                    page.line(7, (row.descriptor, "dim"))
                if row.comment:
                    _prose(page, row.comment)
                _evidence(page, row.evidence)

    if fb.summary:
        _heading(page, "The observer's summary")
        _prose(page, fb.summary)
    if fb.other_notes:
        _heading(page, "Other notes from the session")
        _evidence(page, fb.other_notes)
    return page


class FeedbackView(Static):
    """The feedback; put it in a scrolling container, which takes the focus and the keys."""

    plain = ""  # the text shown, for reading back

    def show(self, feedback: Feedback) -> None:
        page = feedback_page(feedback)
        self.plain = page.plain
        self.update(page.renderable())
