"""The NumPy and Numba customer models of bench/customer_model.py agree with the engine (issue 8): on
bench/customer_step.toml at 5,000 customers, 20 quarters and 8 replicates each, every implementation's
replicate means match fulcrum's quarter by quarter within what the replicates' standard errors allow,
and a model that differs (imitation doubled) fails the same comparison.

The random numbers differ between the three (they cannot be shared), so the comparison is statistical.
FULCRUM_AGREEMENT_SEED changes every seed of the comparison, the engine's graph included."""
import os
import pathlib
import subprocess
import sys

import h5py
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import customer_model  # noqa: E402 -- bench/ is not a package

BINARY = os.environ.get("FULCRUM_BINARY", str(ROOT / "build" / "fulcrum"))
SEED = int(os.environ.get("FULCRUM_AGREEMENT_SEED", "20261125"))
POPULATION, QUARTERS, REPLICATES = 5000, 20, 8

# Standard errors allowed between replicate means. Each side's standard error is itself estimated from 8
# replicates (Student t, about 14 degrees of freedom) and there are 80 comparisons per implementation
# (4 metrics x 20 quarters), so the usual 4 is too tight: in 20,000 pairings of 1,000 independent
# 8-replicate Numba ensembles, the comparison below (slack included) failed 1.3% of the time with 4,
# 0.26% with 5 and 0.04% with 6. The replicates themselves are close to normal (no excess kurtosis).
Z = 6.0

# Metric -> (per customer of the population?, absolute slack). The slack covers what the standard errors
# cannot: the engine runs all its replicates on one graph (network.seed), so that graph's own effect is a
# bias of the engine's mean, while the Python models draw a graph per replicate. Measured with 40 graphs x
# 16 Numba replicates, the spread of the graph means beyond replicate noise was at most 0.001 (active per
# customer), 0.0025 (units per customer), 0.002 (satisfaction) and 0.0006 (trust); the slack is about twice
# that, a fraction of one 8-replicate standard error (0.004, 0.012, 0.02, 0.003 at their largest).
METRICS = {
    "customers_active": (True, 0.002),
    "satisfaction_mean": (False, 0.005),
    "trust_mean": (False, 0.001),
    "units_sold": (True, 0.005),
}


def discrepancies(engine, model):
    """Per metric, the largest over quarters of |difference of the replicate means| / tolerance, where
    tolerance = Z * (combined standard error) + slack: above 1 is a disagreement. Also the largest
    |difference| / combined standard error (where it is not 0), for reports."""
    normalised, in_standard_errors = {}, {}
    for name, (per_customer, slack) in METRICS.items():
        scale = POPULATION if per_customer else 1.0
        a, b = engine[name] / scale, model[name] / scale  # (replicate, quarter)
        difference = np.abs(a.mean(axis=0) - b.mean(axis=0))
        error = np.sqrt(a.var(axis=0, ddof=1) / len(a) + b.var(axis=0, ddof=1) / len(b))
        normalised[name] = float(np.max(difference / (Z * error + slack)))
        in_standard_errors[name] = float(np.max(difference[error > 0] / error[error > 0]))
    return normalised, in_standard_errors


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """Fulcrum's replicates, and the parameters it resolved for them (the Python models use the same)."""
    output = tmp_path_factory.mktemp("agreement") / "engine.h5"
    subprocess.run([BINARY, "run", str(ROOT / "bench" / "customer_step.toml"),
                    "--set", f"market.population={POPULATION}", "--set", f"simulation.quarters={QUARTERS}",
                    "--set", f"network.seed={SEED % 1_000_003}", "--replicates", str(REPLICATES),
                    "--seed", str(SEED), "--quiet", "-o", str(output)], check=True)
    with h5py.File(output, "r") as results:
        series = {name: results["series"][name][0, :, :, 0] for name in
                  [*METRICS, "value_delivered", "promise", "price", "bankrupt"]}
    return customer_model.parameters_from(output), series


def run_model(simulate, params, stream):
    """REPLICATES runs of a Python implementation, each on its own graph; `stream` keeps the seeds of
    different ensembles apart. Returns metric -> (replicate, quarter)."""
    runs = {name: np.empty((REPLICATES, QUARTERS + 1)) for name in METRICS}
    for replicate, seed in enumerate(np.random.SeedSequence([SEED, stream]).generate_state(REPLICATES)):
        graph_rng = np.random.default_rng([seed, 1])  # apart from the simulation's default_rng(seed)
        offsets, neighbours = customer_model.watts_strogatz(POPULATION, int(params["network.mean_degree"]),
                                                            params["network.rewiring"], graph_rng)
        series = simulate(params, offsets, neighbours, QUARTERS, int(seed))
        for name in METRICS:
            runs[name][replicate] = series[name]
    return runs


def test_the_engine_holds_the_offer_still(engine):
    # The Python models take value, promise and price as constants: the scenario must keep them so.
    params, series = engine
    assert np.all(series["value_delivered"] == params["firm.value_delivered"])
    assert np.all(series["promise"] == params["firm.promise"])
    assert np.all(series["price"] == params["firm.price"])
    assert not series["bankrupt"].any()


@pytest.mark.parametrize("name, stream", [("numpy", 1), ("numba", 2)])
def test_the_python_models_agree_with_the_engine(engine, name, stream):
    params, series = engine
    model = run_model(customer_model.IMPLEMENTATIONS[name], params, stream)
    normalised, in_standard_errors = discrepancies(series, model)
    print(f"{name}: largest |difference| / tolerance {normalised}, / standard error {in_standard_errors}")
    assert max(normalised.values()) <= 1.0, f"{name} disagrees with the engine: {normalised}"


def test_the_comparison_fails_a_model_that_differs(engine):
    # Negative control: twice the imitation is a different model, and the comparison must say so.
    params, series = engine
    doubled = dict(params, **{"adoption.imitation": 2 * params["adoption.imitation"]})
    normalised, _ = discrepancies(series, run_model(customer_model.simulate_numpy, doubled, 3))
    print(f"imitation doubled: largest |difference| / tolerance {normalised}")
    assert max(normalised.values()) > 1.0, f"imitation doubled went unnoticed: {normalised}"


def test_numpy_and_numba_are_the_same_model_bit_for_bit_without_chance(engine):
    # With no adoption and no churn, only word of mouth and the customers' quarters remain: deterministic
    # from the shared initial state, so the two kernels must agree exactly (the same double arithmetic in
    # the same order; float32 stores). A price float32 cannot hold makes the price burden non-zero.
    params, _ = engine
    still = dict(params, **{"adoption.innovation": 0.0, "adoption.imitation": 0.0, "customers.life_event_rate": 0.0,
                            "churn.propensity_distribution": "fixed", "churn.fixed_propensity": 0.0,
                            "firm.initial_active_share": 0.4, "firm.price": 19.99})
    offsets, neighbours = customer_model.watts_strogatz(3000, 10, 0.1, np.random.default_rng(SEED))
    numpy_run = customer_model.simulate_numpy(still, offsets, neighbours, 12, SEED)
    numba_run = customer_model.simulate_numba(still, offsets, neighbours, 12, SEED)
    assert numpy_run["promoters"][-1] > 0 and numpy_run["detractors"][-1] > 0  # word of mouth has something to say
    for name in customer_model.SERIES:
        np.testing.assert_array_equal(numpy_run[name], numba_run[name], err_msg=name)


def test_neighbour_means_give_isolated_vertices_nothing():
    # Vertices 0 and 4 have no neighbours: np.add.reduceat alone would give the first a neighbour's value
    # and fail on the last.
    offsets = np.array([0, 0, 2, 4, 6, 6], dtype=np.int64)
    neighbours = np.array([2, 3, 1, 3, 1, 2], dtype=np.int32)
    values = np.array([9, 1, 2, 4, 9], dtype=np.float32)
    expected = [0.0, 3.0, 2.5, 1.5, 0.0]
    assert customer_model.neighbour_mean(offsets, neighbours, values).tolist() == expected
    assert [customer_model._neighbour_mean_nb(offsets, neighbours, values, i) for i in range(5)] == expected


def test_the_watts_strogatz_graph_is_simple_and_symmetric():
    offsets, neighbours = customer_model.watts_strogatz(2000, 10, 0.1, np.random.default_rng(SEED))
    source = np.repeat(np.arange(2000), np.diff(offsets))
    edges = set(zip(source.tolist(), neighbours.tolist()))
    assert len(edges) == neighbours.size  # no duplicates
    assert not np.any(source == neighbours)  # no self-loops
    assert all((b, a) in edges for a, b in edges)
    assert abs(neighbours.size / 2000 - 10) < 0.01
