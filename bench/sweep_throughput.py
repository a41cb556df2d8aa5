"""Sweep throughput: runs per hour of the 10,000-customer, 40-quarter baseline on 1 and 2 threads and on
2 MPI ranks, measured in one go; writes bench/results/sweep_throughput.md.

    /usr/bin/python3 bench/sweep_throughput.py [--runs 24]
"""
import argparse
import datetime
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=24, help="runs per configuration (points x replicates)")
    parser.add_argument("--build", default=str(ROOT / "build"))
    arguments = parser.parse_args()
    binary = pathlib.Path(arguments.build) / "fulcrum"
    mpi_binary = pathlib.Path(arguments.build) / "fulcrum-mpi"
    points = max(1, arguments.runs // 4)
    with tempfile.TemporaryDirectory() as folder:
        sweep = pathlib.Path(folder) / "bench.toml"
        sweep.write_text(f'scenario = "{ROOT / "scenarios" / "baseline.toml"}"\ndesign = "latin_hypercube"\n'
                         f"points = {points}\nreplicates = 4\ndesign_seed = 1\n"
                         '[parameters."firm.price"]\nmin = 16.0\nmax = 24.0\n')
        runs = points * 4
        rows = []
        for label, command in [
            ("1 thread", [binary, "sweep", sweep, "-o", pathlib.Path(folder) / "t1.h5", "--quiet", "--threads", "1"]),
            ("2 threads", [binary, "sweep", sweep, "-o", pathlib.Path(folder) / "t2.h5", "--quiet", "--threads", "2"]),
            ("2 MPI ranks x 1 thread", ["mpirun", "--oversubscribe", "--allow-run-as-root", "-n", "2", mpi_binary, "sweep",
                                        sweep, "-o", pathlib.Path(folder) / "m2.h5", "--quiet", "--threads", "1"]),
        ]:
            if command[0] == "mpirun" and (not mpi_binary.exists() or not shutil.which("mpirun")):
                rows.append((label, None))
                continue
            rows.append((label, timed([str(c) for c in command])))
    base = rows[0][1]
    lines = [f"# Sweep throughput ({datetime.date.today()}, {os.cpu_count()} cores)", "",
             f"{runs} runs of scenarios/baseline.toml (10,000 customers, 40 quarters, Watts-Strogatz network), "
             "a Latin-hypercube sweep over the price; wall time includes writing each run's part and the merged file.",
             "", "| configuration | wall time (s) | runs per hour | speed-up | parallel efficiency |", "|---|---|---|---|---|"]
    for label, seconds in rows:
        if seconds is None:
            lines.append(f"| {label} | not built | | | |")
            continue
        workers = 1 if label.startswith("1 ") else 2
        lines.append(f"| {label} | {seconds:.2f} | {runs / seconds * 3600:,.0f} | {base / seconds:.2f} | "
                     f"{base / seconds / workers:.0%} |")
    out = ROOT / "bench" / "results" / "sweep_throughput.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
