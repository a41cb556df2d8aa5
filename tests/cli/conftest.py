import os
import pathlib
import subprocess

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
