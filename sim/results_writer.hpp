#pragma once
// HDF5 results, schema v1 (docs/results.md). Written under a temporary name in the target directory,
// flushed, fsynced and renamed: the requested name is either absent or a complete file.
#include <filesystem>

#include "sim/results.hpp"

namespace fulcrum {

// Throws InputError if `path` cannot be an output file (a directory, or its folder does not exist),
// so callers can check before spending time on a run.
void check_output_path(const std::filesystem::path& path);

// Also refuses an existing file unless `overwrite` (the CLI's --force): finished results are never
// replaced by accident.
void check_new_output(const std::filesystem::path& path, bool overwrite);

// Throws RuntimeFailure on any HDF5 or file-system error; leaves nothing under `path` then.
void write_results(const EnsembleResults& results, const std::filesystem::path& path);

// Reads back one run written by write_results (point 0, replicate 0 of `path`): its series, cohorts,
// deciles and events. Throws RuntimeFailure when the file is not such a run.
Trajectory read_run(const std::filesystem::path& path, std::int64_t quarters_recorded, std::int64_t firms,
                    std::int64_t segments);

}  // namespace fulcrum
