"""Agreement statistics: published worked examples to three decimals, the bootstrap's formulas
against the libraries, and the properties any agreement figure must have."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observe.core import agreement_stats as stats
from observe.core.agreement import MIN_UNITS, TOO_FEW, agreement
from observe.core.collate import Catalog, Filters, select

SECRET = b"s" * 32

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, values 1-5, gaps where an observer did not code the unit.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# The anxiety ratings of R's irr package (20 subjects, 3 raters); irr's kappa2 with squared
# (quadratic) weights gives 0.2520325 for raters 2 and 3, and 0.1459075 with linear weights.
ANXIETY_2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]


def units_of(matrix: list[list[int | None]]) -> list[list[int]]:
    return [[row[u] for row in matrix if row[u] is not None] for u in range(len(matrix[0]))]


def test_krippendorffs_own_example_to_three_decimals() -> None:
    domain = [1, 2, 3, 4, 5]
    counts = stats.value_counts(units_of(KRIPPENDORFF_2011), domain)
    assert round(stats.alpha(counts, domain, "ordinal"), 3) == 0.815
    assert round(stats.alpha(counts, domain, "interval"), 3) == 0.849


def test_the_published_quadratic_kappa_to_three_decimals() -> None:
    labels = sorted(set(ANXIETY_2) | set(ANXIETY_3))  # irr uses the levels that occur
    assert round(stats.kappa(ANXIETY_2, ANXIETY_3, labels), 3) == 0.252


def test_the_bootstrap_formulas_give_the_libraries_values() -> None:
    domain = [1, 2, 3, 4, 5]
    counts = stats.value_counts(units_of(KRIPPENDORFF_2011), domain)
    pairable = counts[counts.sum(axis=1) >= 2]
    rng = np.random.default_rng(3)
    weights = np.vstack([np.ones(len(pairable)), rng.integers(0, 3, (20, len(pairable)))])
    for level in ("ordinal", "interval"):
        fast = stats.alphas_weighted(pairable, domain, level, weights)
        for w, value in zip(weights, fast, strict=True):
            repeated = np.repeat(pairable, w.astype(int), axis=0)
            slow = stats.alpha(repeated, domain, level) if len(repeated) else None
            if slow is None:
                assert not np.isfinite(value)
            else:
                assert value == pytest.approx(slow, abs=1e-9)
    labels = sorted(set(ANXIETY_2) | set(ANXIETY_3))
    weights = np.vstack([np.ones(20), rng.integers(0, 3, (20, 20))])
    fast = stats.kappas_weighted(ANXIETY_2, ANXIETY_3, labels, weights)
    for w, value in zip(weights, fast, strict=True):
        a = np.repeat(ANXIETY_2, w.astype(int))
        b = np.repeat(ANXIETY_3, w.astype(int))
        slow = stats.kappa(list(a), list(b), labels)
        assert (
            value == pytest.approx(slow, abs=1e-9) if slow is not None else not np.isfinite(value)
        )


def test_intervals_are_seeded_and_hold_the_estimate() -> None:
    domain = [1, 2, 3, 4, 5]
    counts = stats.value_counts(units_of(KRIPPENDORFF_2011), domain)
    first = stats.alpha_interval(counts, domain, "ordinal")
    assert first == stats.alpha_interval(counts, domain, "ordinal")
    assert first is not None and first.low <= 0.815 <= first.high
    labels = sorted(set(ANXIETY_2) | set(ANXIETY_3))
    ci = stats.kappa_interval(ANXIETY_2, ANXIETY_3, labels)
    assert ci == stats.kappa_interval(ANXIETY_2, ANXIETY_3, labels)
    assert ci is not None and ci.low < 0.252 < ci.high


# ---------------------------------------------------------------- from sessions


@dataclass
class FakeEntry:
    """What agreement reads of an index entry; every rating in ``extra``."""

    id: str
    meta: dict[str, Any]
    extra: list[list[Any]]
    framework: dict[str, str] = field(default_factory=lambda: {"id": "fw", "hash": "h"})
    error: str | None = None
    status: str = "completed"
    criteria: str = ""
    levels: dict[str, str] = field(default_factory=dict)


def entry(
    sid: str, group: str, observer: str, ratings: list[tuple[str, str, int | None]], **meta: Any
) -> FakeEntry:
    return FakeEntry(
        id=sid,
        meta={
            "calibration": group,
            "observer": {"id": observer, "name": observer.title()},
            "facilitators": [{"id": f, "name": f.title()} for f in {r[0] for r in ratings}],
            **meta,
        },
        extra=[list(r) for r in ratings],
    )


CATALOG = Catalog(
    levels={"fw": [1, 2, 3, 4, 5]}, titles={("fw", "A"): "Alpha", ("fw", "B"): "Beta"}
)


def figures_of(entries: list[FakeEntry], names: bool = False, **kw: Any) -> Any:
    return agreement(select(entries, Filters(), secret=SECRET), CATALOG, names, resamples=200, **kw)


def table_entries(table: list[list[int | None]], criterion: str = "A") -> list[FakeEntry]:
    """Observers x units: unit u is facilitator f<u> in group g<u>."""
    out = []
    for o, row in enumerate(table):
        for u, level in enumerate(row):  # None: the observer said "not observed"
            out.append(entry(f"s{o}-{u}", f"g{u}", f"obs-{o}", [(f"f{u}", criterion, level)]))
    return out


def test_sessions_give_krippendorffs_example() -> None:
    """Each unit a facilitator in a group of its own; a gap an observer's "not observed"."""
    crit = figures_of(table_entries(KRIPPENDORFF_2011)).criteria[0]
    assert crit.units == 11  # the last unit has one value only
    assert crit.single == 1 and crit.not_observed == 7
    assert round(crit.alpha_ordinal.value, 3) == 0.815
    assert round(crit.alpha_interval.value, 3) == 0.849
    assert crit.alpha_ordinal.interval is not None  # eleven units: an interval


def test_too_few_units_say_so() -> None:
    table = [[1, 2, 3], [1, 3, 3]]
    crit = figures_of(table_entries(table)).criteria[0]
    assert crit.units == 3 < MIN_UNITS
    assert crit.alpha_ordinal.value is None and crit.alpha_ordinal.note == TOO_FEW
    assert crit.exact == pytest.approx(2 / 3) and crit.within_one == 1.0
    assert crit.pairs[0].kappa.note == TOO_FEW


def test_lowest_agreement_first() -> None:
    rng = random.Random(1)
    good = [[rng.randint(1, 4) for _ in range(30)]]
    good.append(list(good[0]))
    bad = [good[0], [rng.randint(1, 4) for _ in range(30)]]
    entries = table_entries(good, "A") + [
        entry(f"b{o}-{u}", f"g{u}", f"obs-{o}", [(f"f{u}", "B", v)])
        for o, row in enumerate(bad)
        for u, v in enumerate(row)
    ]
    found = figures_of(entries)
    assert [c.criterion for c in found.criteria] == ["B", "A"]
    assert found.criteria[1].alpha_ordinal.value == pytest.approx(1.0)
    assert found.overall.units == 60


def test_sessions_alone_and_unfinished_partners_are_left_out() -> None:
    entries = table_entries([[1, 2, 3, 4, 1, 2], [1, 2, 3, 4, 2, 2]])
    entries.append(entry("alone", "", "obs-9", [("f1", "A", 2)]))
    entries.append(entry("half", "lonely", "obs-9", [("f1", "A", 2)]))
    busy = entry("busy", "g0", "obs-7", [("f0", "A", 4)])
    busy.status = "in_progress"
    found = figures_of([*entries, busy])
    assert found.alone == 1 and found.unpartnered == 1
    assert found.overall.units == 6 and found.sessions == 12


levels = st.integers(1, 4)


@st.composite
def rated_tables(draw: Any, perfect: bool = False) -> list[list[int | None]]:
    n_units = draw(st.integers(MIN_UNITS, 25))
    n_obs = draw(st.integers(2, 4))
    truth = draw(st.lists(levels, min_size=n_units, max_size=n_units))
    if perfect and len(set(truth)) < 2:
        truth[0] = 1 if truth[0] != 1 else 2
    table = []
    for _ in range(n_obs):
        row = [t if perfect else draw(st.one_of(st.just(t), levels, st.none())) for t in truth]
        table.append(row)
    for u in range(n_units):  # the first two observers always rate: every unit is pairable
        table[0][u] = table[0][u] or truth[u]
        table[1][u] = table[1][u] or truth[u]
    return table


@settings(max_examples=25, deadline=None)
@given(rated_tables(perfect=True))
def test_perfect_agreement_gives_alpha_one(table: list[list[int | None]]) -> None:
    found = figures_of(table_entries(table))
    crit = found.criteria[0]
    assert crit.alpha_ordinal.value == pytest.approx(1.0)
    assert crit.alpha_interval.value == pytest.approx(1.0)
    assert crit.exact == 1.0 and crit.within_one == 1.0
    assert all(p.kappa.value in (None, pytest.approx(1.0)) for p in crit.pairs)


@settings(max_examples=25, deadline=None)
@given(rated_tables(), st.randoms(use_true_random=False))
def test_permuting_observers_changes_nothing(table: list[list[int | None]], rnd: Any) -> None:
    shuffled = table[:]
    rnd.shuffle(shuffled)
    # And each observer under another name: who is who does not enter the figures.
    before = figures_of(table_entries(table), names=True)
    after = figures_of(table_entries(shuffled), names=True)
    for a, b in zip(
        [before.overall, *before.criteria], [after.overall, *after.criteria], strict=True
    ):
        assert a.units == b.units and a.exact == b.exact and a.within_one == b.within_one
        assert a.alpha_ordinal == b.alpha_ordinal and a.alpha_interval == b.alpha_interval

    def kappas(f: Any) -> list[tuple[int, float]]:  # pairs are named apart: compare values
        return sorted((p.units, round(p.kappa.value or 0, 9)) for p in f.overall.pairs)

    assert kappas(before) == kappas(after)


@settings(max_examples=25, deadline=None)
@given(rated_tables())
def test_not_observed_is_missing_never_a_category(table: list[list[int | None]]) -> None:
    """A third observer saying "not observed" leaves every figure as it was."""
    two = [table[0], table[1]]
    before = figures_of(table_entries(two)).criteria[0]
    extra = [None for _ in table[0]]
    after_found = figures_of(table_entries([*two, extra]))
    after = after_found.criteria[0]
    assert after.not_observed == len(table[0])
    assert (after.units, after.exact, after.within_one) == (
        before.units,
        before.exact,
        before.within_one,
    )
    assert after.alpha_ordinal == before.alpha_ordinal
    assert after.alpha_interval == before.alpha_interval
