"""Calibration: fit scenario parameters to an observed series with scipy.optimize, running the engine
in memory with common random numbers (the same seed at every evaluation, so the loss is smooth in the
parameters rather than noisy)."""
import numpy as np
from scipy import optimize

from .engine import run


def calibrate(scenario, parameters, target, metric="customers_active", firm=0, overrides=None, replicates=4, seed=1,
              threads=None, max_evaluations=60):
    """Finds the values of `parameters` ({path: (low, high)}) whose mean `metric` trajectory (firm index
    `firm`, quarters 1..len(target)) best matches `target` in least squares. Returns a dict with the
    fitted values, the loss and the number of engine runs."""
    names = list(parameters)
    low = np.array([parameters[name][0] for name in names], dtype=float)
    high = np.array([parameters[name][1] for name in names], dtype=float)
    target = np.asarray(target, dtype=float)
    base = dict(overrides or {})
    evaluations = 0

    def loss(unit_values):
        nonlocal evaluations
        evaluations += 1
        values = low + np.clip(unit_values, 0, 1) * (high - low)
        trial = dict(base, **{name: float(value) for name, value in zip(names, values)})
        ds = run(scenario, trial, replicates=replicates, seed=seed, threads=threads)
        simulated = ds[metric].isel(point=0, firm=firm).mean("replicate").values[1:len(target) + 1]
        return float(np.mean((simulated - target) ** 2))

    if len(names) == 1:
        result = optimize.minimize_scalar(lambda u: loss(np.array([u])), bounds=(0.0, 1.0), method="bounded",
                                          options={"xatol": 1e-3, "maxiter": max_evaluations})
        best = np.array([result.x])
        best_loss = result.fun
    else:
        result = optimize.minimize(loss, np.full(len(names), 0.5), method="Nelder-Mead",
                                   options={"maxfev": max_evaluations, "xatol": 1e-3, "fatol": 1e-9})
        best = np.clip(result.x, 0, 1)
        best_loss = result.fun
    fitted = low + best * (high - low)
    return {"parameters": dict(zip(names, fitted.tolist())), "loss": best_loss, "evaluations": evaluations}
