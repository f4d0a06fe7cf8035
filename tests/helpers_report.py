"""Sessions with notes, ratings and a summary, for the report, export and review tests."""

from __future__ import annotations

from datetime import timedelta

from observe.core.models import Framework, Note, NoteKind, Status
from observe.core.notetext import Vocabulary, parse
from observe.store.repository import OpenSession, Repository

TRICKY = [
    "<b>x</b><script>alert(1)</script>",
    '<img src="file:///etc/passwd"> and <img src="http://example.com/x.png">',
    "مرحبا بالجميع، شكرا على المشاركة",
    "שלום לכולם, תודה",
    "A warm close 🙂👍 and a smile",
]
LONG_TEXT = " ".join(f"word{i:04d}" for i in range(556))[:5000]  # 5,000 characters

STRENGTHS = [
    "Greeted each person by name and asked about their week",
    "Named the group's anxiety about the case and slowed the pace",
]
# Notes as stored, with tags and quotation marks, and how a report prints each:
# (kind, text, shown).
TAGGED = [
    (NoteKind.STRENGTH, "warm tone #R1 @asha", "warm tone"),
    (NoteKind.OBSERVATION, "#R2 checked in with the latecomers", "checked in with the latecomers"),
    (
        NoteKind.OBSERVATION,
        "handed over to @asha for the plenary #D1.",
        "handed over to Asha Rahman for the plenary.",
    ),
    (NoteKind.QUOTE, "It is safe to say I do not know #R2", "“It is safe to say I do not know”"),
    (NoteKind.QUOTE, "“Already in marks” #R1", "“Already in marks”"),
    (NoteKind.QUOTE, 'He said "no', '“He said "no"”'),
]

DEVELOPMENT = [
    "The small-group task ran over and the plenary was rushed",
    "Two quieter participants were not brought in during the discussion",
]


def add_note(
    session: OpenSession,
    text: str,
    kind: NoteKind = NoteKind.OBSERVATION,
    criteria: tuple[str, ...] = (),
    facilitators: tuple[str, ...] = (),
    minutes: float = 0,
) -> Note:
    start = session.session.created_at
    return session.add_note(
        Note(
            at=start + timedelta(minutes=minutes),
            elapsed_s=minutes * 60,
            text=text,
            kind=kind,
            criteria=list(criteria),
            facilitators=list(facilitators),
        )
    )


def build_session(
    repo: Repository,
    framework: Framework,
    meta_kwargs: dict | None = None,
    *,
    names: tuple[str, ...] = ("Asha Rahman", "Tom Price"),
    tricky: bool = False,
    tagged: bool = False,
    extra_notes: int = 0,
    session_id: str | None = None,
) -> OpenSession:
    """A completed co-delivered session: Asha's notes and ratings differ from Tom's."""
    from tests.conftest import make_meta

    meta = make_meta(*names, focus=["R1"], **(meta_kwargs or {}))
    session = repo.create(meta, framework, session_id=session_id)
    first = session.session.meta.facilitators[0].id
    second = session.session.meta.facilitators[1].id if len(names) > 1 else None
    for i, text in enumerate(STRENGTHS):
        add_note(session, text, NoteKind.STRENGTH, ("R1", "R2")[i : i + 1], (first,), 3 + i * 7)
    for i, text in enumerate(DEVELOPMENT):
        add_note(session, text, NoteKind.DEVELOPMENT, ("D1",), (first,), 20 + i * 9)
    add_note(session, "Everyone arrived on time", minutes=1)  # for everyone
    if second:
        add_note(session, "Tom reframed the case study well", NoteKind.STRENGTH, (), (second,), 30)
        add_note(session, "Tom only spoke to one table", NoteKind.DEVELOPMENT, (), (second,), 40)
    if tricky:
        for i, text in enumerate([*TRICKY, LONG_TEXT]):
            add_note(session, text, NoteKind.STRENGTH, ("R1",), (first,), 45 + i)
    if tagged:
        for i, (kind, typed, _) in enumerate(TAGGED):
            tags = parse(typed, Vocabulary.of(framework, session.session.meta))
            add_note(session, typed, kind, tuple(tags.criteria), tuple(tags.facilitators), 60 + i)
    for i in range(extra_notes):
        kind = [NoteKind.OBSERVATION, NoteKind.QUOTE, NoteKind.STRENGTH, NoteKind.DEVELOPMENT][
            i % 4
        ]
        add_note(
            session,
            f"Note {i}: the facilitator invited the group to reflect on a practice dilemma"
            " and linked it to supervision with their own teams.",
            kind,
            ("R1", "R2", "D1")[i % 3 : i % 3 + 1],
            (),
            50 + i,
        )
    criteria = [c.id for _, c in framework.criteria(session.session.meta.mode)]
    levels = framework.scale.values
    for i, cid in enumerate(criteria[:8]):
        session.rate(first, cid, levels[i % len(levels)] if i != 3 else None, comment="")
    session.rate(first, criteria[0], levels[2], comment="Consistently warm; see the opening.")
    if second:
        session.rate(second, criteria[1], levels[0])
    session.put_summary(
        first,
        strengths="A warm, steady opening that made it safe to speak.",
        development="Protect time for the plenary.",
        summary="A thoughtful session; the group left with a clear next step.",
    )
    session.set_status(Status.COMPLETED)
    return session


def pdf_text(data: bytes) -> str:
    """The PDF's text by pypdf, without the running header and footer of each page."""
    return "\n".join(pdf_pages(data, furniture=False))


def pdf_pages(data: bytes, furniture: bool = True) -> list[str]:
    """Each page's text by pypdf; without ``furniture``, less the running header and footer.

    WeasyPrint gives a font whose text holds a character it has no glyph for (emoji, here) an
    embedded CMap as /Encoding, mapping each code to the glyph of the same number (the missing
    ones to .notdef). pypdf 7 does not read embedded CMaps and falls back to one-byte codes, so
    for extraction only that encoding is read as the identity it is; /ToUnicode still gives
    the characters.
    """
    import io
    import re

    from pypdf import PdfReader
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            encoding = font.get("/Encoding")
            if font.get("/Subtype") == "/Type0" and not isinstance(encoding, NameObject):
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
        lines = page.extract_text().splitlines()
        lines = [
            line
            for line in lines
            if furniture
            or (
                not re.search(r"Page \d+ of \d+\s*$", line)
                and not re.match(r"Feedback for .* · \d{1,2} \w{3} \d{4}\s*$", line)
            )
        ]
        pages.append("\n".join(lines))
    return pages


def flat(text: str) -> str:
    """Text with all whitespace removed, to compare across line wrapping."""
    import re

    return re.sub(r"\s+", "", text)
