#pragma once
// Sweep files: a base scenario, the parameters to vary, a design (grid, Latin hypercube, Sobol, or points
// from a CSV file), replicates and seeds. The design's own seed is kept apart from the simulation seed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace fulcrum {

enum class DesignKind { grid, latin_hypercube, sobol, saltelli, csv };

struct SweepParameter {
  std::string path;
  double minimum = 0;
  double maximum = 0;
  std::vector<double> values;  // grid: explicit values (or `levels` evenly spaced from minimum to maximum)
};

struct Sweep {
  Scenario base;
  DesignKind design = DesignKind::grid;
  std::vector<SweepParameter> parameters;
  std::int64_t points = 0;      // Latin hypercube and Sobol
  std::int64_t design_seed = 1;  // for sampling the design only
  bool common_random_numbers = true;
  std::vector<std::vector<double>> values;  // [point][parameter]
};

std::string_view design_name(DesignKind kind);

// True when `file` parses as TOML and names a base `scenario` at its top level: a sweep file, not a
// scenario file (`fulcrum validate` checks either).
bool is_sweep_file(const std::filesystem::path& file);

// Loads and checks a sweep file; InputError (file:line:col, key path, "did you mean") on bad input.
Sweep load_sweep(const std::filesystem::path& file);

// Design generators, values in [minimum, maximum] per parameter: [point][parameter].
std::vector<std::vector<double>> grid_design(const std::vector<SweepParameter>& parameters);
std::vector<std::vector<double>> latin_hypercube_design(const std::vector<SweepParameter>& parameters,
                                                        std::int64_t points, std::uint64_t seed);
std::vector<std::vector<double>> sobol_design(const std::vector<SweepParameter>& parameters, std::int64_t points);
// Saltelli et al. (2010): matrices A and B (n rows each, from a 2k-dimensional Sobol sequence), then AB_i
// = A with column i from B, stacked as [A; B; AB_1; ...; AB_k]: n * (k + 2) points, the layout
// fulcrum.sensitivity() (Python) reads back to estimate Sobol indices.
std::vector<std::vector<double>> saltelli_design(const std::vector<SweepParameter>& parameters, std::int64_t base_points);

// One scenario per design point: the base with the point's values (integers rounded) and, without
// common random numbers, a seed of its own.
std::vector<Scenario> sweep_scenarios(const Sweep& sweep);

}  // namespace fulcrum
