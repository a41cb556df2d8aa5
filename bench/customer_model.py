"""The customer model of bench/customer_step.toml written the way a researcher would otherwise write it:
once vectorised with NumPy and once as Numba loops, to be benchmarked against the C++ engine (issue 8)
and checked against it statistically (tests/analysis/test_bench_agreement.py).

    /usr/bin/python3 bench/customer_model.py --impl numpy|numba --population N --quarters Q --seed S \
        [--parameters run.h5]

prints one JSON line of timings. Parameters are the engine's resolved ones, read from the
`parameters_json` attribute of a fulcrum result file: --parameters names one; without it a tiny fulcrum
run of bench/customer_step.toml is made to get them (binary: FULCRUM_BINARY or build/fulcrum), so the
Python model never carries defaults of its own that could drift from the engine's.

What is re-implemented is the engine's customer step for one firm, one segment, no issues and a firm
whose offer (value delivered, promise, price) never moves; constants_from() refuses any scenario outside
that subset. A quarter follows sim/simulation.cpp: churn, then adoption in sub-steps (what prospects hear
recomputed before each), then perception (what customers hear computed once, after adoption), then the
census. State is float32 as in sim/customer_state.hpp, arithmetic double. Random numbers are NumPy's and
Numba's own: only the statistics can agree with the engine, not the trajectories.

The model's formulas are written once, as element-wise functions of NumPy arrays that Numba also compiles
for scalars (which is why they branch with arithmetic on booleans and np.minimum rather than `if` or
np.where: Numba 0.56 makes np.where on scalars fifty times slower than arithmetic). The two
implementations differ only in their kernels: whole-array passes with index arrays for NumPy, explicit
loops over customers and CSR rows for Numba.
"""
import argparse
import collections
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import h5py
import numba
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "bench" / "customer_step.toml"

# sim/customer_state.hpp's status codes.
PROSPECT, ACTIVE, LAPSED = 0, 1, 2

SERIES = ("customers_active", "satisfaction_mean", "trust_mean", "expectation_mean", "units_sold", "promoters",
          "detractors", "acquired", "churned")


# --- Parameters ---------------------------------------------------------------------------------------

def parameters_from(h5_path):
    """The resolved parameters (flat "section.name" -> value) of a fulcrum result file."""
    with h5py.File(h5_path, "r") as results:
        return json.loads(results.attrs["parameters_json"])


def scenario_parameters(scenario=SCENARIO, binary=None):
    """The resolved parameters of a scenario, from a tiny fulcrum run (the engine is the authority on
    defaults). The population it is run at is irrelevant: callers choose their own."""
    binary = binary or os.environ.get("FULCRUM_BINARY", str(ROOT / "build" / "fulcrum"))
    with tempfile.TemporaryDirectory() as folder:
        output = pathlib.Path(folder) / "parameters.h5"
        subprocess.run([binary, "run", str(scenario), "--set", "market.population=100",
                        "--set", "simulation.quarters=1", "--replicates", "1", "--quiet", "-o", str(output)],
                       check=True, capture_output=True)
        return parameters_from(output)


# Everything the customer step needs, as plain numbers: a namedtuple, because Numba passes one to compiled
# functions by value with named fields.
Constants = collections.namedtuple("Constants", [
    "substeps", "dt", "innovation", "imitation",
    "life_event_rate", "life_event_lapse", "satisfaction_sensitivity", "trust_sensitivity", "lock_in",
    "satisfaction_baseline", "trust_initial", "spend_per_quarter", "price_sensitivity",
    "expectation_to_promise", "expectation_to_experience", "satisfaction_gap_gain", "satisfaction_adaptation",
    "trust_rate", "trust_asymmetry", "reference_price_adaptation", "wallet_growth", "wallet_low", "wallet_high",
    "promoter_voice", "detractor_voice", "lapsed_voice", "satisfaction_influence",
    "value_delivered", "promise", "price",
])


def constants_from(params):
    """The Constants of a flat parameter dict, after checking that the scenario stays inside what this
    re-implementation covers (ValueError naming what does not)."""
    p = params
    unsupported = [key for key in p if key.startswith(("segments.", "competitors."))]
    still = {"pricing.kind": "constant", "pricing.network_effect": 0.0, "effects.obsolescence": 0.0,
             "departments.product_innovation": 0.0, "departments.retention_incentive": 0.0,
             "issues.rate_per_root_cause": 0.0, "interventions.detractor_recovery": 0.0,
             "interventions.passive_delight": 0.0, "investor.kind": "none", "policy.kind": "fixed_shares",
             "network.kind": "watts_strogatz"}
    unsupported += [f"{key}={p.get(key)!r} (needs {value!r})" for key, value in still.items() if p.get(key) != value]
    if not p["firm.price"] > 0:
        # With a constant positive price the reference price is always positive: no free-product branch.
        unsupported.append("firm.price <= 0")
    if unsupported:
        raise ValueError("outside the customer model re-implemented here: " + ", ".join(unsupported))
    substeps = int(p["simulation.substeps"])
    constants = Constants(
        substeps=substeps,
        dt=1.0 / substeps,
        # Budgets equal the plan (fixed shares, no investor cuts), so budget multipliers are 1.
        innovation=p["adoption.innovation"],
        imitation=p["adoption.imitation"],
        life_event_rate=p["customers.life_event_rate"],
        life_event_lapse=p["customers.life_event_rate"] * p["customers.life_event_churn_share"],
        satisfaction_sensitivity=p["churn.satisfaction_sensitivity"],
        trust_sensitivity=p["churn.trust_sensitivity"],
        # Lock-in: leaving costs the switching cost (the network value is 0 without network effects).
        lock_in=float(np.exp(-p["churn.switching_cost_sensitivity"] * p["customers.switching_cost"])),
        satisfaction_baseline=p["customers.satisfaction_baseline"],
        trust_initial=p["customers.trust_initial"],
        spend_per_quarter=p["customers.spend_per_quarter"],
        price_sensitivity=p["customers.price_sensitivity"],
        expectation_to_promise=p["customers.expectation_to_promise"],
        expectation_to_experience=p["customers.expectation_to_experience"],
        satisfaction_gap_gain=p["customers.satisfaction_gap_gain"],
        satisfaction_adaptation=p["customers.satisfaction_adaptation"],
        trust_rate=p["customers.trust_rate"],
        trust_asymmetry=p["customers.trust_asymmetry"],
        reference_price_adaptation=p["customers.reference_price_adaptation"],
        wallet_growth=p["customers.wallet_growth"],
        wallet_low=p["customers.wallet_floor"] * p["customers.spend_per_quarter"],
        wallet_high=p["customers.wallet_cap"] * p["customers.spend_per_quarter"],
        promoter_voice=p["word_of_mouth.positive_reach"] * p["word_of_mouth.positive_weight"],
        detractor_voice=-p["word_of_mouth.negative_reach"] * p["word_of_mouth.negative_weight"],
        lapsed_voice=p["word_of_mouth.lapsed_voice"],
        satisfaction_influence=p["word_of_mouth.satisfaction_influence"],
        value_delivered=p["firm.value_delivered"],
        promise=p["firm.promise"],
        price=p["firm.price"],
    )
    # Numba compiles for the field types: floats throughout, whatever a caller's dict holds (0 or 0.0).
    return constants._replace(**{field: float(value) for field, value in constants._asdict().items()
                                 if field != "substeps"})


# --- Network ------------------------------------------------------------------------------------------

def watts_strogatz(n, k, beta, rng):
    """Watts-Strogatz graph as symmetric CSR (offsets int64, neighbours int32), built without a loop over
    vertices and without sorting all edges: 10^7 vertices of degree 10 take about 5 s and peak at
    1.3 GB, 2.6 times the result.

    As in Boost's small_world_iterator (which the engine uses): the ring links each vertex to the k/2
    next ones; each of these edges keeps its source and, with probability beta, gets a target drawn
    uniformly outside the source's ring window (so no self-loops); duplicate rewired edges are dropped.
    A rewired edge can never duplicate a ring edge (its ends are further apart than k/2), so only the
    few rewired edges need de-duplicating, and the ring part of every row can be laid out column by
    column. Rows are not sorted: the model only sums over them."""
    half = k // 2
    if n <= 2 * half + 1:
        raise ValueError(f"a Watts-Strogatz graph of degree {k} needs more than {2 * half + 1} vertices, not {n}")
    # rewired[j - 1, v]: the ring edge (v, v + j) was rewired.
    rewired = np.empty((half, n), dtype=bool)
    for j in range(half):
        rewired[j] = rng.random(n) < beta
    sources = np.flatnonzero(rewired.ravel()) % n
    targets = (sources + half + 1 + rng.integers(0, n - 2 * half - 1, size=sources.size)) % n
    edge = np.unique(np.minimum(sources, targets) * n + np.maximum(sources, targets))
    del sources, targets
    # Rewired edges in both directions, grouped by their first end.
    first = np.concatenate([edge // n, edge % n])
    second = np.concatenate([edge % n, edge // n])
    del edge
    order = np.argsort(first, kind="stable")
    first, second = first[order], second[order]
    del order
    rewired_degree = np.bincount(first, minlength=n)

    degree = rewired_degree.copy()
    for kept, _ in _ring_columns(rewired):
        degree += kept
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(degree, out=offsets[1:])
    del degree
    neighbours = np.empty(offsets[-1], dtype=np.int32)
    cursor = offsets[:-1].copy()  # where each row's next neighbour goes
    vertex = np.arange(n, dtype=np.int64)
    for kept, shift in _ring_columns(rewired):
        neighbour = vertex + shift
        neighbour %= n
        neighbours[cursor[kept]] = neighbour[kept]
        cursor += kept
    del vertex, rewired
    # Rewired ends after the ring ones, each at its rank within the group of equal first ends.
    group_start = np.cumsum(rewired_degree) - rewired_degree
    rank = np.arange(first.size, dtype=np.int64) - group_start[first]
    neighbours[cursor[first] + rank] = second
    return offsets, neighbours


def _ring_columns(rewired):
    """For each j, which vertices v keep the ring edge out to v + j (unless v rewired it) and which keep
    the one in from v - j (unless v - j rewired it), with the shift j or -j."""
    for j in range(1, rewired.shape[0] + 1):
        kept = ~rewired[j - 1]
        yield kept, j
        yield np.roll(kept, j), -j


# --- The model's formulas: element-wise, for NumPy arrays (float64) and for Numba scalars --------------

def leaves(life_draw, churn_draw, base_propensity, satisfaction, trust, c):
    """Whether an active customer lapses this quarter (models/churn.cpp). A life event that does not end
    the relationship leaves the customer to the ordinary hazard; with no rival to switch to, every churner
    lapses (the logit choice between doing without and nothing)."""
    exponent = c.satisfaction_sensitivity * (c.satisfaction_baseline - satisfaction) + \
        c.trust_sensitivity * (c.trust_initial - trust)
    hazard = np.minimum(1.0, base_propensity * np.exp(exponent)) * c.lock_in
    return (life_draw < c.life_event_lapse) | (churn_draw < hazard)


def adoption_probability(heard, c):
    """Probability that a prospect hearing `heard` adopts within a sub-step (models/adoption.cpp, one firm:
    its logit share is 1)."""
    return -np.expm1(-(c.innovation + c.imitation * np.maximum(0.0, heard)) * c.dt)


def voice(status, satisfaction, c):
    """What a customer says to prospects (exposure + sentiment) and to customers (sentiment), as float32
    like the engine's scratch columns (models/word_of_mouth.cpp). The NPS score is satisfaction rounded half
    away from zero (std::round; satisfaction is never negative), not NumPy's round-half-to-even."""
    score = np.floor(satisfaction + 0.5)
    sentiment = c.promoter_voice * (score >= 9.0) + c.detractor_voice * (score <= 6.0)
    active = 1.0 * (status == ACTIVE)
    to_customers = np.float32(sentiment * (active + c.lapsed_voice * (status == LAPSED)))
    return np.float32(active) + to_customers, to_customers


def live_quarter(value_fit, expectation, satisfaction, trust, reference_price, spend, heard, c):
    """An active customer's quarter with the firm's offer (models/perception.cpp with no issues): returns
    the new expectation, satisfaction, trust, reference price and spend. Every update reads the values held
    before it (the surprise is against the expectation held before the experience); spend grows with the
    new satisfaction."""
    experience = c.value_delivered + value_fit - c.price_sensitivity * (c.price / reference_price - 1.0)
    surprise = experience - expectation
    target = c.satisfaction_baseline + c.satisfaction_gap_gain * surprise + c.satisfaction_influence * heard
    target = np.minimum(np.maximum(target, 0.0), 10.0)
    new_satisfaction = satisfaction + c.satisfaction_adaptation * (target - satisfaction)
    # Loss aversion: a negative surprise costs trust_asymmetry times what a positive one earns.
    weight = 1.0 + (c.trust_asymmetry - 1.0) * (surprise < 0.0)
    new_trust = np.minimum(np.maximum(trust + c.trust_rate * weight * surprise, 0.0), 1.0)
    new_expectation = expectation + c.expectation_to_promise * (c.promise - expectation) + \
        c.expectation_to_experience * (experience - expectation)
    new_reference_price = reference_price + c.reference_price_adaptation * (c.price - reference_price)
    grown = spend * np.exp(c.wallet_growth * (new_satisfaction - c.satisfaction_baseline))
    new_spend = np.minimum(np.maximum(grown, c.wallet_low), c.wallet_high)
    return new_expectation, new_satisfaction, new_trust, new_reference_price, new_spend


def join(status, expectation, satisfaction, trust, reference_price, spend, who, c):
    """Makes `who` (an index or an index array) customers on the firm's joining terms (sim/world.cpp's
    joining_terms): expectation = promise, satisfaction = baseline, reference price = the price paid."""
    status[who] = ACTIVE
    expectation[who] = c.promise
    satisfaction[who] = c.satisfaction_baseline
    trust[who] = c.trust_initial
    reference_price[who] = c.price
    spend[who] = c.spend_per_quarter


leaves_nb = numba.njit(leaves)
adoption_probability_nb = numba.njit(adoption_probability)
voice_nb = numba.njit(voice)
live_quarter_nb = numba.njit(live_quarter)
join_nb = numba.njit(join)


# --- Shared set-up, census and driver ---------------------------------------------------------------------

def initial_state(params, n, rng):
    """Customers at quarter 0 (sim/world.cpp make_world): every one draws a base churn propensity and a
    value fit; each joins the firm with probability initial_active_share, wherever it sits on the graph."""
    p = params
    if p["churn.propensity_distribution"] == "beta":
        propensity = rng.beta(p["churn.propensity_alpha"], p["churn.propensity_beta"], size=n)
    else:
        propensity = np.full(n, p["churn.fixed_propensity"])
    state = {
        "status": np.full(n, PROSPECT, dtype=np.uint8),
        "base_propensity": propensity.astype(np.float32),
        "value_fit": (p["customers.value_fit_sd"] * rng.standard_normal(n)).astype(np.float32),
        "expectation": np.zeros(n, dtype=np.float32),
        "satisfaction": np.zeros(n, dtype=np.float32),
        "trust": np.zeros(n, dtype=np.float32),
        "reference_price": np.zeros(n, dtype=np.float32),
        "spend": np.zeros(n, dtype=np.float32),
    }
    joining = np.flatnonzero(rng.random(n) < p["firm.initial_active_share"])
    join(state["status"], state["expectation"], state["satisfaction"], state["trust"], state["reference_price"],
         state["spend"], joining, constants_from(p))
    return state


def census(state, series, quarter):
    """The engine's census (sim/census.cpp) of active customers into series[...][quarter]: sums in double
    over float32 state, NPS categories from float32 satisfaction; nothing is sold at quarter 0."""
    active = state["status"] == ACTIVE
    count = np.count_nonzero(active)
    total = {column: np.sum(state[column][active], dtype=np.float64)
             for column in ("satisfaction", "trust", "expectation", "spend")}
    score = np.floor(state["satisfaction"][active].astype(np.float64) + 0.5)
    series["customers_active"][quarter] = count
    for column in ("satisfaction", "trust", "expectation"):
        series[f"{column}_mean"][quarter] = total[column] / count if count else np.nan
    series["units_sold"][quarter] = total["spend"] if quarter > 0 else 0.0
    series["promoters"][quarter] = np.count_nonzero(score >= 9.0)
    series["detractors"][quarter] = np.count_nonzero(score <= 6.0)


def _simulate(step, params, offsets, neighbours, quarters, seed, timings):
    """Runs `step(state, c, offsets, neighbours, rng) -> (acquired, churned)` for `quarters` quarters from
    the initial state; returns the series, index 0 the initial state. Fills `timings` (if given) with
    initial_seconds (drawing the customers) and step_seconds (the quarters, census included)."""
    started = time.perf_counter()
    c = constants_from(params)
    rng = np.random.default_rng(seed)
    n = offsets.size - 1
    state = initial_state(params, n, rng)
    series = {name: np.zeros(quarters + 1) for name in SERIES}
    census(state, series, 0)
    stepping = time.perf_counter()
    for quarter in range(1, quarters + 1):
        series["acquired"][quarter], series["churned"][quarter] = step(state, c, offsets, neighbours, rng)
        census(state, series, quarter)
    if timings is not None:
        timings["initial_seconds"] = stepping - started
        timings["step_seconds"] = time.perf_counter() - stepping
    return series


# --- NumPy ----------------------------------------------------------------------------------------------

def neighbour_mean(offsets, neighbours, values):
    """Mean of float32 `values` over each vertex's neighbours, summed in double; 0 for a vertex without
    any. np.add.reduceat would give an isolated vertex its next neighbour's value (and fail on a trailing
    one), so it sums only the rows that have neighbours: empty rows between them add nothing."""
    degree = np.diff(offsets)
    has = degree > 0
    mean = np.zeros(offsets.size - 1)
    if neighbours.size:
        mean[has] = np.add.reduceat(values[neighbours], offsets[:-1][has], dtype=np.float64) / degree[has]
    return mean


def numpy_quarter(state, c, offsets, neighbours, rng):
    """One quarter, vectorised over customers: churn, adoption sub-steps, perception."""
    status, satisfaction = state["status"], state["satisfaction"]
    joining = (status, state["expectation"], satisfaction, state["trust"], state["reference_price"], state["spend"])

    def f64(column, who):
        # Float32 state, double arithmetic (NumPy would otherwise compute float32 arrays with Python floats
        # in float32).
        return state[column][who].astype(np.float64)

    active = np.flatnonzero(status == ACTIVE)
    gone = leaves(rng.random(active.size), rng.random(active.size), f64("base_propensity", active),
                  f64("satisfaction", active), f64("trust", active), c)
    status[active[gone]] = LAPSED
    churned = int(np.count_nonzero(gone))

    acquired = 0
    for _ in range(c.substeps):
        # Prospects hear everyone as they were at the start of the sub-step: adopters speak from the next.
        to_prospects, _ = voice(status, satisfaction.astype(np.float64), c)
        prospects = np.flatnonzero(status == PROSPECT)
        heard = neighbour_mean(offsets, neighbours, to_prospects)[prospects]
        adopters = prospects[rng.random(prospects.size) < adoption_probability(heard, c)]
        join(*joining, adopters, c)
        acquired += adopters.size

    _, to_customers = voice(status, satisfaction.astype(np.float64), c)
    active = np.flatnonzero(status == ACTIVE)
    heard = neighbour_mean(offsets, neighbours, to_customers)[active]
    updated = live_quarter(f64("value_fit", active), f64("expectation", active), f64("satisfaction", active),
                           f64("trust", active), f64("reference_price", active), f64("spend", active), heard, c)
    for column, value in zip(("expectation", "satisfaction", "trust", "reference_price", "spend"), updated):
        state[column][active] = value  # rounded to float32 on assignment
    return acquired, churned


def simulate_numpy(params, offsets, neighbours, quarters, seed, timings=None):
    """The customer model vectorised with NumPy; see _simulate for what it returns."""
    return _simulate(numpy_quarter, params, offsets, neighbours, quarters, seed, timings)


# --- Numba ----------------------------------------------------------------------------------------------

@numba.njit
def _seed_numba(seed):
    np.random.seed(seed)  # Numba's generator is its own, seeded only from compiled code


@numba.njit
def _neighbour_mean_nb(offsets, neighbours, values, i):
    begin, end = offsets[i], offsets[i + 1]
    if begin == end:
        return 0.0
    total = 0.0
    for e in range(begin, end):
        total += values[neighbours[e]]
    return total / (end - begin)


@numba.njit
def _voices_nb(status, satisfaction, c, to_prospects, to_customers):
    for i in range(status.size):
        to_prospects[i], to_customers[i] = voice_nb(status[i], np.float64(satisfaction[i]), c)


@numba.njit
def _numba_quarter(status, base_propensity, value_fit, expectation, satisfaction, trust, reference_price, spend,
                   offsets, neighbours, c):
    n = status.size
    to_prospects = np.empty(n, dtype=np.float32)  # what each customer says, refreshed before each use
    to_customers = np.empty(n, dtype=np.float32)
    churned = 0
    for i in range(n):
        if status[i] != ACTIVE:
            continue
        life_draw = np.random.random()
        churn_draw = np.random.random()
        if leaves_nb(life_draw, churn_draw, base_propensity[i], satisfaction[i], trust[i], c):
            status[i] = LAPSED
            churned += 1

    acquired = 0
    for _ in range(c.substeps):
        _voices_nb(status, satisfaction, c, to_prospects, to_customers)
        for i in range(n):
            if status[i] != PROSPECT:
                continue
            heard = _neighbour_mean_nb(offsets, neighbours, to_prospects, i)
            if np.random.random() < adoption_probability_nb(heard, c):
                join_nb(status, expectation, satisfaction, trust, reference_price, spend, i, c)
                acquired += 1

    _voices_nb(status, satisfaction, c, to_prospects, to_customers)
    for i in range(n):
        if status[i] != ACTIVE:
            continue
        heard = _neighbour_mean_nb(offsets, neighbours, to_customers, i)
        expectation[i], satisfaction[i], trust[i], reference_price[i], spend[i] = live_quarter_nb(
            value_fit[i], expectation[i], satisfaction[i], trust[i], reference_price[i], spend[i], heard, c)
    return acquired, churned


def numba_quarter(state, c, offsets, neighbours, rng):
    """One quarter as compiled loops; draws come from Numba's generator (seeded by simulate_numba)."""
    s = state
    return _numba_quarter(s["status"], s["base_propensity"], s["value_fit"], s["expectation"], s["satisfaction"],
                          s["trust"], s["reference_price"], s["spend"], offsets, neighbours, c)


def simulate_numba(params, offsets, neighbours, quarters, seed, timings=None):
    """The customer model as Numba loops (single-threaded); see _simulate for what it returns. The first
    call compiles: see compile_numba."""
    _seed_numba(seed % 2**32)
    return _simulate(numba_quarter, params, offsets, neighbours, quarters, seed, timings)


def compile_numba(params):
    """Compiles the Numba kernels on a tiny case; returns the seconds it took (milliseconds once compiled)."""
    started = time.perf_counter()
    offsets, neighbours = watts_strogatz(64, 4, 0.1, np.random.default_rng(0))
    simulate_numba(params, offsets, neighbours, 1, 0)
    return time.perf_counter() - started


IMPLEMENTATIONS = {"numpy": simulate_numpy, "numba": simulate_numba}


# --- Command line ---------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", choices=sorted(IMPLEMENTATIONS), required=True)
    parser.add_argument("--population", type=int, required=True)
    parser.add_argument("--quarters", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parameters", help="fulcrum result file whose parameters_json to use "
                                             "(default: a tiny fulcrum run of bench/customer_step.toml)")
    arguments = parser.parse_args(argv)
    params = parameters_from(arguments.parameters) if arguments.parameters else scenario_parameters()
    report = {"impl": arguments.impl, "population": arguments.population, "quarters": arguments.quarters}
    if arguments.impl == "numba":
        compile_seconds = compile_numba(params)
    started = time.perf_counter()
    # The graph's own seed, as the engine's network.seed: the same graph whatever --seed.
    offsets, neighbours = watts_strogatz(arguments.population, int(params["network.mean_degree"]),
                                         params["network.rewiring"], np.random.default_rng(int(params["network.seed"])))
    network_seconds = time.perf_counter() - started
    timings = {}
    IMPLEMENTATIONS[arguments.impl](params, offsets, neighbours, arguments.quarters, arguments.seed, timings)
    report["setup_seconds"] = network_seconds + timings["initial_seconds"]
    report["network_seconds"] = network_seconds
    report["step_seconds"] = timings["step_seconds"]
    if arguments.impl == "numba":
        report["compile_seconds"] = compile_seconds
    report["updates_per_second"] = arguments.population * arguments.quarters / timings["step_seconds"]
    report["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(report))


if __name__ == "__main__":
    sys.exit(main())
