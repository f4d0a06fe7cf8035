"""Agreement between observers who watched the same delivery (co-observation).

Sessions that share ``meta.calibration`` are one delivery observed by several people, each
rating blind. A unit is one criterion rated for one facilitator in one calibration group; each
observer's level is one value of that unit. "Not observed" is missing, never a category: it
leaves the unit with fewer values, and a unit with fewer than two values is not counted.

Per criterion and over all criteria: the units, the share of pairs of values that are the same
level and that are within one level (neighbours on the scale), Krippendorff's alpha (ordinal
and interval, over every observer of each group) and quadratic-weighted kappa per pair of
observers, each with a bootstrap interval where the units allow and "too few to say" where
they do not. The criteria with the lowest agreement come first: those are the ones to reword.

Which sessions count is collation's rule (observe.core.collate.select): finished ones, demo
never mixed with real. People appear as codes unless names are asked for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from observe.core import agreement_stats as stats
from observe.core.collate import Catalog, EntryLike, Selection
from observe.core.packing import CHAR_LEVELS, NOT_RATED
from observe.core.pseudonyms import Pseudonyms

MIN_UNITS = 5  # fewer units than this: an alpha is too few to say
# A kappa rests on one pair of observers only: it needs as many units as an interval does.
MIN_PAIR_UNITS = 10
MIN_UNITS_INTERVAL = 10  # fewer: a bootstrap interval is too few to say
TOO_FEW = "too few to say"
NO_VARIATION = "no variation: every rating at one level"


@dataclass(frozen=True)
class Estimate:
    """A statistic, its 95% interval, and why either is missing."""

    value: float | None
    interval: stats.Interval | None = None
    note: str = ""  # "too few to say", "no variation…", or why there is no interval

    def to_json(self) -> dict[str, Any]:
        ci = self.interval
        return {
            "value": _round(self.value),
            "ci": None if ci is None else [_round(ci.low), _round(ci.high)],
            "note": self.note,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


@dataclass(frozen=True)
class PairKappa:
    observers: tuple[str, str]  # labels: codes or names
    units: int
    kappa: Estimate

    def to_json(self) -> dict[str, Any]:
        return {"observers": list(self.observers), "units": self.units, **self.kappa.to_json()}


@dataclass
class Figures:
    """The agreement on one criterion, or over all of them (``criterion`` "")."""

    framework: str
    criterion: str
    title: str
    units: int  # units with two values or more
    ratings: int  # levels given in those units
    not_observed: int  # "not observed" answers, left out as missing
    single: int  # units only one observer rated, left out
    exact: float | None  # share of pairs at the same level
    within_one: float | None  # share of pairs at most one level apart
    alpha_ordinal: Estimate
    alpha_interval: Estimate
    pairs: list[PairKappa] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "criterion": self.criterion,
            "title": self.title,
            "units": self.units,
            "ratings": self.ratings,
            "not_observed": self.not_observed,
            "single_rated": self.single,
            "exact": _round(self.exact),
            "within_one": _round(self.within_one),
            "alpha_ordinal": _round(self.alpha_ordinal.value),
            "alpha_interval": _round(self.alpha_interval.value),
            "alpha_ordinal_ci": self.alpha_ordinal.to_json()["ci"],
            "alpha_interval_ci": self.alpha_interval.to_json()["ci"],
            "alpha_ordinal_note": self.alpha_ordinal.note,
            "alpha_interval_note": self.alpha_interval.note,
            "kappa_pairs": [p.to_json() for p in self.pairs],
        }


@dataclass
class Agreement:
    overall: Figures
    criteria: list[Figures]  # the lowest agreement first
    groups: int  # calibration groups with two finished observations or more
    sessions: int  # the sessions in them
    observers: int
    alone: int  # finished sessions observed by one person (no calibration id)
    unpartnered: int  # finished sessions whose calibration group has no other finished one

    def notes(self) -> list[str]:
        """What was counted and what was left out, in words."""
        o = self.overall
        out = [
            f"{self.groups} calibration group{_s(self.groups)} ({self.sessions} sessions,"
            f" {self.observers} observer{_s(self.observers)}): {o.units} unit{_s(o.units)}"
            " (a criterion rated for a facilitator by two observers or more)."
        ]
        if self.alone:
            out.append(f"{self.alone} session{_s(self.alone)} observed alone left out.")
        if self.unpartnered:
            out.append(
                f"{self.unpartnered} co-observed session{_s(self.unpartnered)} whose partners"
                " have not finished left out."
            )
        if o.not_observed:
            out.append(f"{o.not_observed} 'not observed' answers counted as missing.")
        if o.single:
            out.append(f"{o.single} unit{_s(o.single)} rated by one observer only left out.")
        return out


def _s(n: int) -> str:
    return "" if n == 1 else "s"


# ---------------------------------------------------------------- units


@dataclass
class Unit:
    group: str
    framework: str
    facilitator: str
    criterion: str
    levels: dict[str, int] = field(default_factory=dict)  # rater -> level
    not_observed: int = 0


def _ratings(e: EntryLike) -> Iterable[tuple[str, str, int | None]]:
    """(facilitator, criterion, level or None) per rating of an index entry."""
    names = e.criteria.split(" ")
    for fac, chars in e.levels.items():
        for crit, ch in zip(names, chars, strict=False):
            if ch != NOT_RATED:
                yield fac, crit, CHAR_LEVELS[ch]
    for fac, crit, level in e.extra:
        yield fac, crit, level


def _rater(e: EntryLike) -> str:
    obs = e.meta.get("observer") or {}
    return obs.get("id") or f"session:{getattr(e, 'id', '')}"


def calibration_groups(entries: Iterable[EntryLike]) -> dict[str, list[EntryLike]]:
    groups: dict[str, list[EntryLike]] = defaultdict(list)
    for e in entries:
        cal = e.meta.get("calibration")
        # The agreed record (meta.agreed) is the observers' settlement, not one more rater.
        if isinstance(cal, str) and cal and e.meta.get("agreed") is not True:
            groups[cal].append(e)
    return groups


def collect_units(
    groups: dict[str, list[EntryLike]], facilitator: str | None = None
) -> dict[tuple[str, str], list[Unit]]:
    """(framework, criterion) -> its units, in a stable order."""
    found: dict[tuple[str, str, str, str], Unit] = {}
    for cal in sorted(groups):
        seen: Counter[str] = Counter()
        for e in sorted(groups[cal], key=lambda x: str(getattr(x, "id", ""))):
            rater = _rater(e)
            seen[rater] += 1
            if seen[rater] > 1:  # the same person twice in one group: each session a rater
                rater = f"{rater}#{seen[rater]}"
            fw = e.framework.get("id", "")
            for fac, crit, level in _ratings(e):
                if facilitator is not None and fac != facilitator:
                    continue
                key = (cal, fw, fac, crit)
                unit = found.setdefault(key, Unit(cal, fw, fac, crit))
                if level is None:
                    unit.not_observed += 1
                else:
                    unit.levels[rater] = level
    out: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for key in sorted(found):
        unit = found[key]
        out[(unit.framework, unit.criterion)].append(unit)
    return out


# ---------------------------------------------------------------- figures


def _estimate(value: float | None, units: int, interval: Any, least: int = MIN_UNITS) -> Estimate:
    if units < least:
        return Estimate(None, None, TOO_FEW)
    if value is None:
        return Estimate(None, None, NO_VARIATION)
    if units < MIN_UNITS_INTERVAL:
        return Estimate(value, None, f"interval: {TOO_FEW}")
    ci = interval()
    return Estimate(value, ci, "" if ci is not None else f"interval: {TOO_FEW}")


def _pair_shares(units: Sequence[Unit], rank: dict[tuple[str, int], int]) -> tuple[float, float]:
    same = near = pairs = 0
    for u in units:
        for a, b in combinations(u.levels.values(), 2):
            pairs += 1
            same += a == b
            near += abs(rank[(u.framework, a)] - rank[(u.framework, b)]) <= 1
    return same / pairs, near / pairs


def figures(
    framework: str,
    criterion: str,
    title: str,
    units: Sequence[Unit],
    scales: dict[str, list[int]],
    label: Pseudonyms,
    resamples: int = stats.RESAMPLES,
) -> Figures:
    """The figures over ``units`` (of one criterion, or of all of them)."""
    rated = [u for u in units if len(u.levels) >= 2]
    single = sum(1 for u in units if len(u.levels) == 1)
    not_observed = sum(u.not_observed for u in units)
    domain = sorted({v for fw in {u.framework for u in units} for v in scales.get(fw, [])})
    domain = sorted(set(domain) | {v for u in rated for v in u.levels.values()})
    rank = {}
    for fw in {u.framework for u in units}:
        scale = sorted(set(scales.get(fw, [])) | {v for u in rated for v in u.levels.values()})
        rank |= {(fw, v): i for i, v in enumerate(scale)}
    n = len(rated)
    exact, within = _pair_shares(rated, rank) if rated else (None, None)
    counts = stats.value_counts([list(u.levels.values()) for u in rated], domain)
    alphas = {}
    for level in ("ordinal", "interval"):
        value = stats.alpha(counts, domain, level) if n else None  # type: ignore[arg-type]
        alphas[level] = _estimate(
            value,
            n,
            lambda lv=level: stats.alpha_interval(counts, domain, lv, resamples),  # type: ignore[misc]
        )
    return Figures(
        framework=framework,
        criterion=criterion,
        title=title,
        units=n,
        ratings=sum(len(u.levels) for u in rated),
        not_observed=not_observed,
        single=single,
        exact=exact,
        within_one=within,
        alpha_ordinal=alphas["ordinal"],
        alpha_interval=alphas["interval"],
        pairs=pair_kappas(rated, domain, label, resamples),
    )


def pair_kappas(
    units: Sequence[Unit], labels: Sequence[int], label: Pseudonyms, resamples: int
) -> list[PairKappa]:
    """Quadratic-weighted kappa for each pair of observers over the units both rated."""
    shared: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for u in units:
        for a, b in combinations(sorted(u.levels), 2):
            shared[(a, b)].append((u.levels[a], u.levels[b]))
    out = []
    for (a, b), values in shared.items():
        first = [x for x, _ in values]
        second = [y for _, y in values]
        enough = len(values) >= MIN_PAIR_UNITS
        value = stats.kappa(first, second, labels) if enough else None
        estimate = _estimate(
            value,
            len(values),
            lambda f=first, s=second: stats.kappa_interval(f, s, labels, resamples),  # type: ignore[misc]
            MIN_PAIR_UNITS,
        )
        pair = tuple(sorted((_label(label, a), _label(label, b))))
        out.append(PairKappa((pair[0], pair[1]), len(values), estimate))
    out.sort(key=lambda p: (-p.units, p.observers))
    return out


def _label(label: Pseudonyms, rater: str) -> str:
    person, _, again = rater.partition("#")
    if person.startswith("session:"):
        return f"observer of session {person.removeprefix('session:')[:8]}"
    return label(person) + (f" ({again})" if again else "")


def _order(f: Figures, catalog: Catalog) -> tuple[Any, ...]:
    """Lowest agreement first; criteria with too few units to say last."""
    alpha = f.alpha_ordinal.value
    return (
        alpha is None,
        alpha if alpha is not None else 0.0,
        f.exact if f.exact is not None else 1.0,
        catalog.sort_key(f.framework, f.criterion),
    )


def agreement(
    selection: Selection,
    catalog: Catalog | None = None,
    names: bool = False,
    facilitator: str | None = None,
    resamples: int = stats.RESAMPLES,
) -> Agreement:
    """The agreement figures over the selected sessions' calibration groups."""
    catalog = catalog or Catalog()
    groups = calibration_groups(selection.entries)
    alone = sum(1 for e in selection.entries if not e.meta.get("calibration"))
    partnered = {cal: g for cal, g in groups.items() if len(g) >= 2}
    unpartnered = sum(len(g) for g in groups.values() if len(g) < 2)
    _, observers = selection.people()
    label = Pseudonyms(observers, "O", names, secret=selection.secret)
    by_criterion = collect_units(partnered, facilitator)
    criteria = [
        figures(
            fw, crit, catalog.titles.get((fw, crit), crit), units, catalog.levels, label, resamples
        )
        for (fw, crit), units in by_criterion.items()
    ]
    criteria.sort(key=lambda f: _order(f, catalog))
    frameworks = sorted({fw for fw, _ in by_criterion})
    everything = [u for units in by_criterion.values() for u in units]
    overall = figures(
        ", ".join(frameworks), "", "All criteria", everything, catalog.levels, label, resamples
    )
    raters = {_rater(e) for g in partnered.values() for e in g}
    return Agreement(
        overall=overall,
        criteria=criteria,
        groups=len(partnered),
        sessions=sum(len(g) for g in partnered.values()),
        observers=len(raters),
        alone=alone,
        unpartnered=unpartnered,
    )


def criteria_json(found: Agreement) -> dict[str, Any]:
    """Criteria by id, lowest agreement first; ids used by two frameworks are prefixed."""
    ids = Counter(f.criterion for f in found.criteria)
    return {
        (f.criterion if ids[f.criterion] == 1 else f"{f.framework}:{f.criterion}"): f.to_json()
        for f in found.criteria
    }
