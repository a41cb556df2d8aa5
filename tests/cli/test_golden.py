"""Golden regression: small runs of the shipped scenarios must reproduce, bit for bit, the digests in
tests/golden/golden.json, with the incremental word-of-mouth kernel and with the straightforward
gather kernel (simulation.kernel = "gather") alike: this is what proves the optimised customer step
computes exactly what the unoptimised one does (issue 8).

History: the digests were first recorded before any optimisation, and every optimisation that keeps
results (fixed-point word of mouth, voice keys, the incremental kernel) reproduced them. They were
recorded again, on purpose, when the quarterly customer draws moved from per-block Mersenne Twister
streams to the counter-based Philox generator (sim/rng.hpp), when network.order's default became
"none" (customers are labelled in the generator's order, so their draws differ), and when the churn
propensities' Beta draws moved from Boost's beta_distribution to Marsaglia and Tsang's gamma method
(sim/variates.hpp: the same distribution, tested against its distribution function, other draws).

A change that is meant to alter results regenerates the digests on purpose:
    FULCRUM_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest tests/cli/test_golden.py
and says why in its commit message.
"""
import hashlib
import json
import os

import h5py
import numpy as np
import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "golden.json"

# Small enough for make test, varied enough to reach every customer behaviour: networks of every kind
# the cases use, the complete graph, segments, competitors, investors, counterfactuals, interventions.
CASES = {
    "baseline": ["scenarios/baseline.toml", "--set", "market.population=9000", "--replicates", "2"],
    "baseline_threads": ["scenarios/baseline.toml", "--set", "market.population=9000", "--replicates", "1",
                         "--threads", "2", "--set", "simulation.quarters=16"],
    "uber_subsidy": ["scenarios/cases/uber_subsidy.toml", "--set", "market.population=9000", "--replicates", "2"],
    "cx_annuity": ["scenarios/cases/cx_annuity.toml", "--set", "market.population=9000", "--replicates", "2"],
    "jenga_management": ["scenarios/cases/jenga_management.toml", "--set", "market.population=9000",
                         "--replicates", "2"],
    "word_of_mouth": ["scenarios/cases/word_of_mouth.toml", "--set", "market.population=9000", "--replicates", "2"],
    "costco_membership": ["scenarios/cases/costco_membership.toml", "--set", "market.population=9000",
                          "--replicates", "2"],
    "balance_frontier": ["scenarios/cases/balance_frontier.toml", "--set", "market.population=9000",
                         "--replicates", "2"],
    "bass_complete_graph": ["scenarios/validation/bass.toml", "--set", "market.population=9000", "--replicates", "2"],
    "bass_watts_strogatz": ["scenarios/validation/bass_watts_strogatz.toml", "--set", "market.population=9000",
                            "--replicates", "2"],
    "sbg_segments": ["scenarios/validation/sbg_segments.toml", "--set", "market.population=9000",
                     "--replicates", "2"],
}


def digests(path):
    """SHA-256 of every dataset's bytes (strings by value), by dataset name."""
    found = {}
    with h5py.File(path, "r") as results:
        def visit(name, item):
            if not isinstance(item, h5py.Dataset):
                return
            value = item[()]
            if isinstance(value, np.ndarray) and value.dtype.kind == "O":
                data = "\x1f".join(v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()).encode()
            elif isinstance(value, np.ndarray):
                data = np.ascontiguousarray(value).tobytes()
            else:
                data = repr(value).encode()
            found[name] = hashlib.sha256(data).hexdigest()
        results.visititems(visit)
    return found


def run_case(fulcrum, name, kernel, tmp_path):
    output = tmp_path / f"{name}.h5"
    fulcrum("run", *CASES[name], "--set", f"simulation.kernel={kernel}", "--quiet", "-o", output, cwd=ROOT,
            check_exit=0)
    return digests(output)


@pytest.mark.parametrize("kernel", ["incremental", "gather"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_scenario_reproduces_its_golden_digests(fulcrum, name, kernel, tmp_path):
    found = run_case(fulcrum, name, kernel, tmp_path)
    if os.environ.get("FULCRUM_UPDATE_GOLDEN"):
        if kernel != "incremental":
            pytest.skip("digests are recorded from one kernel and checked against both")
        golden = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}
        golden[name] = {"arguments": CASES[name], "datasets": found}
        GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n")
        return
    expected = json.loads(GOLDEN.read_text())[name]
    assert expected["arguments"] == CASES[name], "the case changed: regenerate its digests on purpose"
    changed = sorted(n for n in expected["datasets"] if found.get(n) != expected["datasets"][n])
    added = sorted(set(found) - set(expected["datasets"]))
    assert not changed and not added, f"{name}: datasets differ from the golden run: {changed[:20]}; new: {added[:20]}"
