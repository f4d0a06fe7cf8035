"""A typed note, read: its kind marker, criterion tags (#R1), facilitator tags (@asha) and
ties to an action agreed last time (!A1, see ``observe.core.actions``).

Pure functions, no Textual: the live screen, the wrap-up and the tests share them. Parsing
never raises; tags that match nothing are reported so the screen can say so gently rather
than drop them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from observe.core.actions import LABEL_PREFIX, FollowUp, tags
from observe.core.models import Framework, Meta, Mode, NoteKind, Person, slugify
from observe.core.shorten import shorten

MARKERS: dict[str, NoteKind] = {
    "+": NoteKind.STRENGTH,
    "-": NoteKind.DEVELOPMENT,
    "?": NoteKind.QUESTION,
    '"': NoteKind.QUOTE,
}
MARKER_OF: dict[NoteKind, str] = {kind: mark for mark, kind in MARKERS.items()}

# A tag starts after a space, an opening bracket or the start of the text, so that an
# e-mail address (jo@example.org) or "C#" is not read as a tag.
TAG_PATTERN = _TAG = re.compile(r"(?<![\w#@])([#@])([\w.'’-]*)")
# An action's label being typed: "!", "!A", "!A1" (a tie once complete: actions.TAG).
_ACTION_TOKEN = re.compile(r"(?<![\w!#@])(!)(\w*)")
ACTION_TEXT_SHOWN = 32  # of an action's text, in the candidates line
_TRAILING = ".'’-_"


@dataclass(frozen=True)
class Vocabulary:
    """What a note in one session may refer to: its framework's criteria and its facilitators."""

    criteria: tuple[tuple[str, str], ...]  # (id, title), in framework order
    facilitators: tuple[Person, ...]
    actions: tuple[tuple[str, str], ...] = ()  # (label, text) of the actions from last time

    @classmethod
    def of(cls, framework: Framework, meta: Meta, followups: Iterable[FollowUp] = ()) -> Vocabulary:
        mode: Mode | None = meta.mode
        return cls(
            criteria=tuple((c.id, c.title) for _, c in framework.criteria(mode)),
            facilitators=tuple(meta.facilitators),
            actions=tuple((f.label, f.text) for f in followups),
        )

    def criterion(self, key: str) -> str | None:
        wanted = key.upper()
        return next((cid for cid, _ in self.criteria if cid.upper() == wanted), None)

    def facilitator(self, key: str) -> str | None:
        """A facilitator id by id, full name, first name, or unique prefix (case-insensitive)."""
        wanted = key.strip().lower()
        if not wanted:
            return None
        people = self.facilitators
        for test in (
            lambda p: p.id == wanted or slugify(p.name) == slugify(wanted),
            lambda p: _first(p) == wanted,
        ):
            found = [p for p in people if test(p)]
            if len(found) == 1:
                return found[0].id
        found = [
            p for p in people if p.id.startswith(slugify(wanted)) or _first(p).startswith(wanted)
        ]
        return found[0].id if len(found) == 1 else None

    def handle(self, person: Person) -> str:
        """What to type after @ for ``person``: the first name when that is unambiguous."""
        first = slugify(_first(person))
        if sum(1 for p in self.facilitators if slugify(_first(p)) == first) == 1:
            return first
        return person.id


def _first(person: Person) -> str:
    parts = person.name.lower().split()
    return parts[0] if parts else person.id


@dataclass(frozen=True)
class ParsedNote:
    kind: NoteKind
    text: str  # as typed, minus only the leading marker (what is stored)
    criteria: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    unknown_criteria: list[str] = field(default_factory=list)
    unknown_facilitators: list[str] = field(default_factory=list)
    unknown_actions: list[str] = field(default_factory=list)  # "A7" with no such follow-up

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def warning(self) -> str:
        """One gentle line about tags that match nothing, or ""."""
        parts = []
        if self.unknown_criteria:
            parts.append("no criterion " + ", ".join("#" + t for t in self.unknown_criteria))
        if self.unknown_facilitators:
            parts.append("no facilitator " + ", ".join("@" + t for t in self.unknown_facilitators))
        if self.unknown_actions:
            parts.append("no action " + ", ".join("!" + t for t in self.unknown_actions))
        return "; ".join(parts)


def split_marker(typed: str) -> tuple[NoteKind, str]:
    """The kind a leading marker gives, and the text without it (and the space after it)."""
    stripped = typed.lstrip()
    if stripped and stripped[0] in MARKERS:
        return MARKERS[stripped[0]], stripped[1:].lstrip()
    return NoteKind.OBSERVATION, stripped


def compose(kind: NoteKind, text: str) -> str:
    """The typed form of a stored note: parse(compose(k, t)) gives back k and t."""
    mark = MARKER_OF.get(kind)
    if mark is None:
        return text
    return f"{mark} {text}" if text else mark


def _resolve(token: str, lookup: Callable[[str], str | None]) -> str | None:
    found = lookup(token)
    if found is None:
        trimmed = token.rstrip(_TRAILING)
        if trimmed and trimmed != token:
            found = lookup(trimmed)
    return found


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# A quote typed as `"words" #P2`: the closing mark pairs the marker, so it goes with it
# (the kind says it is a quote; the text holds the words).
_CLOSING_QUOTE = re.compile(r'"((?:\s+[#@]\S+)*)\s*$')


def parse(typed: str, vocab: Vocabulary) -> ParsedNote:
    kind, text = split_marker(typed)
    text = text.rstrip()
    if kind is NoteKind.QUOTE:
        text = _CLOSING_QUOTE.sub(r"\1", text, count=1).rstrip()
    criteria: list[str] = []
    people: list[str] = []
    unknown_c: list[str] = []
    unknown_p: list[str] = []
    for match in _TAG.finditer(text):
        sigil, token = match.group(1), match.group(2)
        if not token.rstrip(_TRAILING):
            continue  # a lone "#" or "@" is punctuation, not a tag
        if sigil == "#":
            found = _resolve(token, vocab.criterion)
            (criteria if found else unknown_c).append(found or token.rstrip(_TRAILING))
        else:
            found = _resolve(token, vocab.facilitator)
            (people if found else unknown_p).append(found or token.rstrip(_TRAILING))
    known = {label for label, _ in vocab.actions}
    unknown_a = [label for label in tags(text) if label not in known] if "!" in text else []
    return ParsedNote(
        kind=kind,
        text=text,
        criteria=_unique(criteria),
        facilitators=_unique(people),
        unknown_criteria=_unique(unknown_c),
        unknown_facilitators=_unique(unknown_p),
        unknown_actions=unknown_a,
    )


# ---------------------------------------------------------------- completion


@dataclass(frozen=True)
class Candidate:
    insert: str  # what replaces the token after the sigil
    label: str  # what the candidates line shows


@dataclass(frozen=True)
class Completion:
    sigil: str
    start: int  # index of the first character after the sigil
    end: int  # the cursor
    prefix: str
    candidates: list[Candidate]


def token_at(text: str, cursor: int) -> tuple[str, int, str] | None:
    """The ``#``/``@``/``!`` token the cursor is at the end of: (sigil, start, prefix)."""
    cursor = max(0, min(cursor, len(text)))
    head = text[:cursor]
    for pattern in (_TAG, _ACTION_TOKEN) if "!" in head else (_TAG,):
        for match in pattern.finditer(head):
            if match.end() == cursor:
                return match.group(1), match.start(2), match.group(2)
    return None


def _action_candidates(prefix: str, vocab: Vocabulary) -> list[Candidate]:
    """The actions from last time whose label starts with what is typed after ``!``."""
    wanted = prefix.upper()
    if wanted and not wanted.startswith(LABEL_PREFIX):
        wanted = LABEL_PREFIX + wanted  # "!2" offers A2
    return [
        Candidate(label, f"{label} {shorten(' '.join(text.split()), ACTION_TEXT_SHOWN)}")
        for label, text in vocab.actions
        if label.startswith(wanted)
    ]


def candidates(sigil: str, prefix: str, vocab: Vocabulary, limit: int = 8) -> list[Candidate]:
    wanted = prefix.lower()
    out: list[Candidate] = []
    if sigil == "!":
        out = _action_candidates(prefix, vocab)
    elif sigil == "#":
        by_id = [(cid, title) for cid, title in vocab.criteria if cid.lower().startswith(wanted)]
        by_title = [
            (cid, title)
            for cid, title in vocab.criteria
            if wanted
            and (cid, title) not in by_id
            and any(w.startswith(wanted) for w in re.findall(r"\w+", title.lower()))
        ]
        out = [Candidate(cid, f"{cid} {title}") for cid, title in by_id + by_title]
    else:
        for person in vocab.facilitators:
            words = [person.id, *person.name.lower().split()]
            if any(w.startswith(wanted) for w in words):
                out.append(Candidate(vocab.handle(person), person.name))
    return out[:limit]


def complete(text: str, cursor: int, vocab: Vocabulary) -> Completion | None:
    found = token_at(text, cursor)
    if found is None:
        return None
    sigil, start, prefix = found
    if sigil == "!" and not vocab.actions:
        return None  # nothing was agreed last time: "!" is punctuation
    return Completion(sigil, start, cursor, prefix, candidates(sigil, prefix, vocab))


def ends_in_whole_tag(text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` ends in a tag already whole ("#R1", "@asha", "!A1"): the hint still
    offers it, so Tab takes it (ending it with a space) rather than leaving the note."""
    found = complete(text, len(text), vocab)
    return found is not None and any(
        c.insert.lower() == found.prefix.lower() for c in found.candidates
    )


def suggest(text: str, vocab: Vocabulary) -> str | None:
    """``text`` with its last token completed to the first candidate, for an inline hint."""
    found = complete(text, len(text), vocab)
    if found is None or not found.candidates:
        return None
    insert = found.candidates[0].insert
    if found.sigil == "!":  # a label is short and exact: "!" alone offers the first one
        if insert == found.prefix:
            return None
        return text[: found.start] + insert + " "
    if not found.prefix:
        return None
    if insert.lower() == found.prefix.lower() or not insert.lower().startswith(
        found.prefix.lower()
    ):
        return None
    return text + insert[len(found.prefix) :] + " "


# ---------------------------------------------------------------- display

# What may stand between the tags of a run at the start or end of a line ("#R1, #R2 @jo").
_GAP = re.compile(r"[ \t,;/&+]*")
_GAP_CHARS = " \t,;/&+"


# The tags a report reads past: criteria, people, and ties to an action ("!A1", as
# observe.core.actions.TAG reads them).
_SHOWN_TAG = re.compile(r"((?<![\w#@])[#@]|(?<![\w!])!(?=A\d{1,3}(?!\w)))([\w.'’-]*)")


def _tags(line: str) -> list[re.Match[str]]:
    return [m for m in _SHOWN_TAG.finditer(line) if m.group(2).rstrip(_TRAILING)]


def _untag_line(line: str, display: Callable[[str, str], str | None] | None) -> str:
    tags = _tags(line)
    if not tags:
        return line
    lead = 0  # the tags that open the line: dropped, with what separates them
    pos = len(line) - len(line.lstrip(" \t"))
    for m in tags:
        if not _GAP.fullmatch(line, pos, m.start()):
            break
        lead, pos = lead + 1, m.end()
    first_trailing = len(tags)  # the tags that close the line: dropped, keeping the last's stop
    last = tags[-1]
    if _GAP.fullmatch(line, last.end()):
        first_trailing -= 1
        for i in range(len(tags) - 2, lead - 1, -1):
            if not _GAP.fullmatch(line, tags[i].end(), tags[i + 1].start()):
                break
            first_trailing = i
    out = []
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    cursor = 0
    if lead:
        cursor = _GAP.match(line, tags[lead - 1].end()).end()  # type: ignore[union-attr]
        out.append(indent)
    for m in tags[lead:first_trailing]:
        out.append(line[cursor : m.start()])
        token = m.group(2)
        core = token.rstrip(_TRAILING)
        shown = display(m.group(1), core) if display else None
        out.append((shown or core) + token[len(core) :])
        cursor = m.end()
    if first_trailing < len(tags):
        head = line[cursor : tags[first_trailing].start()].rstrip(_GAP_CHARS)
        token = last.group(2)
        stop = token[len(token.rstrip(_TRAILING)) :].lstrip("'’-_")  # "#R1." keeps the "."
        out.append(head + (stop if head.strip() or out else ""))
    else:
        out.append(line[cursor:])
    return "".join(out)


def untagged(text: str, display: Callable[[str, str], str | None] | None = None) -> str:
    """``text`` as it reads without tag syntax, for a report.

    Tags that open or close a line are dropped (they label the note, and a report shows the
    codes and names beside it); a tag inside a sentence keeps its word without the sigil, as
    ``display(sigil, token)`` gives it (a facilitator's name, a criterion's code) or as typed.
    ``untagged("warm tone #R1 @am")`` is ``"warm tone"``. Never raises; untagged text comes
    back unchanged.
    """
    out = "\n".join(_untag_line(line, display) for line in text.split("\n"))
    # Dropping a tag can make a new one ("#R1#R2" -> "#R2"); each pass removes a sigil, so
    # this ends.
    while True:
        again = "\n".join(_untag_line(line, None) for line in out.split("\n"))
        if again == out:
            return out
        out = again
