"""The portfolio as data, and its JSON shape (``observe portfolio --format json``).

The shape is a contract other tools may read: keys are only ever added. Dates are ISO
strings; a level is a number or null (not observed); people are names or pseudonymous codes
as the portfolio was asked for (``names`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

JSON_VERSION = 1


def _iso(value: Date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class Observation:
    session: str
    date: Date
    wave: str
    region: str
    partner: str
    title: str
    mode: str
    observer: str
    co_facilitators: list[str]
    status: str
    framework: str

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class Point:
    """One rating in one observation."""

    session: str
    date: Date
    wave: str
    level: int | None  # None: not observed
    label: str

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class Series:
    """The ratings under one framework: per criterion rated, its levels over time."""

    framework: str
    title: str
    scale: list[tuple[int, str]]  # (value, label), lowest first
    criteria: list[tuple[str, str, list[Point]]]  # (id, title, points oldest first)

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "title": self.title,
            "scale": [{"value": v, "label": label} for v, label in self.scale],
            "criteria": [
                {"criterion": c, "title": t, "points": [p.to_json() for p in points]}
                for c, t, points in self.criteria
            ],
        }


@dataclass
class ThemeEvidence:
    session: str
    date: Date
    source: str  # "rating" or "note"
    text: str

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class Theme:
    """A criterion that recurs as a strength, or as something to develop."""

    framework: str
    criterion: str
    title: str
    observations: int  # in how many observations it showed
    evidence: list[ThemeEvidence]  # oldest first

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "evidence": [e.to_json() for e in self.evidence]}


@dataclass
class SessionWords:
    """The observer's summary of them in one observation."""

    session: str
    date: Date
    strengths: str
    development: str
    summary: str

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class FollowUpSeen:
    session: str
    date: Date
    mark: str | None  # seen, partly, not_yet, no_chance; None: not marked
    mark_label: str
    evidence: list[str]  # the notes tied to it

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class ActionTaken:
    """An agreed action and what became of it."""

    id: str
    text: str
    owner: str
    by: Date | None
    state: str | None  # open, done, dropped; None: agreed in a session not counted here
    changed: Date | None
    session: str  # where it was agreed
    agreed: Date | None
    follow_ups: list[FollowUpSeen] = field(default_factory=list)
    past: bool = False  # still open on the day the portfolio was made, and past its date

    def to_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "by": _iso(self.by),
            "changed": _iso(self.changed),
            "agreed": _iso(self.agreed),
            "follow_ups": [f.to_json() for f in self.follow_ups],
        }


@dataclass
class Reflection:
    session: str
    date: Date
    reflection: str
    disagreement: str
    acknowledged: bool

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "date": _iso(self.date)}


@dataclass
class Hoped:
    """One focus criterion: what they hoped to show, and what was seen."""

    criterion: str
    title: str
    text: str
    seen: str  # the level's label, "not observed" or "not rated"
    notes: list[str]

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SelfAssessed:
    session: str
    date: Date
    written: Date | None
    overall: str
    hopes: list[Hoped]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "date": _iso(self.date),
            "written": _iso(self.written),
            "hopes": [h.to_json() for h in self.hopes],
        }


@dataclass
class Portfolio:
    facilitator_id: str
    facilitator: str  # their name, or their code
    demo: bool = False
    names: bool = True
    own: bool = False  # the workspace's own team member: their own record
    left_out: dict[str, int] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)
    ratings: list[Series] = field(default_factory=list)
    strengths: list[Theme] = field(default_factory=list)
    development: list[Theme] = field(default_factory=list)
    summaries: list[SessionWords] = field(default_factory=list)
    actions: list[ActionTaken] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)
    self_assessments: list[SelfAssessed] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        listed = (
            "observations",
            "ratings",
            "strengths",
            "development",
            "summaries",
            "actions",
            "reflections",
            "self_assessments",
        )
        out: dict[str, Any] = {
            "version": JSON_VERSION,
            "facilitator": {
                "id": self.facilitator_id if self.names else None,
                "label": self.facilitator,
            },
            "names": self.names,
            "own": self.own,
            "demo": self.demo,
            "left_out": dict(self.left_out),
        }
        for key in listed:
            out[key] = [item.to_json() for item in getattr(self, key)]
        return out
