#pragma once
// The results schema as named arrays: every dataset of schema v1 (docs/results.md) with its group, dims
// and flat values in C order. The HDF5 writer and the Python bindings both write these, so the two
// cannot drift apart.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/results.hpp"

namespace fulcrum {

struct ResultTable {
  std::string group;  // "series", "market", "series_by_segment", "distributions", "cohorts", "difference", ...
  std::string name;
  std::string unit;
  std::string description;
  std::vector<std::uint64_t> dims;
  std::string dimension_names;  // "point,replicate,quarter,firm"
  std::vector<double> values;
};

std::vector<ResultTable> tabulate(const EnsembleResults& results);

}  // namespace fulcrum
