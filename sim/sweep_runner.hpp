#pragma once
// Running a sweep so that nothing finished is lost: every run is saved the moment it ends (one small
// file per run in <output>.parts/, written atomically), the output file is refreshed from them with the
// runs still missing marked, and --resume does only what is missing. The finished output is the same
// whether or not the sweep was interrupted.
#include <filesystem>
#include <functional>

#include "sim/results.hpp"
#include "sim/sweep.hpp"

namespace fulcrum {

struct SweepRunOptions {
  int threads = 1;
  bool resume = false;
  double refresh_seconds = 5.0;  // how often the output file is rewritten while the sweep runs
  std::function<void(std::int64_t, std::int64_t)> progress;
  // Several processes (MPI ranks) on one sweep: each claims runs from a shared counter and saves them
  // as parts; only the process that `writes_output` checks the parts folder, refreshes and merges.
  // `synchronise` must return once every process reached it (a barrier); with one process it is empty.
  std::function<std::int64_t()> claim_run;
  bool writes_output = true;
  std::function<void()> synchronise;
};

// Runs `sweep` (read from `sweep_file`) into `output`. Throws InputError when a previous interrupted
// sweep is found without --resume, or --resume finds nothing to resume or a different sweep.
EnsembleResults run_sweep(const Sweep& sweep, const std::filesystem::path& sweep_file,
                          const std::filesystem::path& output, const SweepRunOptions& options);

}  // namespace fulcrum
