"""Collation across sessions: per-criterion figures, change across waves, coverage.

Pure functions over index entries (``observe.store.index.Entry`` or anything with the same
attributes), so thousands of sessions are collated without parsing a session file.

Which sessions count: completed, shared and acknowledged ones (an observation still in
progress is not evidence yet). Demo sessions never mix with real ones: without ``demo`` they
are left out (and counted, so the output can say so); with ``demo`` only demo sessions count
and every output is marked as demo data.

People appear as stable pseudonymous codes (``F-3a9c`` for facilitators, ``O-71be`` for
observers: a hash of the person's id, the same on every machine) unless names are asked for.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

COUNTED = frozenset({"completed", "shared", "acknowledged"})
GROUP_FIELDS = ("wave", "region", "partner", "mode", "facilitator", "observer")
NO_VALUE = "(none)"


class EntryLike(Protocol):
    error: str | None
    status: str
    meta: dict[str, Any]
    framework: dict[str, str]
    ratings: list[list[Any]]


# ---------------------------------------------------------------- pseudonyms


def code_for(person_id: str, prefix: str, length: int = 4) -> str:
    digest = hashlib.sha256(f"observe-person:{person_id}".encode()).hexdigest()
    return f"{prefix}-{digest[:length]}"


class Pseudonyms:
    """Labels for people: names with ``names=True``, else codes unique among those known."""

    def __init__(self, people: dict[str, str], prefix: str, names: bool = False) -> None:
        self.names = names
        self.people = people
        self._labels: dict[str, str] = {}
        pending = sorted(people)
        length = 4
        while pending:
            by_code: dict[str, list[str]] = defaultdict(list)
            for pid in pending:
                by_code[code_for(pid, prefix, length)].append(pid)
            pending = []
            for code, ids in by_code.items():
                if len(ids) == 1:
                    self._labels[ids[0]] = code
                else:  # a collision: those involved get longer codes
                    pending.extend(ids)
            length += 2

    def __call__(self, person_id: str) -> str:
        if self.names:
            return self.people.get(person_id) or person_id
        return self._labels.get(person_id) or code_for(person_id, "X")


def people_in(entries: Iterable[EntryLike]) -> tuple[dict[str, str], dict[str, str]]:
    """(facilitators, observers): id -> name, over the given entries."""
    facilitators: dict[str, str] = {}
    observers: dict[str, str] = {}
    for e in entries:
        for p in e.meta.get("facilitators") or []:
            facilitators.setdefault(p.get("id", ""), p.get("name", ""))
        obs = e.meta.get("observer")
        if obs:
            observers.setdefault(obs.get("id", ""), obs.get("name", ""))
    return facilitators, observers


# ---------------------------------------------------------------- selecting sessions


@dataclass(frozen=True)
class Filters:
    waves: tuple[str, ...] = ()
    region: str | None = None
    partner: str | None = None
    mode: str | None = None
    framework: str | None = None
    facilitator: str | None = None  # a facilitator id (their ratings only)
    demo: bool = False

    def session_ok(self, e: EntryLike) -> bool:
        meta = e.meta
        if bool(meta.get("demo")) != self.demo:
            return False
        if self.waves and meta.get("wave", "") not in self.waves:
            return False
        for key in ("region", "partner", "mode"):
            wanted = getattr(self, key)
            if wanted and str(meta.get(key, "")).lower() != wanted.lower():
                return False
        if self.framework and e.framework.get("id") != self.framework:
            return False
        if self.facilitator:
            ids = {p.get("id") for p in meta.get("facilitators") or []}
            if self.facilitator not in ids:
                return False
        return True


@dataclass
class Selection:
    entries: list[EntryLike]
    demo: bool
    left_out_demo: int = 0  # demo sessions that would have matched, had --demo been given
    left_out_status: int = 0  # sessions still in progress


def select(entries: Iterable[EntryLike], filters: Filters, counted_only: bool = True) -> Selection:
    chosen: list[EntryLike] = []
    demo_out = status_out = 0
    other_demo = Filters(**{**filters.__dict__, "demo": not filters.demo})
    for e in entries:
        if e.error is not None:
            continue
        if not filters.session_ok(e):
            if not filters.demo and other_demo.session_ok(e) and e.status in COUNTED:
                demo_out += 1
            continue
        if counted_only and e.status not in COUNTED:
            status_out += 1
            continue
        chosen.append(e)
    return Selection(chosen, filters.demo, demo_out, status_out)


# ---------------------------------------------------------------- per-criterion figures


@dataclass
class Row:
    group: dict[str, str]
    framework: str
    criterion: str
    title: str
    n: int
    not_observed: int
    mean: float | None
    levels: dict[str, int]

    def to_json(self, demo: bool = False) -> dict[str, Any]:
        return {
            "group": self.group,
            "framework": self.framework,
            "criterion": self.criterion,
            "title": self.title,
            "n": self.n,
            "not_observed": self.not_observed,
            "mean": self.mean,
            "levels": self.levels,
            "demo": demo,
        }


@dataclass
class Catalog:
    """What the frameworks say about criteria: order, titles and the scale's levels."""

    order: dict[tuple[str, str], int] = field(default_factory=dict)
    titles: dict[tuple[str, str], str] = field(default_factory=dict)
    levels: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, frameworks: Iterable[Any]) -> Catalog:
        cat = cls()
        for fw in frameworks:
            cat.levels[fw.id] = list(fw.scale.values)
            for i, (_, c) in enumerate(fw.criteria()):
                cat.order[(fw.id, c.id)] = i
                cat.titles[(fw.id, c.id)] = c.title
        return cat

    def sort_key(self, fw: str, crit: str) -> tuple[str, int, str]:
        return fw, self.order.get((fw, crit), 10_000), crit


def wave_key(wave: str) -> tuple[int, float, str]:
    """Waves sort as numbers where they are numbers ("2" before "10")."""
    try:
        return 0, float(wave), wave
    except ValueError:
        return 1, 0.0, wave


def _session_values(e: EntryLike, by: Sequence[str], observers: Pseudonyms) -> dict[str, str]:
    meta = e.meta
    out = {}
    for key in by:
        if key == "observer":
            obs = meta.get("observer") or {}
            out[key] = observers(obs["id"]) if obs.get("id") else NO_VALUE
        elif key != "facilitator":
            out[key] = str(meta.get(key) or NO_VALUE)
    return out


def collate(
    selection: Selection,
    by: Sequence[str] = (),
    catalog: Catalog | None = None,
    names: bool = False,
    facilitator: str | None = None,
) -> list[Row]:
    """One row per group and criterion, over the selected sessions' ratings."""
    for key in by:
        if key not in GROUP_FIELDS:
            raise ValueError(f"cannot group by {key!r}; choose from {', '.join(GROUP_FIELDS)}")
    catalog = catalog or Catalog()
    fac_people, obs_people = people_in(selection.entries)
    facs = Pseudonyms(fac_people, "F", names)
    observers = Pseudonyms(obs_people, "O", names)
    counts: Counter[tuple[tuple[str, ...], str, str, Any]] = Counter()
    by_fac = "facilitator" in by
    for e in selection.entries:
        fw = e.framework.get("id", "")
        base = _session_values(e, by, observers)
        plain = tuple(base.get(k, "") for k in by) if not by_fac else None
        for fac, crit, level in e.ratings:
            if facilitator is not None and fac != facilitator:
                continue
            if plain is not None:
                key = plain
            else:
                values = {**base, "facilitator": facs(fac)}
                key = tuple(values[k] for k in by)
            counts[(key, fw, crit, level)] += 1
    cells: dict[tuple[tuple[str, ...], str, str], Counter[Any]] = defaultdict(Counter)
    for (key, fw, crit, level), count in counts.items():
        cells[(key, fw, crit)][level] += count
    rows = []
    for (key, fw, crit), dist in cells.items():
        not_observed = dist.pop(None, 0)
        n = sum(dist.values())
        mean = sum(level * c for level, c in dist.items()) / n if n else None
        scale = catalog.levels.get(fw, [])
        levels = {str(v): dist.get(v, 0) for v in sorted(set(scale) | set(dist))}
        rows.append(
            Row(
                group=dict(zip(by, key, strict=True)),
                framework=fw,
                criterion=crit,
                title=catalog.titles.get((fw, crit), crit),
                n=n,
                not_observed=not_observed,
                mean=mean,
                levels=levels,
            )
        )
    rows.sort(
        key=lambda r: (
            tuple(wave_key(v) if k == "wave" else (0, 0.0, v) for k, v in r.group.items()),
            catalog.sort_key(r.framework, r.criterion),
        )
    )
    return rows


# ---------------------------------------------------------------- change across waves


@dataclass
class WaveFigure:
    wave: str
    n: int
    mean: float | None
    change: float | None  # mean minus the previous wave's mean, when both exist


def wave_change(
    selection: Selection, catalog: Catalog | None = None, facilitator: str | None = None
) -> dict[tuple[str, str], list[WaveFigure]]:
    """(framework, criterion) -> the figures of each wave, in wave order."""
    rows = collate(selection, ("wave",), catalog, facilitator=facilitator)
    waves = sorted({r.group["wave"] for r in rows}, key=wave_key)
    table: dict[tuple[str, str], dict[str, Row]] = defaultdict(dict)
    for r in rows:
        table[(r.framework, r.criterion)][r.group["wave"]] = r
    out: dict[tuple[str, str], list[WaveFigure]] = {}
    sort_key = (catalog or Catalog()).sort_key
    for key in sorted(table, key=lambda k: sort_key(*k)):
        figures: list[WaveFigure] = []
        previous: float | None = None
        for wave in waves:
            row = table[key].get(wave)
            mean = row.mean if row else None
            change = mean - previous if mean is not None and previous is not None else None
            figures.append(WaveFigure(wave, row.n if row else 0, mean, change))
            previous = mean if mean is not None else previous
        out[key] = figures
    return out


# ---------------------------------------------------------------- coverage


@dataclass
class Coverage:
    waves: list[str]
    facilitators: list[str]  # labels, the roster: everyone seen in the selected sessions
    observers: list[str]
    per_wave: dict[str, dict[str, int]]  # facilitator -> wave -> sessions observed
    matrix: dict[str, dict[str, int]]  # facilitator -> observer -> sessions observed
    not_observed: dict[str, list[str]]  # wave -> facilitators with no observation in it

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def coverage(selection: Selection, names: bool = False) -> Coverage:
    fac_people, obs_people = people_in(selection.entries)
    facs = Pseudonyms(fac_people, "F", names)
    observers = Pseudonyms(obs_people, "O", names)
    per_wave: dict[str, Counter[str]] = defaultdict(Counter)
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    waves: set[str] = set()
    observer_labels: set[str] = set()
    for e in selection.entries:
        wave = str(e.meta.get("wave") or NO_VALUE)
        waves.add(wave)
        obs = e.meta.get("observer") or {}
        who = observers(obs["id"]) if obs.get("id") else NO_VALUE
        observer_labels.add(who)
        for p in e.meta.get("facilitators") or []:
            label = facs(p.get("id", ""))
            per_wave[label][wave] += 1
            matrix[label][who] += 1
    roster = sorted({facs(pid) for pid in fac_people})
    ordered_waves = sorted(waves, key=wave_key)
    return Coverage(
        waves=ordered_waves,
        facilitators=roster,
        observers=sorted(observer_labels),
        per_wave={f: dict(per_wave[f]) for f in roster},
        matrix={f: dict(matrix[f]) for f in roster},
        not_observed={w: [f for f in roster if not per_wave[f].get(w)] for w in ordered_waves},
    )
