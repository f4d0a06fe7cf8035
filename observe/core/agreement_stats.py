"""The agreement statistics on plain arrays: Krippendorff's alpha, weighted kappa, bootstraps.

Point estimates come from the libraries (``krippendorff.alpha``; scikit-learn's
``cohen_kappa_score`` with quadratic weights). A bootstrap needs a thousand of each, which one
call at a time is seconds per criterion; so the resampled values are worked out for all
resamples at once from the same formulas (coincidence matrices for alpha, confusion matrices
for kappa), and the tests check them against the libraries.

The bootstrap resamples units (the thing rated), with a seeded generator: the same data give
the same interval on every run and machine. The interval is the 2.5th to 97.5th percentile of
the resampled values that are defined.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Level = Literal["ordinal", "interval"]
RESAMPLES = 1000
SEED = 2011  # any fixed number: intervals are reproducible, not tuned


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def value_counts(units: Sequence[Sequence[int]], domain: Sequence[int]) -> np.ndarray:
    """Units x values: how many observers gave each value of ``domain`` to each unit."""
    index = {v: i for i, v in enumerate(domain)}
    counts = np.zeros((len(units), len(domain)), dtype=np.float64)
    for u, values in enumerate(units):
        for v in values:
            counts[u, index[v]] += 1
    return counts


def alpha(counts: np.ndarray, domain: Sequence[int], level: Level) -> float | None:
    """Krippendorff's alpha from ``value_counts``; None where it is undefined (no variation)."""
    import krippendorff

    pairable = counts[counts.sum(axis=1) >= 2]
    if len(domain) < 2 or len(pairable) == 0:
        return None
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(
            krippendorff.alpha(
                value_counts=pairable, value_domain=list(domain), level_of_measurement=level
            )
        )
    return value if np.isfinite(value) else None


def _unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Each pairable unit's contribution to the coincidence matrix, flattened: N x V*V."""
    m = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    outer -= counts[:, :, None] * np.eye(counts.shape[1])[None, :, :]
    return (outer / (m - 1)[:, None, None]).reshape(len(counts), -1)


def _distances(n_v: np.ndarray, domain: np.ndarray, level: Level) -> np.ndarray:
    """B x V x V distances; the ordinal ones depend on each resample's marginals ``n_v``."""
    if level == "interval":
        d = (domain[:, None] - domain[None, :]) ** 2
        return np.broadcast_to(d, (n_v.shape[0], *d.shape))
    cum = np.cumsum(n_v, axis=1)
    lo = np.minimum.outer(np.arange(len(domain)), np.arange(len(domain)))
    hi = np.maximum.outer(np.arange(len(domain)), np.arange(len(domain)))
    between = cum[:, hi] - cum[:, lo] + n_v[:, lo]  # n_lo + ... + n_hi
    return (between - (n_v[:, lo] + n_v[:, hi]) / 2) ** 2


def alphas_weighted(
    counts: np.ndarray, domain: Sequence[int], level: Level, weights: np.ndarray
) -> np.ndarray:
    """Alpha of each resample: ``weights`` (B x units) says how often each unit was drawn.

    Units must all be pairable (two values or more). NaN where a resample has no variation.
    """
    v = len(domain)
    o = (weights @ _unit_coincidences(counts)).reshape(len(weights), v, v)
    n_v = o.sum(axis=1)
    n = n_v.sum(axis=1)
    e = n_v[:, :, None] * n_v[:, None, :] - n_v[:, :, None] * np.eye(v)[None]
    with np.errstate(divide="ignore", invalid="ignore"):
        e = e / (n - 1)[:, None, None]
        d = _distances(n_v, np.asarray(domain, dtype=np.float64), level)
        return 1 - (o * d).sum(axis=(1, 2)) / (e * d).sum(axis=(1, 2))


def resample_weights(units: int, resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """B x units: how many times each unit is drawn in each bootstrap resample."""
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, units, size=(resamples, units))
    flat = (drawn + units * np.arange(resamples)[:, None]).ravel()  # one count per cell
    counts = np.bincount(flat, minlength=resamples * units)
    return counts.reshape(resamples, units).astype(np.float64)


def percentile_interval(values: np.ndarray) -> Interval | None:
    defined = values[np.isfinite(values)]
    if len(defined) < len(values) / 2:  # most resamples say nothing: neither does the interval
        return None
    low, high = np.percentile(defined, [2.5, 97.5])
    return Interval(float(low), float(high))


def alpha_interval(
    counts: np.ndarray, domain: Sequence[int], level: Level, resamples: int = RESAMPLES
) -> Interval | None:
    pairable = counts[counts.sum(axis=1) >= 2]
    weights = resample_weights(len(pairable), resamples)
    return percentile_interval(alphas_weighted(pairable, domain, level, weights))


# ---------------------------------------------------------------- weighted kappa


def kappa(first: Sequence[int], second: Sequence[int], labels: Sequence[int]) -> float | None:
    """Cohen's kappa with quadratic weights (scikit-learn); None where undefined."""
    from sklearn.metrics import cohen_kappa_score

    if len(first) == 0:
        return None
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore")  # 0/0 when both observers used one level throughout
        value = float(
            cohen_kappa_score(list(first), list(second), labels=list(labels), weights="quadratic")
        )
    return value if np.isfinite(value) else None


def kappas_weighted(
    first: Sequence[int], second: Sequence[int], labels: Sequence[int], weights: np.ndarray
) -> np.ndarray:
    """Quadratic-weighted kappa of each resample (B x units ``weights``); NaN where undefined.

    The labels' positions are the levels' distances, as scikit-learn counts them.
    """
    index = {v: i for i, v in enumerate(labels)}
    k = len(labels)
    cells = np.array([index[a] * k + index[b] for a, b in zip(first, second, strict=True)])
    onehot = np.zeros((len(cells), k * k))
    onehot[np.arange(len(cells)), cells] = 1
    o = (weights @ onehot).reshape(len(weights), k, k)
    n = o.sum(axis=(1, 2))
    expected = o.sum(axis=2)[:, :, None] * o.sum(axis=1)[:, None, :] / n[:, None, None]
    w = (np.arange(k)[:, None] - np.arange(k)[None, :]) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (o * w).sum(axis=(1, 2)) / (expected * w).sum(axis=(1, 2))


def kappa_interval(
    first: Sequence[int], second: Sequence[int], labels: Sequence[int], resamples: int = RESAMPLES
) -> Interval | None:
    weights = resample_weights(len(first), resamples)
    return percentile_interval(kappas_weighted(first, second, labels, weights))
