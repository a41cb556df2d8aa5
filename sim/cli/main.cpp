// fulcrum: the command-line front end. Parses arguments, catches every error once, maps it to an
// exit code: 0 success, 1 failure while running or writing, 2 bad input (scenario, override, flag).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "models/network.hpp"
#include "sim/cli/progress.hpp"
#ifdef FULCRUM_WITH_MPI
#include "sim/cli/mpi.hpp"
#endif
#include "sim/cli/summary.hpp"
#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/results_writer.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"
#include "sim/sweep.hpp"
#include "sim/sweep_runner.hpp"
#include "sim/world.hpp"
#include "sim/populate.hpp"

namespace fs = std::filesystem;
using namespace fulcrum;

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

// Refuses runs whose memory would exceed a laptop's unless --allow-large, saying how much they need.
void check_size(const Scenario& scenario, std::int64_t concurrent_runs, bool allow_large) {
  const MemoryEstimate estimate = estimate_memory(scenario, concurrent_runs);
  constexpr double kLimit = 4.0 * 1024 * 1024 * 1024;  // bytes
  if (estimate.total_bytes > kLimit && !allow_large) {
    throw InputError({"market.population"}, "",
                     fmt::format("this run needs about {:.1f} GiB of memory ({:.0f} bytes per customer x {} customers x {} "
                                 "runs at once, plus {:.1f} GiB of results); add --allow-large to go ahead",
                                 estimate.total_bytes / 1073741824.0, estimate.bytes_per_customer,
                                 scenario.market.population, concurrent_runs, estimate.results_bytes / 1073741824.0));
  }
}

struct RunArguments {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  std::string counterfactual;
  std::optional<std::int64_t> replicates;
  std::optional<std::int64_t> seed;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quiet = false;
  bool force = false;
  bool allow_large = false;
};

int run_command(const RunArguments& arguments) {
  // --counterfactual "a=1; b=2": assignments separated by ';'.
  std::vector<std::string> counterfactual;
  std::size_t start = 0;
  while (start <= arguments.counterfactual.size() && !arguments.counterfactual.empty()) {
    const auto end = std::min(arguments.counterfactual.find(';', start), arguments.counterfactual.size());
    std::string piece = arguments.counterfactual.substr(start, end - start);
    if (piece.find_first_not_of(" \t") != std::string::npos) counterfactual.push_back(piece);
    start = end + 1;
  }
  Scenario scenario = load_scenario(arguments.scenario, arguments.overrides, counterfactual);
  if (arguments.replicates) set_parameter(scenario, "simulation.replicates", *arguments.replicates, "--replicates");
  if (arguments.seed) set_parameter(scenario, "simulation.seed", *arguments.seed, "--seed");
  if (arguments.threads < 1 || arguments.threads > 1024) {
    throw InputError({"--threads"}, "", fmt::format("{} threads is outside the allowed range [1, 1024]", arguments.threads));
  }
  const fs::path output = arguments.output.empty() ? fs::path(fs::path(arguments.scenario).stem().string() + ".h5")
                                                   : fs::path(arguments.output);
  check_new_output(output, arguments.force);
  check_size(scenario, std::min<std::int64_t>(arguments.threads, scenario.simulation.replicates), arguments.allow_large);

  cli::ProgressBar progress(!arguments.quiet && ::isatty(STDOUT_FILENO) == 1, "quarters");
  RunOptions options;
  options.threads = arguments.threads;
  options.progress = [&progress](std::int64_t done, std::int64_t total) { progress.update(done, total); };
  const EnsembleResults results = run_ensemble(scenario, options);
  progress.finish();
  write_results(results, output);
  if (!arguments.quiet) {
    std::cout << cli::summarise(results, arguments.scenario) << "\nResults written to " << output.string() << "\n";
  }
  return 0;
}

struct SweepArguments {
  std::string file;
  std::string output;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool quiet = false;
  bool resume = false;
  double refresh_seconds = 5.0;
  bool force = false;
  bool allow_large = false;
};

#ifdef FULCRUM_WITH_MPI
cli::MpiSession* mpi = nullptr;  // set in main when built with MPI
#endif

int sweep_command(const SweepArguments& arguments) {
  const Sweep sweep = load_sweep(arguments.file);
  const std::vector<Scenario> points = sweep_scenarios(sweep);
  for (std::size_t i = 0; i < points.size(); ++i) check_consistency(points[i], fmt::format("{} (design point {})", arguments.file, i));
  const fs::path output = arguments.output.empty() ? fs::path(fs::path(arguments.file).stem().string() + ".h5")
                                                   : fs::path(arguments.output);
  // An interrupted sweep's refreshed output is its own: run_sweep asks for --resume instead.
  std::error_code ignored;
  const bool interrupted = fs::exists(output.string() + ".parts", ignored);
  check_new_output(output, arguments.force || arguments.resume || interrupted);
  for (const Scenario& point : points) check_size(point, arguments.threads, arguments.allow_large);
  bool lead = true;  // the process that reports and writes the output
  SweepRunOptions options;
#ifdef FULCRUM_WITH_MPI
  if (mpi && mpi->size() > 1) {
    lead = mpi->rank() == 0;
    options.claim_run = [] { return mpi->claim_run(); };
    options.writes_output = lead;
    options.synchronise = [] { mpi->barrier(); };
  }
#endif
  cli::ProgressBar progress(lead && !arguments.quiet && ::isatty(STDOUT_FILENO) == 1, "runs");
  options.threads = arguments.threads;
  options.resume = arguments.resume;
  options.refresh_seconds = arguments.refresh_seconds;
  // The engine counts quarters; a sweep shows runs done, runs per second and the time left.
  const std::int64_t quarters = sweep.base.simulation.quarters;
  options.progress = [&progress, quarters](std::int64_t done, std::int64_t total) {
    progress.update(done / quarters, total / quarters);
  };
  const auto started = std::chrono::steady_clock::now();
  const EnsembleResults results = run_sweep(sweep, arguments.file, output, options);
  progress.finish();
  if (lead && !arguments.quiet) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto runs = static_cast<double>(results.points * results.replicates);
    std::cout << fmt::format("{}: {} design, {} points x {} replicates = {} runs in {:.1f} s ({:.1f} runs/s)\n"
                             "Results written to {}\n",
                             arguments.file, results.design_kind, results.points, results.replicates, runs, seconds,
                             runs / std::max(seconds, 1e-9), output.string());
  }
  return 0;
}

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& overrides) {
  int status = 0;
  for (const auto& file : files) {
    try {
      if (is_sweep_file(file)) {
        for (const Scenario& point : sweep_scenarios(load_sweep(file))) check_consistency(point, file);
      } else {
        load_scenario(file, overrides);
      }
      std::cout << "ok: " << file << "\n";
    } catch (const InputError& error) {
      std::cerr << "error: " << error.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

std::string escape_markdown(std::string text) {
  std::string out;
  for (const char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int params_command(const std::string& format) {
  // Every registered parameter, then the share every segment must have.
  std::vector<const ParameterSpec*> listed;
  for (const ParameterSpec& spec : parameter_registry()) listed.push_back(&spec);
  listed.push_back(&segment_share_parameter());
  const auto shown_default = [](const ParameterSpec& spec) {
    return &spec == &segment_share_parameter() ? std::string("required") : format_value(spec.default_value);
  };
  if (format == "json") {
    std::cout << "[\n";
    for (std::size_t i = 0; i < listed.size(); ++i) {
      const ParameterSpec& spec = *listed[i];
      const std::string default_value = &spec == &segment_share_parameter() ? "null" : format_value(spec.default_value);
      std::cout << fmt::format(
          "  {{\"path\": {}, \"type\": {}, \"default\": {}, \"unit\": {}, \"range\": {}, \"per_segment\": {}, "
          "\"description\": {}}}{}\n",
          json_string(spec.path), json_string(std::string(type_name(spec.type))), default_value,
          json_string(spec.unit), json_string(spec.allowed_range()), spec.per_segment ? "true" : "false",
          json_string(spec.description), i + 1 < listed.size() ? "," : "");
    }
    std::cout << "]\n";
  } else if (format == "markdown") {
    std::cout << "# Scenario parameters\n\n"
                 "Generated from the parameter registry (`sim/parameters.cpp`) by `fulcrum params --format "
                 "markdown`; do not edit by hand. Set them in a scenario file (`[table]` then `key = value`) "
                 "or with `--set path=value`. Parameters marked *per segment* can also be set for one segment "
                 "as `segments.<name>.<path>` (e.g. `segments.price_sensitive.customers.price_sensitivity`).\n\n"
                 "| path | type | default | unit | allowed | per segment | description |\n"
                 "|---|---|---|---|---|---|---|\n";
    for (const ParameterSpec* spec : listed) {
      std::cout << fmt::format("| `{}` | {} | `{}` | {} | {} | {} | {} |\n", spec->path, type_name(spec->type),
                               shown_default(*spec), escape_markdown(spec->unit),
                               escape_markdown(spec->allowed_range()), spec->per_segment ? "yes" : "",
                               escape_markdown(spec->description));
    }
  } else {
    for (const ParameterSpec* spec : listed) {
      std::cout << fmt::format("{}  ({}, default {}{}{}{})\n    {}\n", spec->path, type_name(spec->type),
                               shown_default(*spec), spec->unit.empty() ? "" : ", unit " + spec->unit,
                               spec->allowed_range().empty() ? "" : ", allowed " + spec->allowed_range(),
                               spec->per_segment ? ", per segment" : "", spec->description);
    }
  }
  return 0;
}

int network_command(const std::string& file, const std::vector<std::string>& overrides, std::int64_t sources, int threads) {
  const Scenario scenario = load_scenario(file, overrides);
  const auto started = std::chrono::steady_clock::now();
  const Market market = build_market(scenario, threads);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const NetworkStatistics stats =
      measure_network(market.network, market.segment_of, sources, static_cast<std::uint64_t>(scenario.network.seed), threads);
  std::cout << fmt::format("network of {}: {} ({} customers, built in {:.2f} s)\n", file,
                           std::get<std::string>(find_parameter("network.kind")->read(scenario)), stats.vertices, seconds);
  std::cout << fmt::format("  edges              {}\n", stats.edges);
  std::cout << fmt::format("  degree             mean {:.3f}, sd {:.3f}, min {}, max {}\n", stats.mean_degree,
                           stats.degree_sd, stats.min_degree, stats.max_degree);
  std::cout << fmt::format("  clustering         {:.4f} (mean local coefficient)\n", stats.clustering);
  std::cout << fmt::format("  mean path length   {:.3f} (breadth-first from {} sources)\n", stats.mean_path_length,
                           stats.path_sources);
  if (market.segments.size() > 1) {
    std::cout << fmt::format("  within-segment     {:.1f}% of edges join customers of the same segment\n",
                             100.0 * stats.within_block_edge_share);
  }
  std::cout << fmt::format("  largest component  at least {:.1f}% of customers\n", 100.0 * stats.largest_component_share);
  if (!stats.degree_histogram.empty()) {
    std::cout << "  degree distribution (degree: customers)\n";
    std::int64_t shown = 0;
    for (std::size_t degree = 0; degree < stats.degree_histogram.size() && shown < 40; ++degree) {
      if (stats.degree_histogram[degree] == 0) continue;
      std::cout << fmt::format("    {:>6}: {}\n", degree, stats.degree_histogram[degree]);
      ++shown;
    }
    if (shown == 40) std::cout << "    ... (first 40 degrees shown)\n";
  }
  return 0;
}

// `fulcrum report ...` is the Python package's report (python3 -m fulcrum report ...), run with Debian's
// interpreter and this build's package and engine module on its path.
int report_command(int argc, char** argv) {
  const std::string analysis = FULCRUM_ANALYSIS_DIR;
  const char* existing = std::getenv("PYTHONPATH");
  const std::string python_path = existing && *existing ? analysis + ":" + existing : analysis;
  ::setenv("PYTHONPATH", python_path.c_str(), 1);
  ::setenv("FULCRUM_BUILD_DIR", FULCRUM_BUILD_DIR, 0);
  std::vector<std::string> arguments{"/usr/bin/python3", "-m", "fulcrum"};
  for (int i = 1; i < argc; ++i) arguments.emplace_back(argv[i]);
  std::vector<char*> pointers;
  for (auto& argument : arguments) pointers.push_back(argument.data());
  pointers.push_back(nullptr);
  ::execv(pointers[0], pointers.data());
  std::cerr << "error: cannot run /usr/bin/python3 for the report: " << std::strerror(errno) << "\n";
  return kExitFailure;
}

}  // namespace

// An error's exit code; under MPI with several ranks, every rank ends with it (no rank left waiting).
int fail(int code) {
#ifdef FULCRUM_WITH_MPI
  if (mpi && mpi->size() > 1) mpi->abort(code);
#endif
  return code;
}

int main(int argc, char** argv) {
  fulcrum::keep_freed_memory();
  if (argc > 1 && std::string_view(argv[1]) == "report") return report_command(argc, argv);
#ifdef FULCRUM_WITH_MPI
  cli::MpiSession session(argc, argv);
  mpi = &session;
#endif
  CLI::App app{"fulcrum: agent-based simulation of the balance between customer value and business value"};
  app.set_version_flag("--version", FULCRUM_VERSION);
  app.require_subcommand(1);

  RunArguments run;
  CLI::App* run_app = app.add_subcommand("run", "Run a scenario and write its trajectories to HDF5");
  run_app->add_option("scenario", run.scenario, "Scenario file (TOML)")->required();
  run_app->add_option("-o,--output", run.output, "Output HDF5 file (default: <scenario name>.h5)");
  run_app->add_option("--set", run.overrides, "Override a parameter: path=value (repeatable)");
  run_app->add_option("--counterfactual", run.counterfactual,
                      "Also run this alternative with the same random numbers: \"path=value; path=value\"");
  run_app->add_option("--replicates", run.replicates, "Number of replicates (sets simulation.replicates)");
  run_app->add_option("--seed", run.seed, "Root seed (sets simulation.seed)");
  run_app->add_option("--threads", run.threads, "Worker threads; results do not depend on it");
  run_app->add_flag("--quiet", run.quiet, "No progress bar and no summary");
  run_app->add_flag("--force", run.force, "Replace an existing output file (only once the new one is complete)");
  run_app->add_flag("--allow-large", run.allow_large, "Run even if it needs more than 4 GiB of memory");

  std::vector<std::string> validate_files;
  std::vector<std::string> validate_overrides;
  CLI::App* validate_app = app.add_subcommand("validate", "Check scenario files without running them");
  validate_app->add_option("files", validate_files, "Scenario files")->required();
  validate_app->add_option("--set", validate_overrides, "Override a parameter: path=value (repeatable)");

  std::string params_format = "text";
  CLI::App* params_app = app.add_subcommand("params", "List every parameter: path, type, default, unit, range");
  params_app->add_option("--format", params_format, "text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));

  app.add_subcommand("report", "Write one HTML report comparing result files: fulcrum report A.h5 [B.h5 ...] -o report.html")
      ->allow_extras();

  SweepArguments sweep;
  CLI::App* sweep_app = app.add_subcommand("sweep", "Run a sweep file (design points x replicates) into one HDF5 file");
  sweep_app->add_option("sweep", sweep.file, "Sweep file (TOML)")->required();
  sweep_app->add_option("-o,--output", sweep.output, "Output HDF5 file (default: <sweep name>.h5)");
  sweep_app->add_option("--threads", sweep.threads, "Worker threads; results do not depend on it")->check(CLI::Range(1, 1024));
  sweep_app->add_flag("--quiet", sweep.quiet, "No progress bar and no summary");
  sweep_app->add_flag("--resume", sweep.resume, "Complete an interrupted sweep: only the runs missing are done");
  sweep_app->add_flag("--force", sweep.force, "Replace an existing output file (only once the new one is complete)");
  sweep_app->add_flag("--allow-large", sweep.allow_large, "Run even if it needs more than 4 GiB of memory");
  sweep_app->add_option("--refresh", sweep.refresh_seconds, "Seconds between rewrites of the output while running")
      ->check(CLI::Range(0.0, 3600.0));

  std::string network_file;
  std::vector<std::string> network_overrides;
  std::int64_t network_sources = 200;
  int network_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CLI::App* network_app =
      app.add_subcommand("network", "Build a scenario's social network and report degree, clustering, path length");
  network_app->add_option("scenario", network_file, "Scenario file (TOML)")->required();
  network_app->add_option("--set", network_overrides, "Override a parameter: path=value (repeatable)");
  network_app->add_option("--sources", network_sources, "Breadth-first sources for the mean path length")
      ->check(CLI::Range(1, 1000000));
  network_app->add_option("--threads", network_threads, "Threads building and measuring the network; the same for any number")
      ->check(CLI::Range(1, 1024));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*run_app) return run_command(run);
    if (*validate_app) return validate_command(validate_files, validate_overrides);
    if (*params_app) return params_command(params_format);
    if (*sweep_app) return sweep_command(sweep);
    if (*network_app) return network_command(network_file, network_overrides, network_sources, network_threads);
  } catch (const InputError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return fail(kExitBadInput);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return fail(kExitFailure);
  }
  return 0;
}
