"""Believable generated sessions for trying the app, demos and benchmarks.

Everything comes from a seeded RNG (ids, dates, times, words): the same seed and count give
byte-identical files, and session ``i`` is the same whatever the count. Files are written with
the same atomic write and serialisation as the repository, as the repository lays them out,
and every session is marked ``meta.demo = true``.
"""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

from observe.core.models import (
    Action,
    Clock,
    Consent,
    FacilitatorSummary,
    Framework,
    Meta,
    Mode,
    Note,
    NoteKind,
    Person,
    Phase,
    Rating,
    Response,
    Session,
    Status,
    slugify,
)
from observe.core.record import SessionRecord
from observe.services import demo_agreed, demo_focus
from observe.services import demo_calibration as calibration
from observe.services import demo_phrases as words
from observe.services.demo_followups import follow_up
from observe.store import codec, files

WAVE_STARTS = {"1": date(2025, 9, 8), "2": date(2026, 1, 12), "3": date(2026, 4, 20)}
WAVE_WEEKS = 14
# Wave 1 was mostly in the room; later waves moved online, as the programme did.
MODE_WEIGHTS = {
    "1": (0.6, 0.25, 0.15),
    "2": (0.3, 0.5, 0.2),
    "3": (0.35, 0.4, 0.25),
}
STATUS_WEIGHTS = (0.06, 0.5, 0.26, 0.18)  # in progress, completed, shared, acknowledged
OBSERVERS = 12


def uk_offset(day: date) -> timezone:
    """Europe/London without tzdata: BST from the last Sunday of March to that of October."""

    def last_sunday(month: int) -> date:
        d = date(day.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    summer = last_sunday(3) <= day < last_sunday(10)
    return timezone(timedelta(hours=1 if summer else 0))


@dataclass
class Cast:
    """Who is who for one seed: profiles, usual pairs and the observer pool."""

    people: list[Person]
    ability: dict[str, float]  # facilitator id -> their usual level
    domain_bias: dict[str, dict[str, float]]  # facilitator id -> domain id -> offset
    pairs: list[tuple[Person, Person]]
    observers: list[Person] = field(default_factory=list)


def make_cast(seed: int, framework: Framework) -> Cast:
    rng = random.Random(f"observe-demo-cast:{seed}")
    people = [Person.named(n) for n in words.FACILITATORS]
    shuffled = people[:]
    rng.shuffle(shuffled)
    pairs = [(shuffled[i], shuffled[i + 1]) for i in range(0, len(shuffled), 2)]
    ability = {p.id: rng.uniform(2.0, 3.3) for p in people}
    bias = {p.id: {d.id: rng.gauss(0, 0.35) for d in framework.domains} for p in people}
    observers = rng.sample(people, OBSERVERS)
    return Cast(people, ability, bias, pairs, observers)


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _first(person: Person) -> str:
    return person.name.split()[0]


def make_session(
    i: int, seed: int, framework: Framework, cast: Cast, settle: bool = True
) -> SessionRecord:
    """Demo session ``i``: the same for the same seed (``settle``: with the agreed records of
    observe.services.demo_agreed)."""
    lead = calibration.lead_of(i)  # a co-observation draws its delivery from the first's seed
    rng = random.Random(f"observe-demo:{seed}:{i if lead is None else lead}")
    wave = rng.choice(words.WAVES)
    region_no = rng.randrange(len(words.REGIONS))
    region = words.REGIONS[region_no]
    # Delivery partners are local, with some working across a neighbouring region.
    partner = words.PARTNERS[region_no if rng.random() < 0.8 else rng.randrange(9)]
    mode = Mode(rng.choices(list(Mode), MODE_WEIGHTS[wave])[0])
    if rng.random() < 0.65:
        pair = rng.choice(cast.pairs)
        if rng.random() < 0.15:  # cover for an absent co-facilitator
            pair = (pair[0], rng.choice([p for p in cast.people if p not in pair]))
        facilitators = list(pair)
    else:
        facilitators = [rng.choice(cast.people)]
    observer = rng.choice([p for p in cast.observers if p not in facilitators])
    if lead is not None:
        others = [p for p in cast.observers if p not in facilitators and p != observer]
        observer = calibration.co_observer(seed, i, lead, others)
    day = WAVE_STARTS[wave] + timedelta(days=rng.randrange(WAVE_WEEKS * 7))
    day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)
    start = rng.choice(["09:30", "10:00", "13:00", "13:30"])
    hours, minutes = map(int, start.split(":"))
    began = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=uk_offset(day))
    length = rng.uniform(3.0, 5.5) if mode is Mode.IN_PERSON else rng.uniform(1.5, 3.0)
    status = Status(rng.choices(list(Status), STATUS_WEIGHTS)[0])
    if status is Status.IN_PROGRESS:
        length *= rng.uniform(0.2, 0.7)
    criteria = [c for _, c in framework.criteria(mode)]
    if len(facilitators) == 1:
        criteria = [c for c in criteria if not c.id.startswith("C")]
    focus = [c.id for c in rng.sample(criteria, rng.choice([0, 1, 1, 2, 2, 3]))]
    meta = Meta(
        programme=words.PROGRAMME,
        wave=wave,
        region=region,
        partner=partner,
        cohort=f"{words.COHORT_CODES[region]}-W{wave}-{rng.randint(1, 6):02d}",
        title=rng.choice(words.TITLES),
        date=day,
        start=start,
        mode=mode,
        facilitators=facilitators,
        observer=observer,
        focus=focus,
        consent=Consent.GIVEN,
        demo=True,
        calibration=calibration.calibration_id(seed, i if lead is None else lead),
    )
    session_id = _uuid(rng)
    own = rng if lead is None else random.Random(f"observe-demo:{seed}:{i}")
    session_id = session_id if lead is None else _uuid(own)
    total_s = round(length * 3600)

    middle = sorted(rng.sample(range(1, len(words.PHASES) - 1), 3))
    phase_names = [words.PHASES[k] for k in (0, *middle, len(words.PHASES) - 1)]
    cuts = (0.0, rng.uniform(0.05, 0.15), rng.uniform(0.25, 0.45), rng.uniform(0.5, 0.7))
    phase_at = [round(c * total_s) for c in (*cuts, rng.uniform(0.85, 0.92))]
    if status is Status.IN_PROGRESS:
        keep = [k for k, t in enumerate(phase_at) if t < total_s * 0.95]
        phase_names = [phase_names[k] for k in keep]
        phase_at = [phase_at[k] for k in keep]
    phases = [
        Phase(name=n, at=began + timedelta(seconds=t), elapsed_s=float(t))
        for n, t in zip(phase_names, phase_at, strict=True)
    ]

    notes = _notes(rng, began, total_s, criteria, focus, facilitators, phases)
    ratings = _ratings(
        rng,
        session_id,
        began + timedelta(seconds=total_s),
        criteria,
        notes,
        cast,
        facilitators,
        lift=0.15 * words.WAVES.index(wave),
        domain_of=_domains(framework),
    )
    if lead is not None:  # the co-observer's own notes, and levels near the first's
        notes = _notes(own, began, total_s, criteria, focus, facilitators, phases)
        ratings = calibration.co_ratings(own, seed, ratings, notes, observer.id)
    if status is Status.IN_PROGRESS:
        ratings = ratings[: len(ratings) // 2]
    ended = began + timedelta(seconds=total_s)
    session = Session(
        id=session_id,
        status=status,
        meta=meta,
        framework=framework.snapshot(),
        created_at=began,
        updated_at=ended,
        clock=Clock(started_at=began, paused_since=ended if status is Status.IN_PROGRESS else None),
        phases=phases,
    )
    session.rev = 1 + len(phases)
    record = SessionRecord(session=session, notes=notes, ratings=ratings)
    if status is not Status.IN_PROGRESS:
        _wrap_up(own, record, ended, ratings, _domains(framework))
    again = partial(make_session, seed=seed, framework=framework, cast=cast, settle=False)
    return demo_agreed.settled(i, seed, record, again) if settle else record


def _notes(
    rng: random.Random,
    began: datetime,
    total_s: float,
    criteria: list[Any],
    focus: list[str],
    facilitators: list[Person],
    phases: list[Phase],
) -> list[Note]:
    count = max(4, int(total_s / 3600 * rng.uniform(6, 11)))
    times = sorted(rng.uniform(60, total_s) for _ in range(count))
    ids = [c.id for c in criteria]
    weights = [3.0 if cid in focus else 1.0 for cid in ids]
    notes = []
    used: set[str] = set()  # an observer does not write the same sentence twice in a session
    for t in times:
        who = rng.choice(facilitators)
        other = next((p for p in facilitators if p is not who), None)
        if rng.random() < 0.1:
            kind, text = _fresh(rng, words.GENERAL, used)
            tagged: list[str] = []
        else:
            cid = rng.choices(ids, weights)[0]
            for _ in range(4):  # a criterion whose phrases are used up gives way to another
                if any(p[1] not in used for p in words.NOTES[cid]):
                    break
                cid = rng.choices(ids, weights)[0]
            kind, text = _fresh(rng, words.NOTES[cid], used)
            if ("{o}" in text) and other is None:
                kind, text = rng.choice(words.NOTES["S1"])
                cid = "S1"
            tagged = [cid]
            text = text.format(f=_first(who), o=_first(other) if other else "")
            text += f" #{cid}"
        people = []
        if len(facilitators) > 1 and tagged:
            people = [who.id]
            text += f" @{slugify(_first(who))}"  # the handle the live screen completes
        phase = next((p.name for p in reversed(phases) if p.elapsed_s <= t), "")
        note = Note(
            id=_uuid(rng),
            at=began + timedelta(seconds=round(t)),
            elapsed_s=float(round(t)),
            text=text,
            kind=NoteKind(kind),
            criteria=tagged,
            facilitators=people,
            phase=phase,
        )
        roll = rng.random()
        if roll < 0.03:
            note = note.model_copy(update={"rev": 2, "deleted": True})
        elif roll < 0.08:
            note = note.model_copy(update={"rev": 2, "text": note.text.replace(" #", ". #", 1)})
        notes.append(note)
    return notes


def _fresh(rng: random.Random, phrases: list[tuple[str, str]], used: set[str]) -> tuple[str, str]:
    """A phrase not yet used in this session where one is left; marks it used."""
    kind, text = rng.choice([p for p in phrases if p[1] not in used] or phrases)
    used.add(text)
    return kind, text


def _domains(framework: Framework) -> dict[str, str]:
    return {c.id: d.id for d, c in framework.criteria()}


def _ratings(
    rng: random.Random,
    session_id: str,
    at: datetime,
    criteria: list[Any],
    notes: list[Note],
    cast: Cast,
    facilitators: list[Person],
    *,
    lift: float,
    domain_of: dict[str, str],
) -> list[Rating]:
    """Levels follow each facilitator's usual practice, a little better each wave."""
    out = []
    for person in facilitators:
        for criterion in criteria:
            evidence = [
                n.id
                for n in notes
                if not n.deleted
                and criterion.id in n.criteria
                and (not n.facilitators or person.id in n.facilitators)
            ][:3]
            unseen = 0.35 if not evidence else 0.05
            if rng.random() < unseen:
                level = None
            else:
                usual = (
                    cast.ability[person.id] + cast.domain_bias[person.id][domain_of[criterion.id]]
                )
                raw = usual + lift + rng.gauss(0, 0.6)
                level = min(4, max(1, round(raw)))
            out.append(
                Rating(
                    id=Rating.id_for(session_id, person.id, criterion.id),
                    rev=rng.choice([1, 1, 1, 2]),
                    facilitator=person.id,
                    criterion=criterion.id,
                    level=level,
                    evidence=evidence,
                    at=at,
                )
            )
    return out


def _wrap_up(
    rng: random.Random,
    record: SessionRecord,
    ended: datetime,
    ratings: list[Rating],
    domain_of: dict[str, str],
) -> None:
    """Summaries name each facilitator's strongest domains first, then one or two to develop."""
    session = record.session
    facilitators = session.meta.facilitators
    done = ended + timedelta(minutes=rng.randint(20, 90))
    session.completed_at = done
    session.updated_at = done
    session.rev += 2
    for person in facilitators:
        by_domain: dict[str, list[int]] = {}
        for r in ratings:
            if r.facilitator == person.id and r.level is not None:
                by_domain.setdefault(domain_of[r.criterion], []).append(r.level)
        ranked = sorted(by_domain, key=lambda d: (-sum(by_domain[d]) / len(by_domain[d]), d))
        low = ranked[::-1][: rng.choice([1, 2])]
        record.summaries.append(
            FacilitatorSummary.new(
                session.id,
                person.id,
                strengths=" ".join(words.STRENGTHS[d] for d in ranked[:2]),
                development=" ".join(words.DEVELOPMENT[d] for d in low),
                summary=rng.choice(words.SUMMARIES),
            )
        )
    if session.status in (Status.SHARED, Status.ACKNOWLEDGED):
        shared = done + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
        session.shared_at = shared
        session.updated_at = shared
        session.rev += 1
    if session.status is Status.ACKNOWLEDGED:
        answered = session.updated_at + timedelta(days=rng.randint(1, 10))
        for person in facilitators:
            record.responses.append(
                Response.new(
                    session.id,
                    person.id,
                    reflection=rng.choice(words.REFLECTIONS),
                    actions=[
                        Action(
                            id=_uuid(rng),
                            text=t,
                            owner=person.name,
                            by=answered.date() + timedelta(days=42),
                        )
                        for t in rng.sample(words.ACTIONS, rng.randint(1, 3))
                    ],
                    acknowledged=True,
                    acknowledged_at=answered,
                    disagreement=rng.choice(words.DISAGREEMENTS) if rng.random() < 0.2 else "",
                )
            )


def generate(
    sessions_dir: Path, framework: Framework, count: int = 200, seed: int = 1
) -> list[Path]:
    """Write ``count`` demo sessions into ``sessions_dir``; returns their paths."""
    cast = make_cast(seed, framework)
    sessions_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    paths: list[Path] = []
    # fsync waits on the disk, not the CPU: a few writer threads overlap those waits.
    with ThreadPoolExecutor(max_workers=4) as pool:
        pending = []
        records = [make_session(i, seed, framework, cast) for i in range(count)]
        follow_up(records, seed)  # actions agreed in one wave, followed up in the next
        demo_focus.self_assess(records, seed)  # the facilitators' own focus, written before
        for record in records:
            path = sessions_dir / files.file_name(record.session)
            paths.append(path)
            pending.append(pool.submit(codec.write, path, codec.tables_of(record)))
        for future in pending:
            future.result()
    return paths
