#!/usr/bin/python3
"""The customer-step benchmark (issue 8), one command: make bench.

Runs, on this machine and in one go:
  1. a STREAM-style triad (fulcrum_bench triad), on 1 and 2 threads: the memory bandwidth to compare with;
     and the latency of a dependent load at random over arrays of 0.5 MB to 512 MB (fulcrum_bench latency);
     and the perception kernels, vector and scalar, on one block warm in cache (fulcrum_bench perception);
  2. the engine's customer step (fulcrum_bench step, bench/customer_step.toml) for 10^4 .. 10^7
     customers, on Watts-Strogatz and Barabasi-Albert graphs of mean degree 10, in the generator's
     (default), locality (reverse Cuthill-McKee) and random vertex order, on 1 and 2 threads, one
     process per configuration;
  3. the same 10^7-customer, 40-quarter run end to end on 2 threads in the default vertex order (as
     generated), HDF5 file included;
  4. the same model written as a researcher would otherwise write it, NumPy and Numba
     (bench/customer_model.py), single-threaded, for the same sizes (up to 10^6).
and writes the tables to bench/results/latest.md (and the raw measurements beside it, latest.json).
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "bench" / "customer_step.toml"
GRAPHS = {"watts_strogatz": "WS", "barabasi_albert": "BA"}
DEFAULT_ORDER = "none"  # network.order's default: the generator's own order
# The generator's order first: it is what a scenario gets unless it asks for another, and the only one
# in which a Watts-Strogatz market is kept as a ring outline (models/network.hpp).
ORDERS = {DEFAULT_ORDER: "generated (default)", "rcm": "locality (RCM)", "random": "random"}
# This virtual machine's timings vary by about 10% from one run to the next: up to 10^6 customers each
# configuration runs this many times and the fastest stepping counts (10^7 runs take minutes: once).
REPEATS = 3
REPEATED_UP_TO = 10**6

# Bytes of customer state (sim/customer_state.hpp: status 1, firm 2, segment 2, nine 4-byte columns,
# issues 1) plus word of mouth (voice key 1, two 8-byte neighbour totals).
STATE_BYTES = 1 + 2 + 2 + 9 * 4 + 1 + 1 + 2 * 8


def run_json(command, timeout=3600):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, command))}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def engine_command(bench, population, graph, order, threads, output=None):
    command = [bench, "step", SCENARIO, "--threads", threads, "--set", f"market.population={population}",
               "--set", f"network.kind={graph}", "--set", f"network.order={order}"]
    return command + ["--output", output] if output else command


def fastest(runs, graph, order):
    result = dict(min(runs, key=lambda run: run["step_seconds"]))
    result.update(graph=graph, order=order, repeats=len(runs), step_seconds_all=[run["step_seconds"] for run in runs])
    return result


def engine_steps(bench, population, graph, order, thread_counts):
    """The fastest of REPEATS runs for each thread count, the thread counts taking turns: this machine's
    speed drifts over minutes, and runs side by side in time make the speed-up a fair ratio."""
    repeats = REPEATS if population <= REPEATED_UP_TO else 1
    runs = {threads: [] for threads in thread_counts}
    for _ in range(repeats):
        for threads in thread_counts:
            runs[threads].append(run_json(engine_command(bench, population, graph, order, threads)))
    return [fastest(runs[threads], graph, order) for threads in thread_counts]


def engine_step(bench, population, graph, order, threads, output=None):
    return fastest([run_json(engine_command(bench, population, graph, order, threads, output))], graph, order)


def python_step(implementation, population, quarters, parameters):
    result = run_json(["/usr/bin/python3", ROOT / "bench" / "customer_model.py", "--impl", implementation,
                       "--population", population, "--quarters", quarters, "--parameters", parameters])
    return result


def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def commit():
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(ROOT / "build"), help="CMake build folder with fulcrum_bench")
    parser.add_argument("--quick", action="store_true", help="sizes up to 10^5 only (a smoke test of the benchmark)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "latest.md"))
    arguments = parser.parse_args()
    bench = pathlib.Path(arguments.build) / "fulcrum_bench"
    if not bench.exists():
        raise SystemExit(f"{bench} is missing: run make build first")
    sizes = [10**4, 10**5] if arguments.quick else [10**4, 10**5, 10**6, 10**7]
    python_sizes = [s for s in sizes if s <= 10**6]
    quarters = 40

    measurements = {"machine": machine(), "commit": commit(), "date": datetime.date.today().isoformat(),
                    "triad": [], "latency": [], "perception": [], "engine": [], "end_to_end": None, "python": []}
    for threads in (1, 2):
        measurements["triad"].append(run_json([bench, "triad", "--threads", threads, "--megabytes",
                                               80 if arguments.quick else 800]))
        print(f"triad, {threads} thread(s): {measurements['triad'][-1]['bytes_per_second'] / 1e9:.1f} GB/s", flush=True)
    for megabytes in (0.5, 16) if arguments.quick else (0.5, 16, 128, 512):
        measurements["latency"].append(run_json([bench, "latency", "--megabytes", megabytes]))
        print(f"latency, {megabytes} MB: {measurements['latency'][-1]['nanoseconds_per_load']:.0f} ns", flush=True)
    for active in (0.26, 1.0):
        measurements["perception"].append(run_json([bench, "perception", "--active", active,
                                                    "--repeats", 200 if arguments.quick else 2000]))
        print(f"perception, {active:.0%} active: {measurements['perception'][-1]['scalar_over_fastest']:.2f}x "
              "the scalar path", flush=True)
    for population in sizes:
        for graph in GRAPHS:
            for order in ORDERS:
                for result in engine_steps(bench, population, graph, order, (1, 2)):
                    measurements["engine"].append(result)
                    print(f"engine {population:>9} {GRAPHS[graph]} {order:6} {result['threads']} thread(s): "
                          f"{result['updates_per_second'] / 1e6:7.1f} M updates/s", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        largest = sizes[-1]
        measurements["end_to_end"] = engine_step(bench, largest, "watts_strogatz", DEFAULT_ORDER, 2,
                                                 output=pathlib.Path(scratch) / "end_to_end.h5")
        # The NumPy and Numba models read the engine's resolved parameters from a small run's file.
        parameters = pathlib.Path(scratch) / "parameters.h5"
        subprocess.run([pathlib.Path(arguments.build) / "fulcrum", "run", SCENARIO, "--set", "market.population=1000",
                        "--quiet", "-o", parameters], check=True, cwd=ROOT)
        for population in python_sizes:
            for implementation in ("numpy", "numba"):
                result = python_step(implementation, population, quarters, parameters)
                measurements["python"].append(result)
                print(f"{implementation:6} {population:>9}: {result['updates_per_second'] / 1e6:7.2f} M updates/s",
                      flush=True)

    output = pathlib.Path(arguments.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report(measurements))
    output.with_suffix(".json").write_text(json.dumps(measurements, indent=1) + "\n")
    print(f"wrote {output}")


PHASES = {"churn": "churn", "word_of_mouth": "word of mouth", "adoption": "adoption", "issues": "issues",
          "perception": "perception", "books": "census and books", "planning": "planning",
          "interventions": "interventions"}


def report(m):
    triad = {t["threads"]: t["bytes_per_second"] for t in m["triad"]}
    lines = [
        "# Customer-step benchmark",
        "",
        f"`make bench` on {m['date']}, commit {m['commit']}: {m['machine']}.",
        "The model is bench/customer_step.toml (the full customer model of one segment: expectation, experience,",
        "satisfaction, trust, word of mouth over the graph, churn draws, wallet; 4 adoption sub-steps), 40 quarters.",
        "An update is one customer living one quarter. Set-up is building the market (graph and vertex order) and",
        "placing the initial customers; stepping is the 40 quarters (the fastest of "
        f"{REPEATS} runs up to {REPEATED_UP_TO:,} customers, the 1- and 2-thread runs taking turns, as",
        "timings on this virtual machine drift by up to 40% over minutes; one run at 10^7; every run's time is in",
        "latest.json); the HDF5 file is timed apart. Memory is the",
        "process's peak RSS over the whole run less its RSS before the market was built (libraries, ~12 MB),",
        "per customer; the limit is issue 8's, 128 bytes per customer plus 8 per directed edge.",
        "",
        "## Memory bandwidth (STREAM-style triad, a[i] = b[i] + s c[i], 24 bytes per element)",
        "",
        "| threads | GB/s |",
        "|---:|---:|",
    ]
    for threads, rate in sorted(triad.items()):
        lines.append(f"| {threads} | {rate / 1e9:.1f} |")
    lines += [
        "",
        "## Memory latency (a load whose address the load before gives, at random over the array)",
        "",
        "What a pass waits for at a customer whose neighbours' totals or row it has not asked for ahead; a",
        "million customers' hot state is tens of MB, ten million's hundreds.",
        "",
        "| array MB | ns per load |",
        "|---:|---:|",
    ]
    for latency in m.get("latency", []):
        lines.append(f"| {latency['array_bytes'] / 1e6:g} | {latency['nanoseconds_per_load']:.0f} |")
    lines += [
        "",
        "## Perception kernel, warm in cache",
        "",
        "One block of 4,096 customers of one segment and firm, perceived over and over (the fastest of five",
        "rounds): the kernel's own work, without waiting on memory. 26 % active is the mean share over the",
        "benchmark's 40 quarters. The ratio is within one run; the times drift with this machine's speed.",
        "",
        "| active customers | vector ns per active customer | scalar ns | scalar / vector |",
        "|---:|---:|---:|---:|",
    ]
    for kernel in m.get("perception", []):
        lines.append(f"| {kernel['active']:,} | {kernel['fastest_ns_per_active_customer']:.1f} | "
                     f"{kernel['scalar_ns_per_active_customer']:.1f} | {kernel['scalar_over_fastest']:.2f} |")
    lines += [
        "",
        "## The engine",
        "",
        f"Bandwidth fraction: the traffic a perfectly fused step would need, one read and one write of each",
        f"customer's {STATE_BYTES} bytes of state and one read of its 4-byte neighbour ids, times updates/s, over",
        "the triad bandwidth of the same thread count.",
        "",
        "| customers | graph | order | threads | set-up s | stepping s | M updates/s | per core | speed-up | "
        "bandwidth fraction | peak B/customer | limit B/customer |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    single = {(r["population"], r["graph"], r["order"]): r for r in m["engine"] if r["threads"] == 1}
    for r in m["engine"]:
        population, threads = r["population"], r["threads"]
        degree = r["directed_edges"] / population
        traffic = (2 * STATE_BYTES + 4 * degree) * r["updates_per_second"]
        base = single[(population, r["graph"], r["order"])]
        speedup = r["updates_per_second"] / base["updates_per_second"]
        limit = 128 + 8 * degree  # issue 8: 128 bytes per customer plus 8 per directed edge
        lines.append(
            f"| {population:,} | {GRAPHS[r['graph']]} | {ORDERS[r['order']]} | {threads} | "
            f"{r['market_seconds'] + r['world_seconds']:.2f} | {r['step_seconds']:.2f} | "
            f"{r['updates_per_second'] / 1e6:.1f} | {r['updates_per_second'] / threads / 1e6:.1f} | {speedup:.2f} | "
            f"{traffic / triad[threads]:.3f} | {(r['peak_rss_bytes'] - r['rss_before_market_bytes']) / population:.0f} | "
            f"{limit:.0f} |")
    lines += [
        "",
        "## Where the stepping time goes (seconds over the 40 quarters, by phase)",
        "",
        "Timed by the engine around each phase of the quarter (phase_seconds in latest.json); word of mouth is",
        "the spreading of voice changes to neighbours' totals, counted apart from the phases that call for",
        "it. The keys themselves are refreshed within the block passes that change them (churn's for what",
        "perception and churn changed, adoption's for the new customers), and with no programme running the",
        "census is counted within perception's, so their time is in those columns. Watts-Strogatz in",
        "the default (generated) order.",
        "",
        "| customers | threads | " + " | ".join(PHASES.values()) + " |",
        "|---:|---:|" + "---:|" * len(PHASES),
    ]
    for r in m["engine"]:
        if r["graph"] != "watts_strogatz" or r["order"] != DEFAULT_ORDER or r["population"] < 10**6 or "phase_seconds" not in r:
            continue
        phases = r["phase_seconds"]
        lines.append(f"| {r['population']:,} | {r['threads']} | " +
                     " | ".join(f"{phases[name]:.3f}" for name in PHASES) + " |")
    e = m["end_to_end"]
    lines += [
        "",
        f"## End to end: {e['population']:,} customers x {e['quarters']} quarters, Watts-Strogatz in the default "
        "(generated) order, 2 threads",
        "",
        "| set-up s | stepping s | HDF5 s | total s |",
        "|---:|---:|---:|---:|",
        f"| {e['market_seconds'] + e['world_seconds']:.2f} | {e['step_seconds']:.2f} | {e['write_seconds']:.2f} | "
        f"{e['market_seconds'] + e['world_seconds'] + e['step_seconds'] + e['write_seconds']:.2f} |",
        "",
        "## Side by side: the same model in NumPy and Numba (single thread, Watts-Strogatz)",
        "",
        "Numba's compile time is excluded (it is reported in latest.json); the engine's figure is its 1-thread",
        "run on the same graph kind in locality order.",
        "",
        "| customers | engine M updates/s | NumPy M updates/s | Numba M updates/s | engine / NumPy | engine / Numba |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    by_size = {}
    for r in m["python"]:
        by_size.setdefault(r["population"], {})[r["impl"]] = r["updates_per_second"]
    for population, rates in sorted(by_size.items()):
        engine = single[(population, "watts_strogatz", "rcm")]["updates_per_second"]
        lines.append(f"| {population:,} | {engine / 1e6:.1f} | {rates['numpy'] / 1e6:.2f} | {rates['numba'] / 1e6:.2f} | "
                     f"{engine / rates['numpy']:.1f} | {engine / rates['numba']:.1f} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
