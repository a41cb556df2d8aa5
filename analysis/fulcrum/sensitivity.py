"""Variance-based sensitivity: Saltelli's design and Sobol indices with bootstrap intervals.

First-order indices use Saltelli et al. (2010)'s estimator, total indices Jansen's (1999); both from
f(A), f(B) and f(A_B^i), where A_B^i is A with column i taken from B (Saltelli et al. 2010, Table 2).
"""
import numpy as np
import pandas as pd


def saltelli_design(bounds, n, seed=0):
    """Sample matrices for `bounds` ({name: (low, high)}): returns (names, A, B, AB) with A and B of shape
    [n, k] from a scrambled Sobol sequence and AB of shape [k, n, k] (AB[i] = A with column i from B).
    The model is evaluated n * (k + 2) times."""
    from scipy.stats import qmc

    names = list(bounds)
    k = len(names)
    sampler = qmc.Sobol(d=2 * k, scramble=True, seed=seed)
    base = sampler.random(n)
    low = np.array([bounds[name][0] for name in names], dtype=float)
    high = np.array([bounds[name][1] for name in names], dtype=float)
    a = low + base[:, :k] * (high - low)
    b = low + base[:, k:] * (high - low)
    ab = np.repeat(a[None, :, :], k, axis=0)
    for i in range(k):
        ab[i, :, i] = b[:, i]
    return names, a, b, ab


def _indices(fa, fb, fab):
    variance = np.var(np.concatenate([fa, fb]), ddof=1)
    first = np.array([np.mean(fb * (fab[i] - fa)) for i in range(len(fab))]) / variance
    total = np.array([0.5 * np.mean((fa - fab[i]) ** 2) for i in range(len(fab))]) / variance
    return first, total


def sobol_indices(names, fa, fb, fab, bootstrap=500, confidence=0.9, seed=0):
    """First-order and total Sobol indices with bootstrap intervals, one row per parameter."""
    fa, fb, fab = np.asarray(fa, float), np.asarray(fb, float), np.asarray(fab, float)
    first, total = _indices(fa, fb, fab)
    rng = np.random.default_rng(seed)
    n = len(fa)
    draws_first, draws_total = [], []
    for _ in range(bootstrap):
        pick = rng.integers(0, n, n)
        f, t = _indices(fa[pick], fb[pick], fab[:, pick])
        draws_first.append(f)
        draws_total.append(t)
    low, high = (1 - confidence) / 2, 1 - (1 - confidence) / 2
    draws_first, draws_total = np.array(draws_first), np.array(draws_total)
    return pd.DataFrame({
        "parameter": names,
        "first_order": first,
        "first_order_low": np.quantile(draws_first, low, axis=0),
        "first_order_high": np.quantile(draws_first, high, axis=0),
        "total": total,
        "total_low": np.quantile(draws_total, low, axis=0),
        "total_high": np.quantile(draws_total, high, axis=0),
    })


def ishigami(x, a=7.0, b=0.1):
    """The Ishigami function on [-pi, pi]^3 (Ishigami & Homma 1990): the standard sensitivity benchmark."""
    x = np.asarray(x, float)
    return np.sin(x[..., 0]) + a * np.sin(x[..., 1]) ** 2 + b * x[..., 2] ** 4 * np.sin(x[..., 0])


def ishigami_indices(a=7.0, b=0.1):
    """Its known first-order and total indices (Sobol & Levitan 1999), as (first, total) arrays."""
    variance = a ** 2 / 8 + b * np.pi ** 4 / 5 + b ** 2 * np.pi ** 8 / 18 + 0.5
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    first = np.array([v1, v2, 0.0]) / variance
    total = np.array([v1 + v13, v2, v13]) / variance
    return first, total


def sensitivity(sweep, metric, reduce=None, bootstrap=500, seed=0):
    """Sobol indices of `metric` from a sweep run with `design = "saltelli"` (fulcrum sweep): points are
    [A; B; AB_1; ...; AB_k]. `reduce` turns a point's DataArray [replicate, quarter, firm] into one
    number; by default the mean over replicates of the focal firm's value summed over quarters."""
    import json

    if sweep.attrs.get("design_kind") != "saltelli":
        raise ValueError("sensitivity() needs a sweep with design = \"saltelli\"")
    names = json.loads(sweep.attrs["design_parameters"])
    k = len(names)
    n = sweep.sizes["point"] // (k + 2)
    reduce = reduce or (lambda da: float(da.isel(firm=0).sum("quarter").mean("replicate")))
    outputs = np.array([reduce(sweep[metric].isel(point=p)) for p in range(sweep.sizes["point"])])
    fa, fb = outputs[:n], outputs[n:2 * n]
    fab = outputs[2 * n:].reshape(k, n)
    return sobol_indices(names, fa, fb, fab, bootstrap=bootstrap, seed=seed)
