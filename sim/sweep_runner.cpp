#include "sim/sweep_runner.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>

#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/results_writer.hpp"
#include "sim/simulation.hpp"

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

fs::path parts_folder(const fs::path& output) { return fs::path(output.string() + ".parts"); }

fs::path part_path(const fs::path& folder, std::int64_t point, std::int64_t replicate) {
  return folder / fmt::format("run-{}-{}.h5", point, replicate);
}

// What makes two sweeps the same: the sweep file and the resolved base scenario.
std::string identity(const fs::path& sweep_file, const Sweep& sweep) {
  std::ifstream stream(sweep_file);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str() + "\n# --- base scenario ---\n" + scenario_as_toml(sweep.base);
}

void write_atomically(const fs::path& path, const std::string& text) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream stream(temporary, std::ios::binary);
    stream << text;
    if (!stream.flush()) throw RuntimeFailure(fmt::format("cannot write '{}'", temporary.string()));
  }
  fs::rename(temporary, path);
}

}  // namespace

EnsembleResults run_sweep(const Sweep& sweep, const fs::path& sweep_file, const fs::path& output,
                          const SweepRunOptions& options) {
  const fs::path folder = parts_folder(output);
  const fs::path manifest = folder / "sweep.identity";
  const std::string sweep_identity = identity(sweep_file, sweep);
  std::error_code error;
  if (!options.writes_output) {
    // Another process sets the folder up; wait for it, then work from what is there.
  } else if (fs::exists(folder, error)) {
    if (!options.resume) {
      throw InputError({folder.string()}, "",
                       "an interrupted sweep left its finished runs here: add --resume to complete it, or delete "
                       "the folder to start again");
    }
    std::ifstream stream(manifest);
    std::ostringstream text;
    text << stream.rdbuf();
    if (text.str() != sweep_identity) {
      throw InputError({folder.string()}, "", "these finished runs belong to a different sweep or scenario: delete "
                                              "the folder to start again");
    }
  } else {
    if (options.resume) throw InputError({folder.string()}, "", "nothing to resume: no interrupted sweep for this output");
    fs::create_directories(folder);
    write_atomically(manifest, sweep_identity);
  }
  if (options.synchronise) options.synchronise();

  const std::vector<Scenario> points = sweep_scenarios(sweep);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < points.size(); ++i) names.push_back(fmt::format("point {}", i));
  const std::int64_t replicates = sweep.base.simulation.replicates;
  const auto runs = static_cast<std::size_t>(static_cast<std::int64_t>(points.size()) * replicates);
  // Finished runs are the parts on disk: every process sees the others' as soon as they are renamed in.
  std::vector<std::uint8_t> finished(runs, 0);
  const auto scan = [&]() {
    for (std::size_t run = 0; run < runs; ++run) {
      std::error_code ignored;
      finished[run] = fs::exists(part_path(folder, static_cast<std::int64_t>(run) / replicates,
                                           static_cast<std::int64_t>(run) % replicates), ignored) ? 1 : 0;
    }
  };
  scan();
  const std::vector<std::uint8_t> finished_before = finished;

  // The results file as the finished runs make it: read back from their parts, the rest NaN.
  std::mutex mutex;  // guards `finished` and the refreshes
  const auto assemble = [&](const EnsembleResults& shape) {
    EnsembleResults merged = shape;
    merged.runs.clear();
    for (std::size_t run = 0; run < runs; ++run) {
      if (finished[run]) {
        merged.runs.push_back(read_run(part_path(folder, static_cast<std::int64_t>(run) / replicates,
                                                 static_cast<std::int64_t>(run) % replicates),
                                       shape.quarters_recorded, static_cast<std::int64_t>(shape.firm_names.size()),
                                       static_cast<std::int64_t>(shape.segment_names.size())));
      } else {
        Trajectory missing(shape.quarters_recorded, static_cast<std::int64_t>(shape.firm_names.size()),
                           static_cast<std::int64_t>(shape.segment_names.size()));
        missing.mark_missing();
        merged.runs.push_back(std::move(missing));
      }
    }
    merged.runs_finished = std::find(finished.begin(), finished.end(), 0) == finished.end() ? std::vector<std::uint8_t>{}
                                                                                           : finished;
    return merged;
  };

  EnsembleResults shape;  // names, design and sizes, known once the first run ends
  bool shape_known = false;
  auto last_refresh = std::chrono::steady_clock::now();
  RunOptions run_options;
  run_options.threads = options.threads;
  run_options.progress = options.progress;
  run_options.claim_run = options.claim_run;
  run_options.should_run = [&](std::int64_t point, std::int64_t replicate) {
    return finished_before[static_cast<std::size_t>(point * replicates + replicate)] == 0;
  };
  const auto describe = [&](EnsembleResults& results) {
    results.design_kind = std::string(design_name(sweep.design));
    results.design_parameters.clear();
    for (const auto& parameter : sweep.parameters) results.design_parameters.push_back(parameter.path);
    results.design_values = sweep.values;
  };
  run_options.on_run_finished = [&](std::int64_t point, std::int64_t replicate, const Trajectory& trajectory) {
    // One run as a results file of its own: point 0, replicate 0.
    EnsembleResults single;
    single.scenario = points[static_cast<std::size_t>(point)];
    single.points = 1;
    single.replicates = 1;
    single.quarters_recorded = trajectory.quarters_recorded();
    single.point_names = {names[static_cast<std::size_t>(point)]};
    for (const Scenario& firm : firm_scenarios(single.scenario)) single.firm_names.push_back(firm.firm.name);
    for (const Segment& segment : resolve_segments(single.scenario)) single.segment_names.push_back(segment.name);
    single.runs.push_back(trajectory);
    write_results(single, part_path(folder, point, replicate));
    const std::lock_guard lock(mutex);
    finished[static_cast<std::size_t>(point * replicates + replicate)] = 1;
    if (!shape_known) {
      shape = single;
      shape.scenario = sweep.base;
      shape.points = static_cast<std::int64_t>(points.size());
      shape.replicates = replicates;
      shape.point_names = names;
      describe(shape);
      shape_known = true;
    }
    const auto now = std::chrono::steady_clock::now();
    if (options.writes_output && std::chrono::duration<double>(now - last_refresh).count() >= options.refresh_seconds) {
      scan();
      write_results(assemble(shape), output);
      last_refresh = now;
    }
  };
  EnsembleResults results = run_points(sweep.base, points, names, run_options);
  describe(results);
  if (options.synchronise) options.synchronise();  // every process has saved its runs
  if (!options.writes_output) return results;
  scan();
  const EnsembleResults final_results = assemble(results);
  write_results(final_results, output);
  fs::remove_all(folder, error);
  return final_results;
}

}  // namespace fulcrum
