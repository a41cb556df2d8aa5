"""`make bench` (bench/run_benchmarks.py) still runs on this build and writes every table it promises
(issue 8): the smallest sizes only (--quick), to a scratch file, checked for each section and for a
number in each of its rows. The figures themselves are not judged: timings belong to benchmarks, not
tests."""
import json
import os
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("FULCRUM_BUILD_DIR", str(ROOT / "build")))

SECTIONS = ["## Memory bandwidth", "## Memory latency", "## Perception kernel", "## The engine", "## Where the stepping time goes",
            "## End to end", "## Side by side"]


def test_the_quick_benchmark_writes_every_table(tmp_path):
    output = tmp_path / "latest.md"
    subprocess.run(["/usr/bin/python3", ROOT / "bench" / "run_benchmarks.py", "--quick", "--build", BUILD,
                    "--output", output], check=True, cwd=ROOT, capture_output=True, timeout=600)
    report = output.read_text()
    for section in SECTIONS:
        assert section in report, section
    raw = json.loads(output.with_suffix(".json").read_text())
    assert [t["threads"] for t in raw["triad"]] == [1, 2]
    assert all(t["bytes_per_second"] > 0 for t in raw["triad"])
    assert [round(l["array_bytes"] / 1e6, 1) for l in raw["latency"]] == [0.5, 16.0]
    assert all(l["nanoseconds_per_load"] > 0 for l in raw["latency"])
    assert [k["customers"] for k in raw["perception"]] == [4096, 4096]
    assert raw["perception"][0]["active"] < raw["perception"][1]["active"] == 4096
    assert all(k["fastest_ns_per_active_customer"] > 0 and k["scalar_ns_per_active_customer"] > 0
               for k in raw["perception"])
    # 2 sizes x 2 graphs x 3 orders x 2 thread counts, each with its phases.
    assert len(raw["engine"]) == 24
    assert all(r["updates_per_second"] > 0 and r["phase_seconds"]["adoption"] > 0 for r in raw["engine"])
    assert raw["end_to_end"]["write_seconds"] > 0
    assert {(r["impl"], r["population"]) for r in raw["python"]} == {
        (impl, size) for impl in ("numpy", "numba") for size in (10**4, 10**5)}
    # Every row of the engine's table has its rate and memory filled in.
    engine_rows = [line for line in report.splitlines() if re.match(r"\| [0-9,]+ \| (WS|BA) \|", line)]
    assert len(engine_rows) == 24
    for row in engine_rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert all(re.fullmatch(r"[0-9.,]+", cell) for cell in cells[3:]), row
