"""The demo's own focus: facilitators who said beforehand what they would like looked at.

About half the demo sessions with focus criteria carry a self-assessment for one or both of
their facilitators, in their own (generated) words, warm and tentative as people write them;
and the demo workspace keeps one focus waiting for a facilitator's next observation, so a new
user sees the form take it up.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from observe.core.focus import Hope, SelfAssessment
from observe.core.ids import derived_id
from observe.core.models import Framework, Person
from observe.core.record import SessionRecord
from observe.services.focus import save
from observe.store.workspace import Workspace

SHARE = 0.65  # of the sessions with focus criteria: about half of all
BOTH = 0.4  # of co-delivered ones: both facilitators wrote one

# By the criterion's letter, then its number (the default framework's R1, R2, ...); their voice.
HOPES = {
    "R": [
        "I'd like to know whether people feel safe enough to bring the hard cases.",
        "I'm trying to slow down and let feelings land before I move us on.",
        "I'd like to know whether I do with the group what I ask them to do with their teams.",
    ],
    "L": [
        "I'm practising thinking aloud rather than having the answer ready.",
        "I want to model not knowing, and I'm never sure it comes across as intended.",
        "I'd love to hear whether people challenge me, and how I take it when they do.",
    ],
    "P": [
        "I hope the group's own dilemmas lead, not my slides.",
        "I'd like to see whether I make room for how the work feels, not only what to do.",
        "I'd like to check I connect the content back to their supervision practice.",
    ],
    "F": [
        "I'm working on leaving real silence after a reflective question.",
        "Do the prompts I use open thinking up, or close it down? I'd value your eyes on that.",
        "I'd like to know whether the theory lands as useful, or as a lecture.",
    ],
    "D": [
        "I want to get better at naming race and difference rather than stepping around them.",
        "I'd like to know whether I notice difference in the room, not only on the slides.",
        "I'd welcome your view on whether the session works for everyone's access needs.",
        "I'd like to know whether quieter voices, and those with less power, are heard.",
    ],
    "S": [
        "I'd like to know whether the purpose of each activity is clear.",
        "Pacing is my worry: I'd like to know where it drags or rushes.",
        "Does everyone get drawn in, or only the confident few?",
        "I'd value a view on how I use the small groups.",
    ],
    "C": [
        "My co-facilitator and I have a new plan for hand-overs; I'd like to hear how it looks.",
        "I'd value knowing whether we look like a team, or two people taking turns.",
        "I'd like to know whether we show the group how to disagree well.",
    ],
    "O": [
        "I'd like to know whether people off camera are still with us.",
        "Breakout rooms still feel clumsy to me; I'd welcome ideas.",
        "I'm never sure the chat gets the attention it deserves.",
        "I'd like to know whether the online room feels as warm as a real one.",
    ],
}
GENERAL = "I'd welcome your honest view on this one."
OVERALL = [
    "It's my first time delivering this module online, so be kind but honest.",
    "I'm a bit tired this week; I'd still like the real picture.",
    "",
    "This is a group I find hard to read, so anything you notice will help.",
    "",
]


def _hope(rng: random.Random, criterion: str) -> str:
    lines = HOPES.get(criterion[:1].upper())
    if not lines:
        return GENERAL
    number = criterion[1:]
    return lines[(int(number) - 1) % len(lines)] if number.isdigit() else rng.choice(lines)


def self_assessment(
    rng: random.Random, session_id: str, person: Person, criteria: list[str], written: date
) -> SelfAssessment:
    return SelfAssessment(
        id=derived_id(session_id, f"self-assessment/{person.id}"),
        facilitator=person.id,
        name=person.name,
        framework="good-facilitation",
        written=written,
        hopes=[Hope(criterion=c, text=_hope(rng, c)) for c in criteria],
        overall=rng.choice(OVERALL),
    )


def self_assess(records: list[SessionRecord], seed: int) -> None:
    """Give about half the sessions with focus criteria (changed in place) a facilitator's
    self-assessment on them."""
    for record in records:
        session = record.session
        meta = session.meta
        rng = random.Random(f"{seed}/self-assessment/{session.id}")
        if not meta.focus or rng.random() >= SHARE:
            continue
        people = list(meta.facilitators)
        writers = people if len(people) > 1 and rng.random() < BOTH else [rng.choice(people)]
        written = meta.date - timedelta(days=rng.randint(1, 6))
        meta.self_assessments = [
            self_assessment(rng, session.id, p, list(meta.focus), written) for p in writers
        ]


def waiting(
    workspace: Workspace, framework: Framework, people: list[Person], seed: int, today: date
) -> Person | None:
    """One focus waiting for the next observation of one of ``people`` (the demo's cast); the
    facilitator, or None in a team's workspace (whose people are the roster's)."""
    from observe.services.focus_team import in_team

    if in_team(workspace.root) or not people:
        return None
    rng = random.Random(f"{seed}/focus-waiting")
    person = rng.choice(people)
    criteria = [c.id for _, c in framework.criteria() if c.id[:1] in "RLF"]
    chosen = sorted(rng.sample(criteria, 2))
    sa = self_assessment(rng, f"demo-{seed}", person, chosen, today)
    save(workspace, sa.model_copy(update={"overall": OVERALL[0]}), own=False)
    return person
