import os
import pathlib
import subprocess

import h5py
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def fulcrum():
    """Runs the fulcrum binary built by CMake; returns the CompletedProcess."""
    binary = os.environ.get("FULCRUM_BINARY", str(ROOT / "build" / "fulcrum"))
    assert os.path.exists(binary), f"build fulcrum first: {binary} is missing"

    def run(*args, cwd=None, check_exit=None):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)
        if check_exit is not None:
            assert done.returncode == check_exit, done.stdout + done.stderr
        return done

    run.binary = binary
    return run


@pytest.fixture
def small(tmp_path):
    """A small scenario extending the baseline, fast enough for end-to-end tests."""
    path = tmp_path / "small.toml"
    path.write_text(
        f'extends = "{ROOT / "scenarios" / "baseline.toml"}"\n'
        "[simulation]\nquarters = 12\nreplicates = 2\n[market]\npopulation = 9000\n"
    )
    return path


def assert_same_datasets(left_path, right_path):
    """Every dataset of the left file is in the right one with the same bytes (strings by value)."""
    with h5py.File(left_path, "r") as a, h5py.File(right_path, "r") as b:
        names = []
        a.visit(lambda name: names.append(name) if isinstance(a[name], h5py.Dataset) else None)
        assert len(names) > 10
        for name in names:
            left, right = a[name][()], b[name][()]
            if left.dtype.kind == "O":  # variable-length strings: compare values, not pointers
                assert left.tolist() == right.tolist(), name
            else:
                assert left.tobytes() == right.tobytes(), name
