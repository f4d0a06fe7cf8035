"""Collation across sessions: per-criterion figures, change across waves, coverage.

Pure functions over index entries (``observe.store.index.Entry`` or anything with the same
attributes), so thousands of sessions are collated without parsing a session file.

Which sessions count: completed, shared and acknowledged ones (an observation still in
progress is not evidence yet). Demo sessions never mix with real ones: without ``demo`` they
are left out (and counted, so the output can say so); with ``demo`` only demo sessions count
and every output is marked as demo data.

People appear as pseudonymous codes (``F-7k2m9q4x`` for facilitators, ``O-3hd8w1ze`` for
observers: keyed with the selection's secret, see observe.core.pseudonyms) unless names are
asked for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from observe.core.packing import CHAR_LEVELS, NOT_RATED  # the index's packed ratings
from observe.core.pseudonyms import Pseudonyms, code_for, people_in  # noqa: F401 (re-exported)

COUNTED = frozenset({"completed", "shared", "acknowledged"})
GROUP_FIELDS = ("wave", "region", "partner", "mode", "facilitator", "observer")
NO_VALUE = "(none)"


class EntryLike(Protocol):
    """What collation reads of a session; ratings packed as ``observe.store.index`` does."""

    error: str | None
    status: str
    meta: dict[str, Any]
    framework: dict[str, str]
    criteria: str  # the rated criteria, space-separated
    levels: dict[str, str]  # facilitator -> one char per criterion (" " not rated, "-" none)
    extra: list[list[Any]]  # [facilitator, criterion, level] the packing cannot hold


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
    _people: tuple[dict[str, str], dict[str, str]] | None = None
    secret: bytes | None = None  # the key of people's codes (observe.core.pseudonyms)

    def people(self) -> tuple[dict[str, str], dict[str, str]]:
        """(facilitators, observers) of the selected sessions, worked out once."""
        if self._people is None:
            self._people = people_in(self.entries)
        return self._people


def select(
    entries: Iterable[EntryLike],
    filters: Filters,
    counted_only: bool = True,
    secret: bytes | None = None,
) -> Selection:
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
    return Selection(chosen, filters.demo, demo_out, status_out, secret=secret)


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


Cells = dict[tuple[tuple[str, ...], str, str], Counter[Any]]  # (group, fw, criterion) -> levels


def count_cells(
    selection: Selection,
    by: Sequence[str] = (),
    names: bool = False,
    facilitator: str | None = None,
) -> Cells:
    """Level counts per group and criterion: the one pass over every rating."""
    for key in by:
        if key not in GROUP_FIELDS:
            raise ValueError(f"cannot group by {key!r}; choose from {', '.join(GROUP_FIELDS)}")
    fac_people, obs_people = selection.people()
    facs = Pseudonyms(fac_people, "F", names, secret=selection.secret)
    observers = Pseudonyms(obs_people, "O", names, secret=selection.secret)
    per_fac = "facilitator" in by or facilitator is not None
    slot = by.index("facilitator") if "facilitator" in by else -1

    def group_of(key: tuple[str, ...], fac: str) -> tuple[str, ...]:
        return key if slot < 0 else (*key[:slot], facs(fac), *key[slot + 1 :])

    # Gather each group's level strings (one char per criterion), then count them column by
    # column in C: Python only sees each group's criteria and the distinct levels.
    packed: dict[tuple[tuple[str, ...], str, str], list[str]] = defaultdict(list)
    extra: dict[tuple[tuple[str, ...], str], list[list[Any]]] = defaultdict(list)
    for e in selection.entries:
        values = _session_values(e, by, observers)
        key = tuple(values.get(k, "") for k in by)
        fw = e.framework.get("id", "")
        if e.extra:
            extra[(key, fw)].extend(e.extra)
        if not e.levels:
            continue
        if not per_fac:
            packed[(key, fw, e.criteria)].extend(e.levels.values())
            continue
        for fac, chars in e.levels.items():
            if facilitator is None or fac == facilitator:
                packed[(group_of(key, fac), fw, e.criteria)].append(chars)
    cells: Cells = defaultdict(Counter)
    for (key, fw, criteria), strings in packed.items():
        for crit, column in zip(criteria.split(" "), zip(*strings, strict=True), strict=True):
            for char, count in Counter(column).items():
                if char != NOT_RATED:
                    cells[(key, fw, crit)][CHAR_LEVELS[char]] += count
    for (key, fw), ratings in extra.items():  # rare: counted one by one
        for fac, crit, level in ratings:
            if facilitator is not None and fac != facilitator:
                continue
            cells[(group_of(key, fac) if per_fac else key, fw, crit)][level] += 1
    return cells


def project(cells: Cells, by: Sequence[str], keep: Sequence[str]) -> Cells:
    """The same counts grouped by fewer fields (``keep`` is a subset of ``by``)."""
    where = [list(by).index(k) for k in keep]
    out: Cells = defaultdict(Counter)
    for (key, fw, crit), dist in cells.items():
        out[(tuple(key[i] for i in where), fw, crit)].update(dist)
    return out


def collate(
    selection: Selection,
    by: Sequence[str] = (),
    catalog: Catalog | None = None,
    names: bool = False,
    facilitator: str | None = None,
) -> list[Row]:
    """One row per group and criterion, over the selected sessions' ratings."""
    return rows_from(count_cells(selection, by, names, facilitator), by, catalog)


def collate_with_waves(
    selection: Selection,
    by: Sequence[str] = (),
    catalog: Catalog | None = None,
    names: bool = False,
    facilitator: str | None = None,
) -> tuple[list[Row], list[Row]]:
    """(rows grouped by ``by``, rows grouped by wave) from a single pass over the ratings."""
    wider = tuple(by) if "wave" in by else (*by, "wave")
    cells = count_cells(selection, wider, names, facilitator)
    rows = rows_from(project(cells, wider, by), by, catalog)
    return rows, rows_from(project(cells, wider, ("wave",)), ("wave",), catalog)


def rows_from(cells: Cells, by: Sequence[str], catalog: Catalog | None = None) -> list[Row]:
    catalog = catalog or Catalog()
    rows = []
    for (key, fw, crit), counted in cells.items():
        dist = Counter(counted)
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
    selection: Selection,
    catalog: Catalog | None = None,
    facilitator: str | None = None,
    rows: list[Row] | None = None,
) -> dict[tuple[str, str], list[WaveFigure]]:
    """(framework, criterion) -> the figures of each wave, in wave order.

    ``rows``, when given, are the figures already collated by wave alone.
    """
    if rows is None:
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
    fac_people, obs_people = selection.people()
    facs = Pseudonyms(fac_people, "F", names, secret=selection.secret)
    observers = Pseudonyms(obs_people, "O", names, secret=selection.secret)
    # Count by ids and label once at the end: there are far fewer people than sessions.
    pairs: Counter[tuple[str, str, str]] = Counter()  # (facilitator id, wave, observer id)
    for e in selection.entries:
        meta = e.meta
        wave = str(meta.get("wave") or NO_VALUE)
        obs = meta.get("observer") or {}
        who = obs.get("id") or ""
        for p in meta.get("facilitators") or ():
            pairs[(p.get("id", ""), wave, who)] += 1
    per_wave: dict[str, Counter[str]] = defaultdict(Counter)
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    waves: set[str] = set()
    observer_labels: set[str] = set()
    for (fac, wave, who), count in pairs.items():
        label = facs(fac)
        who_label = observers(who) if who else NO_VALUE
        waves.add(wave)
        observer_labels.add(who_label)
        per_wave[label][wave] += count
        matrix[label][who_label] += count
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
