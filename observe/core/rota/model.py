"""The observation rota of a wave: who observes whom, under which rules, and by when.

A plan is a list of assignments: an observer and the facilitators of one delivery (one or
more co-facilitators, observed together in one session), with the delivery's partner and
region and a due date. A plan is written by a lead's workspace and may arrive through the
team folder, so it is validated like any input from outside: ids are slugs, texts are
bounded, counts are limited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from observe.core.models import Person

FORMAT = 1
MAX_ASSIGNMENTS = 5000
MAX_PEOPLE = 5000
Text = Annotated[str, StringConstraints(max_length=200)]
WaveText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
AssignmentId = Annotated[str, StringConstraints(pattern=r"^a[1-9][0-9]{0,5}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Rules(_Strict):
    """What a lead asks of a plan: hard rules are on or off, soft ones carry a weight."""

    cofacilitator: bool = True  # nobody observes whom they co-deliver with in the wave
    covered: bool = True  # every facilitator with a delivery is observed at least once
    balance: bool = True  # observers' counts differ by at most ``spread``
    spread: int = Field(1, ge=0, le=50)
    no_repeat: bool = True  # no observer-facilitator pair of the last wave again
    cross_partner: int = Field(10, ge=0, le=100)  # weight against observing one's own partner


# The rules' names as a lead reads them (in messages, options and on screen).
RULE_NAMES = {
    "self": "nobody observes themselves",
    "cofacilitator": "nobody observes their co-facilitator",
    "covered": "everyone observed at least once",
    "balance": "everyone observes about as often",
    "no_repeat": "no pair repeated from the last wave",
    "cross_partner": "across delivery partners where possible",
}


class Delivery(_Strict):
    """Who delivers together in the wave: the unit an observer sits in on."""

    facilitators: list[Person] = Field(min_length=1, max_length=8)
    partner: Text = ""
    region: Text = ""
    date: Date | None = None


class Assignment(_Strict):
    id: AssignmentId
    observer: Person
    facilitators: list[Person] = Field(min_length=1, max_length=8)
    partner: Text = ""
    region: Text = ""
    due: Date


class Plan(_Strict):
    format: Literal[1] = FORMAT
    wave: WaveText
    state: Literal["draft", "published"] = "draft"
    revision: int = Field(1, ge=1)
    made_at: datetime
    published_at: datetime | None = None
    by: Text = ""
    seed: int = 0
    rules: Rules = Rules()
    people: list[Person] = Field(default_factory=list, max_length=MAX_PEOPLE)
    deliveries: list[Delivery] = Field(default_factory=list, max_length=MAX_ASSIGNMENTS)
    last_pairs: list[tuple[str, str]] = Field(default_factory=list, max_length=100_000)
    assignments: list[Assignment] = Field(default_factory=list, max_length=MAX_ASSIGNMENTS)
    numbered: int = Field(0, ge=0)  # the highest assignment number given: none is reused

    def next_number(self) -> int:
        return max([self.numbered, *(int(a.id[1:]) for a in self.assignments)]) + 1

    def get(self, key: str) -> Assignment | None:
        key = key.strip().lower()
        key = key if key.startswith("a") else f"a{key}"
        return next((a for a in self.assignments if a.id == key), None)

    def programme(self) -> Programme:
        return Programme(
            wave=self.wave,
            people=list(self.people),
            deliveries=list(self.deliveries),
            last_pairs={(o, f) for o, f in self.last_pairs},
        )


@dataclass
class Programme:
    """What a plan is made from: the people, the wave's deliveries, last wave's pairs."""

    wave: str
    people: list[Person]
    deliveries: list[Delivery]
    last_pairs: set[tuple[str, str]] = field(default_factory=set)  # (observer id, facilitator id)

    def facilitators(self) -> dict[str, Person]:
        return {p.id: p for d in self.deliveries for p in d.facilitators}

    def co_facilitators(self) -> dict[str, set[str]]:
        """Facilitator id -> the ids of those they deliver with in this wave."""
        out: dict[str, set[str]] = {}
        for d in self.deliveries:
            ids = {p.id for p in d.facilitators}
            for i in ids:
                out.setdefault(i, set()).update(ids - {i})
        return out

    def partner_of(self) -> dict[str, str]:
        """A person's usual delivery partner: the one they deliver with most in the wave."""
        counts: dict[str, dict[str, int]] = {}
        for d in self.deliveries:
            if d.partner:
                for p in d.facilitators:
                    mine = counts.setdefault(p.id, {})
                    mine[d.partner] = mine.get(d.partner, 0) + 1
        return {pid: max(sorted(c), key=lambda k: c[k]) for pid, c in counts.items()}


def short_name(person: Person) -> str:
    """ "Asha R." for Asha Rahman: names in a tight column stay recognisable."""
    parts = person.name.split()
    return parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][:1]}."


def names(people: list[Person], *, short: bool = False) -> str:
    return " & ".join(short_name(p) if short else p.name for p in people)


def new_plan(programme: Programme, *, made_at: datetime, rules: Rules, seed: int, by: str) -> Plan:
    return Plan(
        wave=programme.wave,
        made_at=made_at,
        by=by,
        seed=seed,
        rules=rules,
        people=programme.people,
        deliveries=programme.deliveries,
        last_pairs=sorted(programme.last_pairs),
    )
