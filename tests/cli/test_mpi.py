"""Sweeps over MPI ranks give the threaded result, byte for byte (needs the fulcrum-mpi build)."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT, assert_same_datasets

MPI_BINARY = os.environ.get("FULCRUM_MPI_BINARY", str(ROOT / "build" / "fulcrum-mpi"))


@pytest.mark.skipif(not os.path.exists(MPI_BINARY) or not shutil.which("mpirun"), reason="built without MPI")
@pytest.mark.parametrize("ranks", [2, 3])
def test_mpi_sweep_equals_the_threaded_sweep(fulcrum, tmp_path, ranks):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\ndesign = "latin_hypercube"\npoints = 7\n'
                     'replicates = 2\ndesign_seed = 5\n[parameters."firm.price"]\nmin = 16.0\nmax = 24.0\n'
                     '[parameters."market.population"]\nmin = 2000\nmax = 3000\n')
    threaded = tmp_path / "threaded.h5"
    fulcrum("sweep", sweep, "-o", threaded, "--quiet", "--threads", "2", check_exit=0)
    spread = tmp_path / f"mpi{ranks}.h5"
    done = subprocess.run(["mpirun", "--oversubscribe", "--allow-run-as-root", "-n", str(ranks), MPI_BINARY, "sweep",
                           str(sweep), "-o", str(spread), "--quiet", "--threads", "1"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (tmp_path / f"mpi{ranks}.h5.parts").exists()
    assert_same_datasets(threaded, spread)


@pytest.mark.skipif(not os.path.exists(MPI_BINARY) or not shutil.which("mpirun"), reason="built without MPI")
def test_a_failing_rank_ends_every_rank_with_its_exit_code(tmp_path):
    sweep = tmp_path / "sweep.toml"
    sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\n[parameters."firm.price"]\nvalues = [18.0]\n')
    (tmp_path / "out.h5.parts").mkdir()  # an interrupted sweep that only rank 0 checks
    done = subprocess.run(["mpirun", "--oversubscribe", "--allow-run-as-root", "-n", "2", MPI_BINARY, "sweep", str(sweep),
                           "-o", str(tmp_path / "out.h5"), "--quiet"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--resume" in done.stderr
