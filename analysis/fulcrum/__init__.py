"""fulcrum for Python: read results as xarray, summarise, compare, plot, report; run the engine.

Runs on Debian's /usr/bin/python3 (h5py, numpy, pandas, xarray, matplotlib, scipy).

    import fulcrum
    ds = fulcrum.load("out/baseline.h5")        # xarray.Dataset with named dims
    fulcrum.summary(ds)                           # tidy table: mean and 90% interval over replicates
    fulcrum.report(["out/baseline.h5"], "report.html")
"""
from .results import compare, events, load, summary
from .sensitivity import ishigami, ishigami_indices, saltelli_design, sensitivity, sobol_indices
from .report import report
from . import plots

__all__ = ["load", "events", "summary", "compare", "saltelli_design", "sobol_indices", "ishigami",
           "ishigami_indices", "sensitivity", "report", "plots", "run", "calibrate"]


def run(scenario, overrides=None, replicates=None, seed=None, threads=None):
    """Runs the C++ engine in memory and returns the results as load() would: see fulcrum.engine.run."""
    from .engine import run as engine_run
    return engine_run(scenario, overrides=overrides, replicates=replicates, seed=seed, threads=threads)


def calibrate(*args, **kwargs):
    """Fits scenario parameters to a target series: see fulcrum.calibration.calibrate."""
    from .calibration import calibrate as fit
    return fit(*args, **kwargs)
