"""The C++ engine in memory (pybind11 module fulcrum_engine, built with the CLI by `make demo`)."""
import importlib
import os
import pathlib
import sys
import tempfile

import pandas as pd

from .results import dataset_from_arrays

_REPOSITORY = pathlib.Path(__file__).resolve().parents[2]


def _engine():
    try:
        return importlib.import_module("fulcrum_engine")
    except ImportError:
        pass
    for folder in (os.environ.get("FULCRUM_BUILD_DIR"), _REPOSITORY / "build"):
        if folder and (pathlib.Path(folder) / "python").is_dir():
            sys.path.insert(0, str(pathlib.Path(folder) / "python"))
            try:
                return importlib.import_module("fulcrum_engine")
            except ImportError:
                sys.path.pop(0)
    raise ImportError("the fulcrum engine module is not built: run `make demo` (or set FULCRUM_BUILD_DIR to the "
                      "CMake build folder)")


def _assignments(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [f"{path}={_toml(value)}" for path, value in overrides.items()]
    return list(overrides)


def _toml(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def run(scenario, overrides=None, replicates=None, seed=None, threads=None, counterfactual=None):
    """Runs `scenario` (a TOML file path, or TOML text) with `overrides` ({path: value} or ["path=value"])
    and returns an xarray.Dataset in the same schema as fulcrum.load() of the CLI's output file; with the
    same seed the numbers are the CLI's. Bad input raises ValueError with the CLI's message."""
    engine = _engine()
    threads = threads or os.cpu_count() or 1
    text = str(scenario)
    temporary = None
    if "\n" in text or not os.path.exists(text):
        # TOML text: written next to the working directory so that `extends` paths resolve as typed.
        handle, temporary = tempfile.mkstemp(suffix=".toml", prefix=".fulcrum-", dir=os.getcwd())
        with os.fdopen(handle, "w") as file:
            file.write(text)
        text = temporary
    try:
        raw = engine.run(text, _assignments(overrides), replicates, seed, threads, _assignments(counterfactual))
    finally:
        if temporary:
            os.unlink(temporary)
    groups = {}
    for group, name, unit, description, values in raw["tables"]:
        if group == "difference_summary":
            continue  # derivable from /difference; fulcrum.compare() computes it
        groups.setdefault(group, {})[name] = (values, unit, description)
    dataset = dataset_from_arrays(groups, raw["coords"], dict(raw["attrs"]))
    dataset.attrs["source"] = "fulcrum.run"
    dataset.attrs["events"] = pd.DataFrame(
        raw["events"], columns=["point", "replicate", "quarter", "firm", "kind", "amount", "text"]).to_json()
    return dataset
