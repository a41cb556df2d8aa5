"""Reading fulcrum's HDF5 results (schema v1, docs/results.md) into xarray, and tables from them."""
import json

import h5py
import numpy as np
import pandas as pd
import xarray as xr

# HDF5 group -> (variable name suffix, dimension names)
_GROUPS = {
    "series": ("", ("point", "replicate", "quarter", "firm")),
    "market": ("", ("point", "replicate", "quarter")),
    "series_by_segment": ("_by_segment", ("point", "replicate", "quarter", "firm", "segment")),
    "distributions": ("", ("point", "replicate", "quarter", "firm", "decile")),
    "cohorts": ("cohorts_", ("point", "replicate", "firm", "cohort", "quarter")),
    "difference": ("difference_", ("replicate", "quarter", "firm")),
}


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _variable_name(group, name):
    suffix, _ = _GROUPS[group]
    if suffix.endswith("_") and not suffix.startswith("_"):
        return suffix + name  # a prefix: cohorts_active, difference_revenue
    return name + suffix


def dataset_from_arrays(groups, coords, attrs):
    """Builds the Dataset from {group: {name: (array, unit, description)}}, coordinate arrays and attrs."""
    data_vars = {}
    for group, variables in groups.items():
        _, dims = _GROUPS[group]
        for name, (values, unit, description) in variables.items():
            data_vars[_variable_name(group, name)] = xr.DataArray(
                np.asarray(values, dtype=float), dims=dims, attrs={"unit": unit, "description": description})
    coordinates = {
        "point": coords["point"], "replicate": coords["replicate"], "quarter": coords["quarter"],
        "firm": coords["firm"], "segment": coords["segment"], "decile": coords["decile"],
        "cohort": coords["quarter"],
    }
    dataset = xr.Dataset(data_vars, coords=coordinates, attrs=attrs)
    dataset["quarter"].attrs["unit"] = "quarter"
    dataset["cohort"].attrs["description"] = "quarter in which the customers were acquired (0: at the start)"
    return dataset


def load(path):
    """Opens a fulcrum results file as an xarray.Dataset with named dims (point, replicate, quarter, firm,
    segment, decile, cohort), units and descriptions as attributes, and the resolved scenario in attrs."""
    with h5py.File(path, "r") as f:
        groups = {}
        for group in _GROUPS:
            if group not in f:
                continue
            groups[group] = {name: (dataset[()], _text(dataset.attrs.get("unit", "")),
                                    _text(dataset.attrs.get("description", "")))
                             for name, dataset in f[group].items()}
        c = f["coords"]
        point_names = [_text(n) for n in c["point_name"][()]] if "point_name" in c else list(range(len(c["point"])))
        coords = {
            "point": point_names,
            "replicate": c["replicate"][()],
            "quarter": c["quarter"][()],
            "firm": [_text(n) for n in c["firm"][()]],
            "segment": [_text(n) for n in c["segment"][()]] if "segment" in c else ["all"],
            "decile": c["decile"][()] if "decile" in c else np.arange(1, 10) / 10,
        }
        design = None
        if "design" in f:
            design = (_text(f["design"].attrs.get("kind", "")), [_text(n) for n in f["design/parameter"][()]],
                      f["design/values"][()])
        attrs = {key: (_text(value) if isinstance(value, (bytes, str)) else value.item() if hasattr(value, "item") else value)
                 for key, value in f.attrs.items()}
        attrs["source"] = str(path)
    dataset = dataset_from_arrays(groups, coords, attrs)
    if design is not None:
        # The sweep's design: one coordinate per swept parameter along `point`.
        kind, names, values = design
        dataset.attrs["design_kind"] = kind
        dataset.attrs["design_parameters"] = json.dumps(names)
        dataset = dataset.assign_coords({name: ("point", values[:, i]) for i, name in enumerate(names)})
    return dataset


def events(source):
    """The events of a run as a pandas DataFrame (point, replicate, quarter, firm, kind, amount, text):
    from a results file path, or from a Dataset made by fulcrum.run()."""
    if isinstance(source, xr.Dataset):
        if "events" in source.attrs:
            import io
            return pd.read_json(io.StringIO(source.attrs["events"]))
        source = source.attrs["source"]
    path = source
    with h5py.File(path, "r") as f:
        if "events" not in f:
            return pd.DataFrame(columns=["point", "replicate", "quarter", "firm", "kind", "amount", "text"])
        columns = {name: f["events"][name][()] for name in ("point", "replicate", "quarter", "firm", "kind", "amount", "text")}
    for name in ("kind", "text"):
        columns[name] = [_text(v) for v in columns[name]]
    return pd.DataFrame(columns)


def parameters(ds):
    """The resolved parameters of a run, {path: value}."""
    return json.loads(ds.attrs["parameters_json"])


def summary(ds, metrics=None, quarter=None, interval=0.9):
    """Tidy table of the firm series at `quarter` (default: the last): one row per point, firm and
    metric with the mean over replicates and the central `interval` (default 90%) range."""
    metrics = metrics or [name for name, variable in ds.data_vars.items()
                          if variable.dims == ("point", "replicate", "quarter", "firm")]
    quarter = int(ds.quarter[-1]) if quarter is None else quarter
    low, high = (1 - interval) / 2, 1 - (1 - interval) / 2
    rows = []
    for metric in metrics:
        values = ds[metric].sel(quarter=quarter)
        for point in ds.point.values:
            for firm in ds.firm.values:
                sample = values.sel(point=point, firm=firm).values
                sample = sample[~np.isnan(sample)]
                rows.append({
                    "point": point, "firm": firm, "quarter": quarter, "metric": metric,
                    "mean": sample.mean() if sample.size else np.nan,
                    "low": np.quantile(sample, low) if sample.size else np.nan,
                    "high": np.quantile(sample, high) if sample.size else np.nan,
                    "unit": ds[metric].attrs.get("unit", ""),
                })
    return pd.DataFrame(rows)


def _paired(a, b):
    """True when two runs share their random numbers: same seed and replicates (common random numbers)."""
    return (a.attrs.get("seed") == b.attrs.get("seed") and a.sizes["replicate"] == b.sizes["replicate"])


def compare(a, b=None, metrics=("customers_active", "revenue", "profit", "cash"), firm=None, confidence=0.95):
    """Differences b - a per quarter with confidence bands: one row per metric and quarter. With b None,
    compares the two points (scenario, counterfactual) of `a`. Paired over replicates when the runs
    share random numbers (same seed), otherwise Welch's two-sample interval."""
    from scipy import stats

    if b is None:
        a, b = a.isel(point=[0]), a.isel(point=[1])
        paired = True
    else:
        paired = _paired(a, b)
    firm = firm if firm is not None else a.firm.values[0]
    rows = []
    for metric in metrics:
        x = a[metric].sel(firm=firm).isel(point=0).values  # [replicate, quarter]
        y = b[metric].sel(firm=firm).isel(point=0).values
        for q, quarter in enumerate(a.quarter.values):
            if paired:
                d = y[:, q] - x[:, q]
                n = len(d)
                mean = d.mean()
                se = d.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
                dof = n - 1
            else:
                mean = y[:, q].mean() - x[:, q].mean()
                vx, vy = x[:, q].var(ddof=1) / len(x), y[:, q].var(ddof=1) / len(y)
                se = np.sqrt(vx + vy)
                dof = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1)) if se > 0 else 1
            t = stats.t.ppf(0.5 + confidence / 2, max(dof, 1)) if np.isfinite(se) else np.nan
            rows.append({"metric": metric, "quarter": int(quarter), "difference": mean, "low": mean - t * se,
                         "high": mean + t * se, "paired": paired, "unit": a[metric].attrs.get("unit", "")})
    return pd.DataFrame(rows)
