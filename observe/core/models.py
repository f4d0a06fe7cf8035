"""Pydantic models for frameworks and sessions.

The JSON keys here are the public session file format (see README): rename none of them
without bumping SCHEMA_VERSION and adding a migration in ``observe.store.migrations``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date as Date
from datetime import datetime
from typing import Annotated, Literal

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

# The per-facilitator documents and the id rules, importable from here too.
from observe.core.answers import Action as Action
from observe.core.answers import FacilitatorSummary as FacilitatorSummary
from observe.core.answers import Response as Response

# The file format's value sets, importable from here as they always were.
from observe.core.choices import Consent as Consent
from observe.core.choices import Mode as Mode
from observe.core.choices import NoteKind as NoteKind
from observe.core.choices import Status as Status
from observe.core.focus import MAX_SELF_ASSESSMENTS
from observe.core.focus import SelfAssessment as SelfAssessment
from observe.core.ids import ID_PATTERN as ID_PATTERN
from observe.core.ids import ID_RULE as ID_RULE
from observe.core.ids import Id as Id
from observe.core.ids import derived_id
from observe.core.ids import new_id as new_id
from observe.core.ids import slugify as slugify
from observe.core.ids import valid_id as valid_id

SCHEMA_VERSION = 2

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CriterionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9._-]{0,15}$")]


# ---------------------------------------------------------------- frameworks


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    value: int = Field(ge=0, le=10, strict=True)  # not `true`, not 1.0
    label: NonEmpty
    descriptor: str = ""


class Scale(_Strict):
    levels: list[Level] = Field(min_length=2)
    not_observed: bool = Field(default=True, strict=True)  # not "yes", not 1

    @field_validator("levels")
    @classmethod
    def _ordered_unique(cls, levels: list[Level]) -> list[Level]:
        values = [level.value for level in levels]
        if len(set(values)) != len(values):
            raise ValueError(f"level values must be unique, got {values}")
        if values != sorted(values):
            raise ValueError(f"levels must be in ascending order of value, got {values}")
        return levels

    @property
    def values(self) -> list[int]:
        return [level.value for level in self.levels]

    def level(self, value: int | None) -> Level | None:
        return next((lv for lv in self.levels if lv.value == value), None)

    def level_for_key(self, key: int) -> int | None:
        """The level a digit key gives (0: not observed); ValueError says why a key gives none."""
        if key == 0:
            if not self.not_observed:
                raise ValueError("This framework has no 'not observed'")
            return None
        if key not in self.values:
            raise ValueError(f"The scale runs {self.values[0]}-{self.values[-1]}")
        return key


class Criterion(_Strict):
    id: CriterionId
    title: NonEmpty
    prompt: str = ""
    look_fors: list[str] = []
    descriptors: dict[int, str] = {}
    modes: list[Mode] | None = None  # None: applies to every delivery mode

    def applies_to(self, mode: Mode | None) -> bool:
        return self.modes is None or mode is None or mode in self.modes


class Domain(_Strict):
    id: NonEmpty
    title: NonEmpty
    description: str = ""
    criteria: list[Criterion] = Field(min_length=1)


class Framework(_Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    version: NonEmpty
    title: NonEmpty
    kind: Literal["observation", "survey"] = "observation"
    description: str = ""
    scale: Scale
    domains: list[Domain] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_ids(self) -> Framework:
        seen: dict[str, str] = {}
        for d, domain in enumerate(self.domains):
            for c, criterion in enumerate(domain.criteria):
                key = criterion.id.upper()
                if key in seen:
                    raise ValueError(
                        f"domains[{d}].criteria[{c}].id: duplicate criterion id {criterion.id!r}"
                        f" (also at {seen[key]})"
                    )
                seen[key] = f"domains[{d}].criteria[{c}]"
                for value in criterion.descriptors:
                    if value not in self.scale.values:
                        raise ValueError(
                            f"domains[{d}].criteria[{c}].descriptors: level {value} is not on"
                            f" the scale {self.scale.values}"
                        )
        return self

    def criteria(self, mode: Mode | None = None) -> Iterator[tuple[Domain, Criterion]]:
        for domain in self.domains:
            for criterion in domain.criteria:
                if criterion.applies_to(mode):
                    yield domain, criterion

    def criterion(self, criterion_id: str) -> Criterion | None:
        wanted = criterion_id.upper()
        return next((c for _, c in self.criteria() if c.id.upper() == wanted), None)

    def content_hash(self) -> str:
        canonical = orjson.dumps(self.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return "sha256:" + hashlib.sha256(canonical).hexdigest()

    def snapshot(self) -> FrameworkSnapshot:
        return FrameworkSnapshot(
            id=self.id,
            version=self.version,
            hash=self.content_hash(),
            title=self.title,
            content=self,
        )


class FrameworkSnapshot(BaseModel):
    """The framework as it was when a session started; editing the TOML never changes it."""

    model_config = ConfigDict(extra="allow")

    id: str
    version: str
    hash: str
    title: str
    content: Framework


# ---------------------------------------------------------------- sessions


class Person(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Id
    name: NonEmpty

    @classmethod
    def named(cls, name: str) -> Person:
        return cls(id=slugify(name), name=name.strip())


class Meta(BaseModel):
    model_config = ConfigDict(extra="allow")

    programme: str = ""
    wave: str = ""
    region: str = ""
    partner: str = ""
    cohort: str = ""
    title: str = ""
    date: Date
    start: str = ""  # "HH:MM", local time the session started
    mode: Mode = Mode.IN_PERSON
    facilitators: list[Person] = Field(min_length=1)
    observer: Person | None = None
    focus: list[str] = []
    # What each facilitator asked to be looked at and said of it beforehand (core.focus).
    self_assessments: list[SelfAssessment] = Field(default=[], max_length=MAX_SELF_ASSESSMENTS)
    consent: Consent = Consent.NOT_ASKED
    demo: bool = False
    # Co-observation: the sessions of one delivery, each by its own observer, share this id
    # ("" when observed alone). It joins them in listings, comparison and agreement.
    calibration: str = ""
    # The group's agreed record (observe.core.calibration): the one the facilitator receives;
    # the observers' own sessions keep their individual ratings for agreement statistics.
    agreed: bool = False

    @field_validator("consent", mode="before")
    @classmethod
    def _consent_from_a_tick(cls, value: object) -> object:
        # Files from before the three answers hold a tick box: ticked meant agreed; unticked
        # only that nobody ticked it, so "not asked".
        if value is True:
            return Consent.GIVEN
        if value is False:
            return Consent.NOT_ASKED
        return value

    @field_validator("calibration")
    @classmethod
    def _calibration_is_an_id(cls, value: str) -> str:
        # It comes from files and the command line and is shown and grouped by: an id, so
        # that no markup, path or screenful ever rides in on it.
        if value and not valid_id(value):
            raise ValueError(f"calibration {value[:40]!r} is not a valid id: {ID_RULE}")
        return value

    def facilitator(self, key: str) -> Person | None:
        """A facilitator by id, name or unique name prefix (case-insensitive)."""
        wanted = key.strip().lower()
        for person in self.facilitators:
            if wanted in (person.id, person.name.lower()):
                return person
        matches = [
            p
            for p in self.facilitators
            if p.name.lower().startswith(wanted) or p.id.startswith(slugify(wanted))
        ]
        return matches[0] if len(matches) == 1 else None


class Clock(BaseModel):
    """Elapsed observation time survives a restart: paused time is left out."""

    model_config = ConfigDict(extra="allow")

    started_at: datetime | None = None
    paused_s: float = 0.0
    paused_since: datetime | None = None

    def elapsed(self, now: datetime) -> float:
        if self.started_at is None:
            return 0.0
        end = self.paused_since or now
        return max(0.0, (end - self.started_at).total_seconds() - self.paused_s)


class Phase(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: NonEmpty
    at: datetime
    elapsed_s: float = 0.0


class Session(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: int = Field(default=SCHEMA_VERSION, alias="schema")
    id: Id = Field(default_factory=new_id)
    rev: int = 1
    status: Status = Status.IN_PROGRESS
    meta: Meta
    framework: FrameworkSnapshot
    created_at: datetime
    updated_at: datetime
    clock: Clock = Clock()
    phases: list[Phase] = []
    completed_at: datetime | None = None
    shared_at: datetime | None = None

    @property
    def short_id(self) -> str:
        return self.id[:8]

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class Note(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Id = Field(default_factory=new_id)
    rev: int = 1
    at: datetime
    elapsed_s: float = 0.0
    text: str
    kind: NoteKind = NoteKind.OBSERVATION
    criteria: list[str] = []
    facilitators: list[Id] = []
    phase: str = ""
    deleted: bool = False
    # Whose feedback the note goes into, as the observer chose it at wrap-up; None: worked
    # out from its @tags and the names in its text (observe.core.record.is_about).
    feedback_for: list[Id] | None = None

    def dump(self) -> dict:
        # Left out until chosen: files stay as they were for notes nobody reassigned.
        unset = {"feedback_for"} if self.feedback_for is None else None
        return self.model_dump(mode="json", exclude=unset)


class Rating(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Id
    rev: int = 1
    facilitator: Id
    criterion: str
    level: int | None = None  # None: not observed
    comment: str = ""
    evidence: list[Id] = []
    at: datetime | None = None
    # Cleared: no rating at all (not "not observed"). A tombstone, as a note's, so that a
    # clear travels through a merge; rating again raises the rev and brings it back.
    deleted: bool = False

    @staticmethod
    def id_for(session_id: str, facilitator: str, criterion: str) -> str:
        """One rating per facilitator x criterion, with the same id on every machine."""
        return derived_id(session_id, f"rating/{facilitator}/{criterion}")

    def dump(self) -> dict:
        return self.model_dump(mode="json")
