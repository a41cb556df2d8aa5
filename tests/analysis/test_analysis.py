"""Tests of the Python package: load, summary, compare, sensitivity on Ishigami, calibration, report."""
import pathlib
import subprocess

import numpy as np
import pytest

import fulcrum

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A small baseline and its cx_led counterfactual, written by the CLI."""
    import os

    folder = tmp_path_factory.mktemp("runs")
    binary = os.environ.get("FULCRUM_BINARY", str(ROOT / "build" / "fulcrum"))
    common = ["--set", "simulation.quarters=12", "--set", "market.population=4000", "--replicates", "3", "--quiet"]
    baseline = folder / "baseline.h5"
    subprocess.run([binary, "run", ROOT / "scenarios" / "baseline.toml", "-o", baseline, *common], check=True)
    paired = folder / "paired.h5"
    subprocess.run([binary, "run", ROOT / "scenarios" / "baseline.toml", "-o", paired, *common,
                    "--counterfactual", "policy.kind=cx_led"], check=True)
    uber = folder / "uber.h5"
    subprocess.run([binary, "run", ROOT / "scenarios" / "cases" / "uber_subsidy.toml", "-o", uber, *common], check=True)
    return {"baseline": baseline, "paired": paired, "uber": uber, "binary": binary, "common": common}


def test_load_gives_named_dimensions_units_and_the_scenario(runs):
    ds = fulcrum.load(runs["baseline"])
    assert ds["revenue"].dims == ("point", "replicate", "quarter", "firm")
    assert ds["revenue"].attrs["unit"] == "currency per quarter"
    assert ds["customers_active_by_segment"].dims[-1] == "segment"
    assert list(ds.segment.values) == ["core_growth", "price_sensitive", "timeliness_focused", "simplicity_focused"]
    assert ds["cohorts_active"].dims == ("point", "replicate", "firm", "cohort", "quarter")
    assert ds.sizes["replicate"] == 3 and ds.sizes["quarter"] == 13
    assert "[firm]" in ds.attrs["scenario_toml"]
    total = ds["customers_active"] + ds["prospects"] + ds["lapsed"]
    assert np.all(total.values == 4000)


def test_summary_is_tidy_with_a_90_percent_interval(runs):
    table = fulcrum.summary(fulcrum.load(runs["baseline"]), ["revenue", "profit"])
    assert list(table.columns) == ["point", "firm", "quarter", "metric", "mean", "low", "high", "unit"]
    assert len(table) == 2
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()


def test_compare_is_paired_for_a_counterfactual_and_welch_otherwise(runs):
    paired = fulcrum.compare(fulcrum.load(runs["paired"]), metrics=["profit"])
    assert paired["paired"].all()
    last = paired.iloc[-1]
    assert last["low"] <= last["difference"] <= last["high"]
    ds = fulcrum.load(runs["baseline"])
    shifted = ds.copy()
    shifted.attrs["seed"] = ds.attrs["seed"] + 1
    unpaired = fulcrum.compare(ds, shifted, metrics=["profit"])
    assert not unpaired["paired"].any()
    assert np.allclose(unpaired["difference"], 0.0)  # the same numbers, compared with themselves


def test_engine_bindings_give_the_cli_numbers(runs, tmp_path):
    ds = fulcrum.run(ROOT / "scenarios" / "baseline.toml", {"simulation.quarters": 12, "market.population": 4000},
                     replicates=3)
    cli = fulcrum.load(runs["baseline"])
    for name in cli.data_vars:
        np.testing.assert_array_equal(ds[name].values, cli[name].values, err_msg=name)
    with pytest.raises(ValueError, match="did you mean 'firm.price'"):
        fulcrum.run("[firm]\nprise = 3\n")


def test_sobol_indices_recover_the_ishigami_values():
    names, a, b, ab = fulcrum.saltelli_design({"x1": (-np.pi, np.pi), "x2": (-np.pi, np.pi), "x3": (-np.pi, np.pi)},
                                              n=8192, seed=3)
    indices = fulcrum.sobol_indices(names, fulcrum.ishigami(a), fulcrum.ishigami(b), fulcrum.ishigami(ab), bootstrap=200)
    first, total = fulcrum.ishigami_indices()
    np.testing.assert_allclose(indices["first_order"], first, atol=0.03)
    np.testing.assert_allclose(indices["total"], total, atol=0.03)
    assert (indices["first_order_low"] <= indices["first_order_high"]).all()
    # the intervals cover the known values
    assert ((indices["total_low"] - 0.02 <= total) & (total <= indices["total_high"] + 0.02)).all()


def test_calibration_recovers_a_known_parameter():
    scenario = ROOT / "scenarios" / "baseline.toml"
    common = {"simulation.quarters": 10, "market.population": 3000}
    truth = fulcrum.run(scenario, dict(common, **{"adoption.innovation": 0.05}), replicates=2, seed=9)
    target = truth["customers_active"].isel(point=0, firm=0).mean("replicate").values[1:]
    fit = fulcrum.calibrate(scenario, {"adoption.innovation": (0.01, 0.10)}, target, overrides=common, replicates=2,
                            seed=9)
    assert abs(fit["parameters"]["adoption.innovation"] - 0.05) < 0.005
    assert fit["evaluations"] <= 60


def test_report_is_one_file_with_every_figure(runs, tmp_path):
    output = tmp_path / "report.html"
    path, figures = fulcrum.report([runs["baseline"], runs["uber"]], output)
    text = path.read_text()
    assert text.count("data:image/png;base64,") == len(figures)
    for expected in ("customers active over time", "the balance frontier", "costs by category", "cohort survival",
                     "market share"):
        assert any(expected in name for name in figures), expected
    assert "Parameter differences" in text and "firm.name" in text
    done = subprocess.run([runs["binary"], "report", runs["baseline"], "-o", tmp_path / "cli.html"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cli.html").exists()


def test_sensitivity_reads_a_saltelli_sweep(runs, tmp_path):
    sweep = tmp_path / "saltelli.toml"
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\ndesign = "saltelli"\npoints = 16\n'
                     "replicates = 1\n"
                     '[parameters."firm.price"]\nmin = 15.0\nmax = 25.0\n'
                     '[parameters."firm.fixed_cost"]\nmin = 0.0\nmax = 1.0\n')
    out = tmp_path / "saltelli.h5"
    subprocess.run([runs["binary"], "sweep", sweep, "-o", out, "--quiet"], check=True)
    ds = fulcrum.load(out)
    assert ds.attrs["design_kind"] == "saltelli" and ds.sizes["point"] == 16 * 4
    assert "firm.price" in ds.coords
    indices = fulcrum.sensitivity(ds, "revenue", bootstrap=100).set_index("parameter")
    # Revenue is units times price: the price explains it; a fixed cost of at most 1 cannot.
    assert indices.loc["firm.price", "total"] > 0.8
    assert indices.loc["firm.fixed_cost", "total"] < 0.05
    with pytest.raises(ValueError, match="saltelli"):
        fulcrum.sensitivity(fulcrum.load(runs["baseline"]), "revenue")
