"""The feedback report as terminal text: the same content as the PDF, read-only.

Built from ``observe.report.feedback.Feedback`` so the facilitator reads on screen what the
PDF says. Note text is appended as plain text (never parsed as markup): it is shown as typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from observe.report.feedback import Evidence, Feedback


def _heading(out: Text, title: str) -> None:
    out.append(f"\n{title}\n", style="bold underline")


def _evidence(out: Text, items: list[Evidence]) -> None:
    for e in items:
        out.append(f"  {e.meta}\n", style="dim")  # the PDF's line: when, against what, phase
        for line in e.text.splitlines() or [""]:
            out.append("    ")
            out.append(line)
            out.append("\n")


def _prose(out: Text, text: str) -> None:
    for line in text.splitlines():
        out.append(f"  {line}\n")


def feedback_text(fb: Feedback) -> Text:
    out = Text()
    out.append(f"Feedback for {fb.facilitator.name}\n", style="bold")
    out.append(f"{fb.session_title}\n", style="italic")
    if fb.draft:
        out.append("Draft: the observation is still in progress.\n", style="bold reverse")
    for label, value in fb.details:
        out.append(f"  {label}: ", style="dim")
        out.append(f"{value}\n")

    if fb.focus:
        _heading(out, "What you asked to be looked at")
        for item in fb.focus:
            out.append(f"  {item.criterion_id} {item.title}\n", style="bold")
            if item.rating and item.rating.rated:
                out.append(f"  {item.rating.label}", style="bold")
                if item.rating.observed and item.rating.descriptor:
                    out.append(f": {item.rating.descriptor}")
                out.append("\n")
                if item.rating.comment:
                    _prose(out, item.rating.comment)
            _evidence(out, item.evidence)
            if not item.evidence and not (item.rating and item.rating.rated):
                out.append("  Nothing was noted against this criterion.\n", style="italic")

    _heading(out, "Strengths")
    if fb.strengths_text:
        _prose(out, fb.strengths_text)
    _evidence(out, fb.strengths)
    if not fb.strengths_text and not fb.strengths:
        out.append("  No strengths were noted separately.\n", style="italic")

    _heading(out, "Areas for development")
    if fb.development_text:
        _prose(out, fb.development_text)
    _evidence(out, fb.development)
    if not fb.development_text and not fb.development:
        out.append("  No areas for development were noted separately.\n", style="italic")

    if fb.domains:
        _heading(out, "Practice against the framework")
        for domain in fb.domains:
            out.append(f"\n {domain.title}", style="bold")
            if domain.average is not None:
                out.append(f"  (typical level {domain.average:.1f} of {fb.scale_max})", style="dim")
            out.append("\n")
            for row in domain.rows:
                level = f"{row.level} {row.label}" if row.observed else row.label
                out.append(f"  {row.criterion_id:<4} {row.title} — ")
                out.append(f"{level}\n", style="bold" if row.observed else "italic")
                if row.descriptor:
                    out.append(f"       {row.descriptor}\n", style="dim")
                if row.comment:
                    _prose(out, row.comment)
                _evidence(out, row.evidence)

    if fb.summary:
        _heading(out, "The observer's summary")
        _prose(out, fb.summary)
    if fb.other_notes:
        _heading(out, "Other notes from the session")
        _evidence(out, fb.other_notes)
    return out


class FeedbackView(Static):
    """The feedback; put it in a scrolling container, which takes the focus and the keys."""

    def show(self, feedback: Feedback) -> None:
        self.update(feedback_text(feedback))
