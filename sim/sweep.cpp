#include "sim/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>
#include <toml++/toml.h>

#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/rng.hpp"
#include "sim/scenario_loader.hpp"

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSweepKeys[] = {"scenario", "design", "points", "replicates", "design_seed",
                                           "simulation_seed", "common_random_numbers", "csv", "parameters"};
constexpr std::string_view kParameterKeys[] = {"min", "max", "levels", "values"};

SourceLocation at(const toml::node& node, const fs::path& file) {
  return {file.string(), static_cast<int>(node.source().begin.line), static_cast<int>(node.source().begin.column)};
}
SourceLocation at_key(const toml::key& key, const fs::path& file) {
  return {file.string(), static_cast<int>(key.source().begin.line), static_cast<int>(key.source().begin.column)};
}

template <std::size_t N>
std::string closest(std::string_view key, const std::string_view (&candidates)[N]) {
  return std::string(*std::min_element(std::begin(candidates), std::end(candidates), [&](auto a, auto b) {
    return edit_distance(key, a) < edit_distance(key, b);
  }));
}

double number(const toml::node& node, const std::string& path, const fs::path& file) {
  if (const auto* real = node.as_floating_point()) return real->get();
  if (const auto* whole = node.as_integer()) return static_cast<double>(whole->get());
  throw InputError(at(node, file), path, "expected a number");
}

std::int64_t whole_number(const toml::node& node, const std::string& path, const fs::path& file, std::int64_t low,
                          std::int64_t high) {
  const auto* whole = node.as_integer();
  if (!whole) throw InputError(at(node, file), path, "expected an integer");
  if (whole->get() < low || whole->get() > high) {
    throw InputError(at(node, file), path, fmt::format("{} is outside the allowed range [{}, {}]", whole->get(), low, high));
  }
  return whole->get();
}

// A swept parameter must be a registered real or integer parameter the design may change.
const ParameterSpec& sweepable(const std::string& path, const SourceLocation& where) {
  const ParameterSpec* spec = find_parameter(path);
  if (!spec) {
    throw InputError(where, "parameters." + path, fmt::format("unknown parameter; did you mean '{}'?", closest_parameter(path)));
  }
  if (spec->type != ParameterType::real && spec->type != ParameterType::integer) {
    throw InputError(where, "parameters." + path, fmt::format("only real and integer parameters can be swept; this one is {}",
                                                              type_name(spec->type)));
  }
  if (path == "simulation.quarters" || path == "simulation.replicates" || path == "simulation.seed") {
    throw InputError(where, "parameters." + path, "every point shares the horizon, replicates and seed: set them in the sweep");
  }
  return *spec;
}

void check_in_range(const ParameterSpec& spec, double value, const SourceLocation& where, const std::string& path) {
  const ParameterValue typed = spec.type == ParameterType::integer ? ParameterValue{static_cast<std::int64_t>(std::llround(value))}
                                                                   : ParameterValue{value};
  if (std::string problem = spec.check(typed); !problem.empty()) throw InputError(where, path, problem);
}

// [parameters."firm.price"] or [parameters.firm.price]: a table with min/max/levels/values.
void read_parameters(const toml::table& table, const std::string& prefix, Sweep& sweep, const fs::path& file,
                     std::vector<std::int64_t>& levels) {
  // toml++ iterates keys alphabetically; the design's columns follow the order of the file.
  std::vector<std::pair<const toml::key*, const toml::node*>> listed;
  for (const auto& [key, node] : table) listed.emplace_back(&key, &node);
  std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
    const auto& x = a.first->source().begin;
    const auto& y = b.first->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  for (const auto& [key_pointer, node_pointer] : listed) {
    const toml::key& key = *key_pointer;
    const toml::node& node = *node_pointer;
    const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const auto* entry = node.as_table();
    if (!entry) throw InputError(at_key(key, file), "parameters." + path, "expected a table with min and max, or values");
    const bool is_leaf = entry->contains("min") || entry->contains("max") || entry->contains("values") || entry->contains("levels");
    if (!is_leaf) {
      read_parameters(*entry, path, sweep, file, levels);
      continue;
    }
    const ParameterSpec& spec = sweepable(path, at_key(key, file));
    SweepParameter parameter{path, 0, 0, {}};
    std::int64_t level_count = 0;
    bool has_min = false, has_max = false;
    for (const auto& [field, value] : *entry) {
      const std::string name(field.str());
      const std::string full = "parameters." + path + "." + name;
      if (name == "min") { parameter.minimum = number(value, full, file); has_min = true; check_in_range(spec, parameter.minimum, at(value, file), full); }
      else if (name == "max") { parameter.maximum = number(value, full, file); has_max = true; check_in_range(spec, parameter.maximum, at(value, file), full); }
      else if (name == "levels") level_count = whole_number(value, full, file, 2, 1000);
      else if (name == "values") {
        const auto* list = value.as_array();
        if (!list || list->empty()) throw InputError(at(value, file), full, "expected a non-empty array of numbers");
        for (const auto& item : *list) {
          parameter.values.push_back(number(item, full, file));
          check_in_range(spec, parameter.values.back(), at(item, file), full);
        }
      } else {
        throw InputError(at_key(field, file), full, fmt::format("unknown key; did you mean '{}'?", closest(name, kParameterKeys)));
      }
    }
    if (parameter.values.empty()) {
      if (!has_min || !has_max) throw InputError(at_key(key, file), "parameters." + path, "needs min and max (or values)");
      if (parameter.maximum < parameter.minimum) throw InputError(at_key(key, file), "parameters." + path, "max is below min");
    } else {
      parameter.minimum = *std::min_element(parameter.values.begin(), parameter.values.end());
      parameter.maximum = *std::max_element(parameter.values.begin(), parameter.values.end());
    }
    sweep.parameters.push_back(parameter);
    levels.push_back(level_count);
  }
}

std::vector<std::vector<double>> read_csv_design(const fs::path& file, const SourceLocation& referenced_from,
                                                 std::vector<SweepParameter>& parameters) {
  std::ifstream stream(file);
  if (!stream) throw InputError(referenced_from, "csv", fmt::format("cannot read '{}'", file.string()));
  std::string line;
  int line_number = 0;
  const auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::stringstream reader(text);
    std::string cell;
    while (std::getline(reader, cell, ',')) {
      cell.erase(0, cell.find_first_not_of(" \t\r"));
      cell.erase(cell.find_last_not_of(" \t\r") + 1);
      cells.push_back(cell);
    }
    return cells;
  };
  if (!std::getline(stream, line)) throw InputError({file.string()}, "csv", "empty: expected a header of parameter paths");
  ++line_number;
  const std::vector<std::string> header = split(line);
  std::vector<const ParameterSpec*> specs;
  for (std::size_t column = 0; column < header.size(); ++column) {
    specs.push_back(&sweepable(header[column], {file.string(), 1, static_cast<int>(column + 1)}));
    parameters.push_back({header[column], 0, 0, {}});
  }
  std::vector<std::vector<double>> values;
  while (std::getline(stream, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> cells = split(line);
    if (cells.size() != header.size()) {
      throw InputError({file.string(), line_number, 1}, "csv",
                       fmt::format("{} values for {} parameters", cells.size(), header.size()));
    }
    std::vector<double> row;
    for (std::size_t column = 0; column < cells.size(); ++column) {
      std::size_t used = 0;
      double value = 0;
      try {
        value = std::stod(cells[column], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != cells[column].size() || cells[column].empty()) {
        throw InputError({file.string(), line_number, static_cast<int>(column + 1)}, header[column],
                         fmt::format("'{}' is not a number", cells[column]));
      }
      check_in_range(*specs[column], value, {file.string(), line_number, static_cast<int>(column + 1)}, header[column]);
      row.push_back(value);
    }
    values.push_back(row);
  }
  if (values.empty()) throw InputError({file.string()}, "csv", "no design points after the header");
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    parameters[p].minimum = parameters[p].maximum = values[0][p];
    for (const auto& row : values) {
      parameters[p].minimum = std::min(parameters[p].minimum, row[p]);
      parameters[p].maximum = std::max(parameters[p].maximum, row[p]);
    }
  }
  return values;
}

}  // namespace

std::string_view design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid: return "grid";
    case DesignKind::latin_hypercube: return "latin_hypercube";
    case DesignKind::sobol: return "sobol";
    case DesignKind::saltelli: return "saltelli";
    case DesignKind::csv: return "csv";
  }
  return "?";
}

std::vector<std::vector<double>> grid_design(const std::vector<SweepParameter>& parameters) {
  std::vector<std::vector<double>> points{{}};
  for (const SweepParameter& parameter : parameters) {
    std::vector<std::vector<double>> next;
    for (const auto& point : points) {
      for (const double value : parameter.values) {
        next.push_back(point);
        next.back().push_back(value);
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<std::vector<double>> latin_hypercube_design(const std::vector<SweepParameter>& parameters,
                                                        std::int64_t points, std::uint64_t seed) {
  // McKay, Beckman & Conover (1979): each parameter's range cut in `points` strata, one point in each,
  // strata paired at random across parameters.
  RandomEngine engine = make_stream({seed, 0, StreamPurpose::design, 0, 0, 0});
  std::vector<std::vector<double>> design(static_cast<std::size_t>(points), std::vector<double>(parameters.size()));
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    std::vector<std::int64_t> strata(static_cast<std::size_t>(points));
    std::iota(strata.begin(), strata.end(), 0);
    for (std::size_t i = strata.size(); i > 1; --i) {
      std::swap(strata[i - 1], strata[static_cast<std::size_t>(uniform01(engine) * static_cast<double>(i))]);
    }
    for (std::size_t i = 0; i < strata.size(); ++i) {
      const double unit = (static_cast<double>(strata[i]) + uniform01(engine)) / static_cast<double>(points);
      design[i][p] = parameters[p].minimum + unit * (parameters[p].maximum - parameters[p].minimum);
    }
  }
  return design;
}

std::vector<std::vector<double>> sobol_design(const std::vector<SweepParameter>& parameters, std::int64_t points) {
  // Boost.Random's Sobol sequence (Joe & Kuo directions); it starts after the origin, at 0.5.
  boost::random::sobol engine(parameters.size());
  std::vector<std::vector<double>> design(static_cast<std::size_t>(points), std::vector<double>(parameters.size()));
  // The engine's integers span [0, 2^64): scale them to the unit interval.
  static_assert(std::numeric_limits<boost::random::sobol::result_type>::digits == 64);
  const double scale = std::ldexp(1.0, -64);
  for (auto& point : design) {
    for (std::size_t p = 0; p < parameters.size(); ++p) {
      const double unit = static_cast<double>(engine()) * scale;
      point[p] = parameters[p].minimum + unit * (parameters[p].maximum - parameters[p].minimum);
    }
  }
  return design;
}

std::vector<std::vector<double>> saltelli_design(const std::vector<SweepParameter>& parameters, std::int64_t base_points) {
  const std::size_t k = parameters.size();
  std::vector<SweepParameter> doubled = parameters;
  doubled.insert(doubled.end(), parameters.begin(), parameters.end());
  const std::vector<std::vector<double>> base = sobol_design(doubled, base_points);
  std::vector<std::vector<double>> design;
  for (const auto& row : base) design.emplace_back(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k));  // A
  for (const auto& row : base) design.emplace_back(row.begin() + static_cast<std::ptrdiff_t>(k), row.end());     // B
  for (std::size_t i = 0; i < k; ++i) {
    for (const auto& row : base) {
      std::vector<double> mixed(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k));
      mixed[i] = row[k + i];
      design.push_back(std::move(mixed));  // AB_i
    }
  }
  return design;
}

bool is_sweep_file(const fs::path& file) {
  try {
    return toml::parse_file(file.string()).contains("scenario");
  } catch (const std::exception&) {
    return false;  // unreadable or not TOML: the scenario loader reports it properly
  }
}

Sweep load_sweep(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) throw InputError({file.string()}, "", fmt::format("sweep file '{}' does not exist", file.string()));
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& failure) {
    throw InputError({file.string(), static_cast<int>(failure.source().begin.line), static_cast<int>(failure.source().begin.column)},
                     "", fmt::format("not valid TOML: {}", failure.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (std::find(std::begin(kSweepKeys), std::end(kSweepKeys), name) == std::end(kSweepKeys)) {
      throw InputError(at_key(key, file), name, fmt::format("unknown sweep key; did you mean '{}'?", closest(name, kSweepKeys)));
    }
  }
  Sweep sweep;
  const toml::node* scenario = table.get("scenario");
  if (!scenario || !scenario->is_string()) throw InputError({file.string()}, "scenario", "missing: the base scenario file, as a string");
  const fs::path base = file.parent_path() / scenario->as_string()->get();
  sweep.base = load_scenario(base);

  std::string design = "grid";
  if (const toml::node* node = table.get("design")) {
    if (!node->is_string()) throw InputError(at(*node, file), "design", "expected a string");
    design = node->as_string()->get();
  }
  if (design == "grid") sweep.design = DesignKind::grid;
  else if (design == "latin_hypercube") sweep.design = DesignKind::latin_hypercube;
  else if (design == "sobol") sweep.design = DesignKind::sobol;
  else if (design == "saltelli") sweep.design = DesignKind::saltelli;
  else if (design == "csv") sweep.design = DesignKind::csv;
  else throw InputError(at(*table.get("design"), file), "design", fmt::format("\"{}\" is not one of grid | latin_hypercube | sobol | saltelli | csv", design));
  constexpr std::int64_t kMostPoints = 1000000;  // designs are generated in memory: bound them first
  if (const toml::node* node = table.get("points")) sweep.points = whole_number(*node, "points", file, 1, kMostPoints);
  if (const toml::node* node = table.get("replicates")) sweep.base.simulation.replicates = whole_number(*node, "replicates", file, 1, 100000);
  if (const toml::node* node = table.get("design_seed")) sweep.design_seed = whole_number(*node, "design_seed", file, 0, 4000000000000000000);
  if (const toml::node* node = table.get("simulation_seed")) sweep.base.simulation.seed = whole_number(*node, "simulation_seed", file, 0, 4000000000000000000);
  if (const toml::node* node = table.get("common_random_numbers")) {
    if (!node->is_boolean()) throw InputError(at(*node, file), "common_random_numbers", "expected true or false");
    sweep.common_random_numbers = node->as_boolean()->get();
  }

  std::vector<std::int64_t> levels;
  if (const toml::node* node = table.get("parameters")) {
    if (!node->is_table()) throw InputError(at(*node, file), "parameters", "expected a table of parameters");
    read_parameters(*node->as_table(), "", sweep, file, levels);
  }
  switch (sweep.design) {
    case DesignKind::grid: {
      if (sweep.parameters.empty()) throw InputError({file.string()}, "parameters", "a grid needs at least one parameter");
      double size = 1;
      for (std::size_t p = 0; p < sweep.parameters.size(); ++p) {
        SweepParameter& parameter = sweep.parameters[p];
        if (parameter.values.empty()) {
          if (levels[p] < 2) throw InputError({file.string()}, "parameters." + parameter.path, "a grid needs values, or min, max and levels");
          for (std::int64_t l = 0; l < levels[p]; ++l) {
            parameter.values.push_back(parameter.minimum + (parameter.maximum - parameter.minimum) * static_cast<double>(l) /
                                                               static_cast<double>(levels[p] - 1));
          }
        }
        size *= static_cast<double>(parameter.values.size());
      }
      if (size > static_cast<double>(kMostPoints)) {
        throw InputError({file.string()}, "parameters",
                         fmt::format("the grid has {:.0f} points; at most {} (use a Latin hypercube or Sobol design)", size, kMostPoints));
      }
      sweep.values = grid_design(sweep.parameters);
      break;
    }
    case DesignKind::latin_hypercube:
    case DesignKind::sobol:
    case DesignKind::saltelli:
      if (sweep.parameters.empty()) throw InputError({file.string()}, "parameters", "the design needs at least one parameter");
      if (sweep.points < 1) throw InputError({file.string()}, "points", "missing: how many design points to sample");
      if (sweep.design == DesignKind::saltelli &&
          sweep.points * static_cast<std::int64_t>(sweep.parameters.size() + 2) > kMostPoints) {
        throw InputError({file.string()}, "points", fmt::format("a Saltelli design of n = {} over {} parameters has "
                                                                "more than {} points", sweep.points, sweep.parameters.size(), kMostPoints));
      }
      sweep.values = sweep.design == DesignKind::sobol      ? sobol_design(sweep.parameters, sweep.points)
                     : sweep.design == DesignKind::saltelli ? saltelli_design(sweep.parameters, sweep.points)
                                                            : latin_hypercube_design(sweep.parameters, sweep.points,
                                                                                     static_cast<std::uint64_t>(sweep.design_seed));
      break;
    case DesignKind::csv: {
      const toml::node* csv = table.get("csv");
      if (!csv || !csv->is_string()) throw InputError({file.string()}, "csv", "missing: the CSV file of design points");
      if (!sweep.parameters.empty()) throw InputError({file.string()}, "parameters", "a CSV design takes its parameters from its header");
      sweep.values = read_csv_design(file.parent_path() / csv->as_string()->get(), at(*csv, file), sweep.parameters);
      break;
    }
  }
  sweep.points = static_cast<std::int64_t>(sweep.values.size());
  if (sweep.points > kMostPoints) throw InputError({file.string()}, "csv", fmt::format("{} design points; at most {}", sweep.points, kMostPoints));
  return sweep;
}

std::vector<Scenario> sweep_scenarios(const Sweep& sweep) {
  std::vector<Scenario> scenarios;
  for (std::size_t point = 0; point < sweep.values.size(); ++point) {
    Scenario scenario = sweep.base;
    for (std::size_t p = 0; p < sweep.parameters.size(); ++p) {
      const ParameterSpec& spec = *find_parameter(sweep.parameters[p].path);
      const double value = sweep.values[point][p];
      const ParameterValue typed = spec.type == ParameterType::integer
                                       ? ParameterValue{static_cast<std::int64_t>(std::llround(value))}
                                       : ParameterValue{value};
      // Designs stay inside the ranges they were given, which the registry checked; keep it so.
      if (std::string problem = spec.check(typed); !problem.empty()) {
        throw InputError({fmt::format("design point {}", point)}, sweep.parameters[p].path, problem);
      }
      spec.assign(scenario, typed);
    }
    if (!sweep.common_random_numbers) {
      // Independent streams: every point gets a seed of its own, derived from the sweep's.
      scenario.simulation.seed = static_cast<std::int64_t>(mix64(static_cast<std::uint64_t>(sweep.base.simulation.seed) ^
                                                                 mix64(point + 1)) >> 2);
    }
    scenarios.push_back(std::move(scenario));
  }
  return scenarios;
}

}  // namespace fulcrum
