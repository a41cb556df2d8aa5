"""Promises that keep finished results safe: no silent overwrite, no half files, clear errors."""
import os
import resource
import signal
import subprocess

import h5py
import pytest

from conftest import ROOT


def test_an_existing_output_is_replaced_only_with_force(fulcrum, small, tmp_path):
    out = tmp_path / "kept.h5"
    out.write_bytes(b"finished results")
    refused = fulcrum("run", small, "-o", out, "--quiet")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert out.read_bytes() == b"finished results"
    fulcrum("run", small, "-o", out, "--quiet", "--force", check_exit=0)
    with h5py.File(out, "r") as f:
        assert f.attrs["schema_version"] == 1


def test_a_huge_run_needs_allow_large_and_says_how_much_memory(fulcrum, small, tmp_path):
    out = tmp_path / "huge.h5"
    done = fulcrum("run", small, "-o", out, "--set", "market.population=100000000", "--replicates", "4")
    assert done.returncode == 2
    assert "GiB of memory" in done.stderr and "--allow-large" in done.stderr
    assert not out.exists()


def limit_file_size():
    # 200 kB files at most, and a failed write rather than a killed process when the limit is hit.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_full_disk_is_reported_and_leaves_nothing_behind(fulcrum, tmp_path):
    out = tmp_path / "full.h5"
    done = subprocess.run([fulcrum.binary, "run", str(ROOT / "scenarios" / "baseline.toml"), "-o", str(out), "--quiet"],
                          capture_output=True, text=True, preexec_fn=limit_file_size, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "nothing was written there" in done.stderr and "disk full" in done.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("full.h5*"))  # no temporary file either


def test_sigterm_leaves_no_file_under_the_requested_name(fulcrum, small, tmp_path):
    out = tmp_path / "terminated.h5"
    process = subprocess.Popen([fulcrum.binary, "run", str(small), "-o", str(out), "--quiet",
                                "--set", "market.population=300000", "--set", "simulation.quarters=200"])
    try:
        process.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGTERM
    assert not out.exists()
