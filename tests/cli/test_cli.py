"""End-to-end tests of the fulcrum command line: run, validate, params, and every bad-input case."""
import json
import os
import pty
import re
import select
import signal
import subprocess

import h5py
import numpy as np
import pytest

from conftest import ROOT, assert_same_datasets

FIRM_SERIES = ["customers_active", "acquired", "churned", "revenue", "costs_total", "profit", "cash",
               "satisfaction_mean"]


def test_run_writes_schema_v1(fulcrum, small, tmp_path):
    out = tmp_path / "small.h5"
    done = fulcrum("run", small, "-o", out, check_exit=0)
    assert "Firm 'Focal' at quarter 12" in done.stdout
    with h5py.File(out, "r") as f:
        assert f.attrs["schema_version"] == 1
        assert f.attrs["seed"] == 20261125
        assert "[firm]" in f.attrs["scenario_toml"]
        parameters = json.loads(f.attrs["parameters_json"])
        assert parameters["market.population"] == 9000
        assert list(f["coords/quarter"][:]) == list(range(13))
        assert [name.decode() for name in f["coords/firm"][:]] == ["Focal"]
        for name in FIRM_SERIES:
            data = f["series"][name]
            assert data.shape == (1, 2, 13, 1), name
            assert data.dtype == np.float64
            assert data.attrs["unit"] and data.attrs["description"]
            assert data.compression == "gzip"
        prospects = f["market/prospects"][:]
        lapsed = f["market/lapsed"][:]
        active = f["series/customers_active"][:, :, :, 0]
        np.testing.assert_array_equal(prospects + active + lapsed, 9000)
    assert not list(tmp_path.glob("*.tmp-*"))


def test_segments_distributions_and_cohorts_are_written(fulcrum, small, tmp_path):
    out = tmp_path / "seg.h5"
    fulcrum("run", small, "-o", out, "--quiet", check_exit=0)
    with h5py.File(out, "r") as f:
        segments = [name.decode() for name in f["coords/segment"][:]]
        assert segments == ["core_growth", "price_sensitive", "timeliness_focused", "simplicity_focused"]
        by_segment = f["series_by_segment/customers_active"]
        assert by_segment.shape == (1, 2, 13, 1, 4)
        assert by_segment.attrs["dimensions"] == "point,replicate,quarter,firm,segment"
        np.testing.assert_array_equal(by_segment[()].sum(axis=4), f["series/customers_active"][()])
        deciles = f["distributions/satisfaction_deciles"]
        assert deciles.shape == (1, 2, 13, 1, 9)
        assert list(f["coords/decile"][:]) == pytest.approx([0.1 * d for d in range(1, 10)])
        assert np.all(np.diff(deciles[0, :, 1:, 0, :], axis=-1) >= 0)
        cohorts = f["cohorts/active"][()]
        assert cohorts.shape == (1, 2, 1, 13, 13)
        # [point, replicate, firm, cohort, quarter] summed over cohorts: the firm's active customers.
        np.testing.assert_array_equal(cohorts.sum(axis=3)[:, :, 0, :], f["series/customers_active"][:, :, :, 0])
        nps = f["series/nps"][0, :, 1:, 0]
        assert np.all((nps >= -100) & (nps <= 100))


def test_network_command_reports_the_graph(fulcrum, small):
    done = fulcrum("network", small, "--set", "market.population=3000", check_exit=0)
    assert "watts_strogatz" in done.stdout
    assert "clustering" in done.stdout and "mean path length" in done.stdout
    assert "degree distribution" in done.stdout
    # Built by any number of threads, the same network: the same report, but for the time taken.
    without_time = lambda text: re.sub(r"built in [0-9.]+ s", "", text)
    for threads in ("1", "3"):
        again = fulcrum("network", small, "--set", "market.population=3000", "--threads", threads, check_exit=0)
        assert without_time(again.stdout) == without_time(done.stdout)
    assert fulcrum("network", small, "--threads", "0").returncode == 2


def test_edge_list_network_relative_to_the_scenario(fulcrum, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "ring.txt").write_text("# a ring of 200 customers\n" + "".join(f"{i} {(i + 1) % 200}\n" for i in range(200)))
    (folder / "s.toml").write_text('[market]\npopulation = 200\n[network]\nkind = "edge_list"\nedge_list_file = "ring.txt"\n')
    done = fulcrum("network", folder / "s.toml", check_exit=0)
    assert "edges              200" in done.stdout
    assert "clustering         0.0000" in done.stdout
    fulcrum("run", folder / "s.toml", "-o", tmp_path / "ring.h5", "--quiet", "--set", "simulation.quarters=4", check_exit=0)
    (folder / "bad.toml").write_text('[market]\npopulation = 200\n[network]\nkind = "edge_list"\nedge_list_file = "nope.txt"\n')
    missing = fulcrum("validate", folder / "bad.toml")
    assert missing.returncode == 2
    assert "bad.toml:5:18: network.edge_list_file: file" in missing.stderr and "nope.txt' does not exist" in missing.stderr
    (folder / "ring.txt").write_text("0 1\n1 500\n")
    out_of_range = fulcrum("run", folder / "s.toml", "-o", tmp_path / "x.h5")
    assert out_of_range.returncode == 2 and "ring.txt:2:1" in out_of_range.stderr
    assert not (tmp_path / "x.h5").exists()


def test_counterfactual_writes_both_points_and_their_paired_difference(fulcrum, small, tmp_path):
    out = tmp_path / "cf.h5"
    done = fulcrum("run", small, "-o", out, "--counterfactual", "departments.prevention=0; departments.insights = 0",
                   check_exit=0)
    assert "Counterfactual minus scenario" in done.stdout
    with h5py.File(out, "r") as f:
        assert [n.decode() for n in f["coords/point_name"][:]] == ["scenario", "counterfactual"]
        revenue = f["series/revenue"][()]
        assert revenue.shape == (2, 2, 13, 1)
        np.testing.assert_allclose(f["difference/revenue"][()], revenue[1] - revenue[0])
        summary = f["difference_summary/remedial_cost"][()]
        assert summary.shape == (13, 1, 3)
        assert np.all(summary[1:, 0, 1] <= summary[1:, 0, 0]) and np.all(summary[1:, 0, 0] <= summary[1:, 0, 2])
        assert '[counterfactual]' in f.attrs["scenario_toml"]
        prevention = f["series/budget_prevention"][:, 0, 1, 0]
        assert prevention[0] > 0 and prevention[1] == 0
    bad = fulcrum("run", small, "-o", tmp_path / "bad.h5", "--counterfactual", "departments.preventoin=0")
    assert bad.returncode == 2 and "did you mean 'departments.prevention'" in bad.stderr
    assert not (tmp_path / "bad.h5").exists()


def test_counterfactual_table_in_a_scenario(fulcrum, tmp_path):
    scenario = tmp_path / "c.toml"
    scenario.write_text(f'extends = "{ROOT / "scenarios" / "baseline.toml"}"\n[simulation]\nquarters = 4\n'
                        "replicates = 2\n[counterfactual.policy]\nkind = \"cx_led\"\n")
    fulcrum("run", scenario, "-o", tmp_path / "c.h5", "--quiet", check_exit=0)
    with h5py.File(tmp_path / "c.h5", "r") as f:
        assert f["series/revenue"].shape[0] == 2
    scenario.write_text("[counterfactual.policy]\nknid = \"cx_led\"\n")
    bad = fulcrum("validate", scenario)
    assert bad.returncode == 2 and "c.toml:2:1: counterfactual.policy.knid" in bad.stderr


def test_events_are_a_table(fulcrum, tmp_path):
    out = tmp_path / "uber.h5"
    fulcrum("run", ROOT / "scenarios" / "cases" / "uber_subsidy.toml", "-o", out, "--quiet", "--replicates", "1",
            "--set", "market.population=3000", check_exit=0)
    with h5py.File(out, "r") as f:
        events = f["events"]
        columns = {name: events[name][()] for name in events}
        assert set(columns) == {"point", "replicate", "quarter", "firm", "kind", "amount", "text"}
        assert len({len(values) for values in columns.values()}) == 1
        kinds = {kind.decode() for kind in columns["kind"]}
        assert "subsidy_end" in kinds
        assert [n.decode() for n in f["coords/firm"][:]] == ["Entrant", "Incumbent"]
        shares = f["series/market_share"][0, 0, 1:, :].sum(axis=-1)
        np.testing.assert_allclose(shares, 1.0)


def test_sweep_writes_points_and_the_design(fulcrum, tmp_path):
    sweep = tmp_path / "s.toml"
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\ndesign = "sobol"\npoints = 4\nreplicates = 2\n'
                     '[parameters."firm.price"]\nmin = 16.0\nmax = 24.0\n'
                     '[parameters."market.population"]\nmin = 2000\nmax = 4000\n')
    out = tmp_path / "sweep.h5"
    done = fulcrum("sweep", sweep, "-o", out, "--threads", "2", check_exit=0)
    assert "sobol design, 4 points x 2 replicates = 8 runs" in done.stdout
    with h5py.File(out, "r") as f:
        assert f["series/revenue"].shape[:2] == (4, 2)
        assert [p.decode() for p in f["design/parameter"][:]] == ["firm.price", "market.population"]
        values = f["design/values"][()]
        assert values.shape == (4, 2)
        assert np.all((16 <= values[:, 0]) & (values[:, 0] <= 24))
        assert f["design"].attrs["kind"] == "sobol"
        population = f["series/customers_active"][:, :, :, 0] + f["market/prospects"][()] + f["market/lapsed"][()]
        np.testing.assert_array_equal(population[:, 0, 0], np.round(values[:, 1]))  # integers rounded
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\n[parameters."firm.prize"]\nvalues = [1, 2]\n')
    bad = fulcrum("sweep", sweep, "-o", tmp_path / "bad.h5")
    assert bad.returncode == 2 and "did you mean 'firm.price'" in bad.stderr
    assert not (tmp_path / "bad.h5").exists()


def test_every_sweep_file_loads(fulcrum, tmp_path):
    for sweep in sorted((ROOT / "scenarios" / "sweeps").glob("*.toml")):
        small = tmp_path / sweep.name
        small.write_text(sweep.read_text().replace('scenario = "../', f'scenario = "{ROOT / "scenarios"}/'))
        fulcrum("sweep", small, "-o", tmp_path / (sweep.stem + ".h5"), "--quiet", check_exit=0)


def test_a_killed_sweep_keeps_its_finished_runs_and_resumes_to_the_same_file(fulcrum, tmp_path):
    sweep = tmp_path / "long.toml"
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\ndesign = "grid"\nreplicates = 4\n'
                     '[parameters."firm.price"]\nmin = 16.0\nmax = 24.0\nlevels = 12\n'
                     '[parameters."market.population"]\nvalues = [6000]\n')
    reference = tmp_path / "reference.h5"
    fulcrum("sweep", sweep, "-o", reference, "--quiet", "--threads", "2", check_exit=0)

    out = tmp_path / "killed.h5"
    parts = tmp_path / "killed.h5.parts"
    process = subprocess.Popen([fulcrum.binary, "sweep", str(sweep), "-o", str(out), "--quiet", "--refresh", "0",
                                "--threads", "1"])
    # Kill it once some runs are saved and the output has been refreshed, well before the end.
    while process.poll() is None and not (out.exists() and len(list(parts.glob("run-*.h5"))) >= 3):
        select.select([], [], [], 0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    with h5py.File(out, "r") as f:  # a complete, valid file
        finished = f["runs/finished"][()]
        assert finished.shape == (12, 4)
        assert 0 < finished.sum() < finished.size
        revenue = f["series/revenue"][()]
        assert np.all(np.isnan(revenue[finished == 0]))
        assert not np.any(np.isnan(revenue[finished == 1][:, 1:]))

    again = fulcrum("sweep", sweep, "-o", out, "--quiet")
    assert again.returncode == 2 and "--resume" in again.stderr
    fulcrum("sweep", sweep, "-o", out, "--quiet", "--resume", "--threads", "2", check_exit=0)
    assert not parts.exists()
    with h5py.File(out, "r") as resumed:
        assert "runs" not in resumed
    assert_same_datasets(reference, out)


def test_overrides_replicates_and_seed_reach_the_file(fulcrum, small, tmp_path):
    out = tmp_path / "o.h5"
    fulcrum("run", small, "-o", out, "--set", "firm.price=25", "--set", "firm.name=Other",
            "--replicates", "3", "--seed", "5", "--quiet", check_exit=0)
    with h5py.File(out, "r") as f:
        parameters = json.loads(f.attrs["parameters_json"])
        assert parameters["firm.price"] == 25.0
        assert parameters["firm.name"] == "Other"
        assert parameters["simulation.replicates"] == 3
        assert f.attrs["seed"] == 5
        assert f["series/revenue"].shape[1] == 3


def test_quiet_prints_nothing(fulcrum, small, tmp_path):
    done = fulcrum("run", small, "-o", tmp_path / "q.h5", "--quiet", check_exit=0)
    assert done.stdout == "" and done.stderr == ""


def test_same_seed_identical_for_any_thread_count(fulcrum, small, tmp_path):
    outputs = []
    for threads in (1, 2):
        out = tmp_path / f"t{threads}.h5"
        fulcrum("run", small, "-o", out, "--threads", threads, "--quiet", check_exit=0)
        outputs.append(out)
    assert_same_datasets(outputs[0], outputs[1])


def test_every_scenario_file_validates(fulcrum):
    files = sorted(str(p) for p in (ROOT / "scenarios").rglob("*.toml"))
    assert len(files) >= 4
    done = fulcrum("validate", *files, check_exit=0)
    assert done.stdout.count("ok: ") == len(files)


def test_baseline_runs(fulcrum, tmp_path):
    fulcrum("run", ROOT / "scenarios" / "baseline.toml", "-o", tmp_path / "b.h5", "--replicates", "1",
            "--quiet", check_exit=0)


def test_params_json_lists_every_parameter_with_its_description(fulcrum):
    params = json.loads(fulcrum("params", "--format", "json", check_exit=0).stdout)
    paths = [p["path"] for p in params]
    assert len(paths) == len(set(paths))
    assert "segments.<name>.share" in paths
    assert {p["path"] for p in params if p["per_segment"]} >= {"customers.price_sensitivity", "churn.propensity_alpha"}
    assert {"firm.price", "adoption.innovation", "churn.propensity_alpha", "simulation.seed"} <= set(paths)
    for p in params:
        assert set(p) == {"path", "type", "default", "unit", "range", "per_segment", "description"}
        assert p["description"]


def test_parameter_reference_in_docs_is_current(fulcrum):
    generated = fulcrum("params", "--format", "markdown", check_exit=0).stdout
    committed = (ROOT / "docs" / "parameters.md").read_text()
    assert generated == committed, "docs/parameters.md is stale: run `make docs`"


BAD_INPUTS = {
    "unknown key": ("[firm]\nprise = 3\n", [], "bad.toml:2:1: firm.prise: unknown parameter; did you mean 'firm.price'?"),
    "wrong type": ("[firm]\nprice = \"high\"\n", [], "bad.toml:2:9: firm.price: expected a real number, found a string"),
    "out of range": ("[churn]\nfixed_propensity = 1.5\n", [], "bad.toml:2:20: churn.fixed_propensity: 1.5 is outside the allowed range [0.0, 1.0]"),
    "unparsable": ("[firm\nprice = 3\n", [], "bad.toml:1:"),
    "cyclic extends": ('extends = "bad.toml"\n', [], "cyclic extends: bad.toml -> bad.toml"),
    "missing extends": ('extends = "gone.toml"\n', [], "gone.toml' does not exist"),
    "set without =": ("", ["--set", "firm.price"], "--set argument 1 ('firm.price'): expected path=value"),
    "set unknown": ("", ["--set", "firm.pric=3"], "firm.pric: unknown parameter; did you mean 'firm.price'?"),
    "set bad value": ("", ["--set", "market.population=lots"], "market.population: 'lots' is not an integer"),
    "threads": ("", ["--threads", "0"], "0 threads is outside the allowed range"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_clear_message_and_no_output(fulcrum, tmp_path, case):
    text, extra, expected = BAD_INPUTS[case]
    scenario = tmp_path / "bad.toml"
    scenario.write_text(text)
    fresh = tmp_path / "fresh.h5"
    done = fulcrum("run", scenario, "-o", fresh, *extra)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert done.stderr.count("error:") == 1
    assert not fresh.exists()
    # An existing file under the requested name is left exactly as it was.
    existing = tmp_path / "existing.h5"
    existing.write_bytes(b"finished results from before")
    assert fulcrum("run", scenario, "-o", existing, *extra).returncode == 2
    assert existing.read_bytes() == b"finished results from before"
    # validate reports the same problem for file problems.
    if not extra:
        checked = fulcrum("validate", scenario)
        assert checked.returncode == 2 and expected in checked.stderr


def test_missing_scenario_file(fulcrum, tmp_path):
    done = fulcrum("run", tmp_path / "nowhere.toml", "-o", tmp_path / "x.h5")
    assert done.returncode == 2
    assert "nowhere.toml' does not exist" in done.stderr
    assert not (tmp_path / "x.h5").exists()


def test_output_path_that_is_a_directory_is_refused(fulcrum, small, tmp_path):
    done = fulcrum("run", small, "-o", tmp_path)
    assert done.returncode == 2 and "is a directory" in done.stderr


def test_unknown_flag_is_bad_input(fulcrum, small):
    assert fulcrum("run", small, "--frobnicate").returncode == 2


def test_validate_reports_each_bad_file_and_continues(fulcrum, small, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[market]\npopulation = -5\n")
    done = fulcrum("validate", bad, small)
    assert done.returncode == 2
    assert "market.population" in done.stderr
    assert f"ok: {small}" in done.stdout


def run_on_terminal(binary, args, until=None):
    """Runs binary with stdout on a pseudo-terminal; returns (output, process). Kills it when `until` shows."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([binary, *map(str, args)], stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if until is not None and until in output:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    os.close(leader)
    return output.decode(errors="replace"), process


def test_progress_bar_on_a_terminal_only(fulcrum, small, tmp_path):
    shown, process = run_on_terminal(fulcrum.binary, ["run", small, "-o", tmp_path / "p.h5"])
    assert process.returncode == 0
    assert "\r[" in shown and "quarters" in shown and "ETA" in shown
    quiet, process = run_on_terminal(fulcrum.binary, ["run", small, "-o", tmp_path / "q.h5", "--quiet"])
    assert process.returncode == 0 and quiet == ""
    piped = fulcrum("run", small, "-o", tmp_path / "r.h5", check_exit=0)
    assert "\r" not in piped.stdout


def test_a_killed_run_leaves_no_file_under_the_requested_name(fulcrum, small, tmp_path):
    out = tmp_path / "killed.h5"
    _, process = run_on_terminal(
        fulcrum.binary,
        ["run", small, "-o", out, "--set", "simulation.quarters=400", "--set", "market.population=200000"],
        until=b"\r[")
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()
