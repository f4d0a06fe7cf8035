"""A note as a report prints it, and which notes are the best evidence for page one.

A note prints as typed, without its tag syntax: its tags are shown beside it instead (the
criterion codes and the facilitators' names in its meta line). A quote prints inside one
pair of quotation marks, whatever marks the observer typed around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from observe.core.models import Note, NoteKind
from observe.core.notetext import Vocabulary, untagged
from observe.core.record import SessionRecord
from observe.report.templates import clock_time, elapsed

KIND_LABELS = {
    NoteKind.OBSERVATION: "Observation",
    NoteKind.STRENGTH: "Strength",
    NoteKind.DEVELOPMENT: "For development",
    NoteKind.QUESTION: "Question",
    NoteKind.QUOTE: "Quote",
}

# Double marks an observer may type around a quote: straight, curly, low-9, guillemets.
_DOUBLE = '"“”„«»‹›'
SHORT_TITLE = 50  # a criterion's title in a chart's label
BRIEF_TITLE = 32  # and beside a note on page one


@dataclass
class Evidence:
    id: str
    text: str  # as typed, without tag syntax; a quote inside its quotation marks
    elapsed_s: float
    at: datetime
    kind: str
    criteria: list[str]
    phase: str = ""
    people: list[str] = field(default_factory=list)  # the names of facilitators it is tagged to
    titles: list[str] = field(default_factory=list)  # "R1 Builds trust", where the codes alone
    show_kind: bool = True  # False where the section says it (a strength among strengths)

    @property
    def quote(self) -> bool:
        return self.kind == KIND_LABELS[NoteKind.QUOTE]

    @property
    def meta(self) -> str:
        """When and against what, in one line: "12:05 into the session · 10:17 · R1, R2"."""
        parts = [f"{elapsed(self.elapsed_s)} into the session", clock_time(self.at)]
        if self.titles or self.criteria:
            parts.append(", ".join(self.titles or self.criteria))
        if self.people:
            parts.append(", ".join(self.people))
        if self.phase:
            parts.append(self.phase)
        if self.show_kind:
            parts.append(self.kind)
        return " · ".join(parts)

    @property
    def brief(self) -> str:
        """The meta line for page one, which reads as prose: "1:00:24 · P1 Builds trust"."""
        parts = [elapsed(self.elapsed_s)]
        if self.titles or self.criteria:
            parts.append(", ".join(self.titles or self.criteria))
        if self.people:
            parts.append(", ".join(self.people))
        if self.show_kind and self.kind not in ("Observation", "Quote"):
            parts.append(self.kind)
        return " · ".join(parts)


def quoted(text: str) -> str:
    """``text`` inside one pair of quotation marks: “…”.

    Marks the observer typed around the words are taken off first, so they are never
    doubled; a straight double quote left without its partner inside (``He said "no"``
    loses its last mark that way) gets it back, so the inner quote closes.
    """
    inner, before = text.strip(), ""
    while inner != before:
        before = inner
        inner = inner.strip(_DOUBLE + " \t\r\n")
        if len(inner) >= 2 and inner[0] in "'‘" and inner[-1] in "'’":
            inner = inner[1:-1]
    if inner.count('"') % 2:  # the closing mark of an inner quote was taken with ours
        inner += '"'
    return f"“{inner}”"


def shown_text(note: Note, display: Callable[[str, str], str | None] | None = None) -> str:
    """A note's words for a report: no tag syntax; a quote in one pair of marks."""
    text = untagged(note.text, display).strip("\n")
    if note.kind is NoteKind.QUOTE and text.strip():
        return quoted(text)
    return text or "(tags only)"


def evidence(
    note: Note,
    display: Callable[[str, str], str | None] | None = None,
    names: dict[str, str] | None = None,
    *,
    show_kind: bool = True,
) -> Evidence:
    return Evidence(
        id=note.id,
        text=shown_text(note, display),
        elapsed_s=note.elapsed_s,
        at=note.at,
        kind=KIND_LABELS.get(note.kind, str(note.kind)),
        criteria=list(note.criteria),
        phase=note.phase,
        people=[(names or {}).get(f, f) for f in note.facilitators],
        show_kind=show_kind,
    )


def best(notes: Sequence[Note], count: int, linked: Iterable[str] = ()) -> list[Note]:
    """The ``count`` notes that make the best evidence, in the order they were taken.

    Best: linked to a rating as its evidence, then tagged to a criterion, then something
    seen rather than a question, then the most words up to a couple of sentences; and one
    per criterion before a second for any.
    """
    linked = set(linked)

    def weight(note: Note) -> tuple[int, int, int, int]:
        seen = note.kind is not NoteKind.QUESTION  # what was seen before what was wondered
        return (note.id in linked, bool(note.criteria), seen, min(len(note.text), 160))

    ranked = sorted(notes, key=weight, reverse=True)
    chosen: list[Note] = []
    covered: set[str] = set()
    for note in ranked:
        if len(chosen) == count:
            break
        if note.criteria and set(note.criteria) <= covered:
            continue
        chosen.append(note)
        covered.update(note.criteria)
    for note in ranked:  # not enough criteria to go round: the next best, repeats and all
        if len(chosen) == count:
            break
        if note not in chosen:
            chosen.append(note)
    return sorted(chosen, key=lambda n: (n.elapsed_s, n.at))


def short_title(title: str, width: int = SHORT_TITLE) -> str:
    """A criterion's title short enough for a chart's label: no aside in brackets, and cut
    at a word with "…" when still too long."""
    text = re.sub(r"\s*\([^)]*\)", "", title).strip() or title
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:-") + "…"


class Printer:
    """Notes into Evidence for one session: tags shown as codes and names, not as typed."""

    def __init__(self, record: SessionRecord, reader: str = "") -> None:
        meta = record.session.meta
        framework = record.session.framework.content
        self.vocab = Vocabulary.of(framework, meta)
        self.names = {p.id: p.name for p in meta.facilitators}
        self.reader = reader  # whose feedback: their own name beside every note says nothing
        self.titles = {c.id: short_title(c.title, BRIEF_TITLE) for _, c in framework.criteria()}

    def display(self, sigil: str, token: str) -> str | None:
        if sigil == "#":
            return self.vocab.criterion(token)
        found = self.vocab.facilitator(token)
        return self.names.get(found) if found else None

    def __call__(self, note: Note, *, titled: bool = False, show_kind: bool = True) -> Evidence:
        item = evidence(note, self.display, self.names, show_kind=show_kind)
        item.people = [self.names.get(f, f) for f in note.facilitators if f != self.reader]
        if titled:
            item.titles = [f"{c} {self.titles.get(c, '')}".strip() for c in item.criteria]
        return item
