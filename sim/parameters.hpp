#pragma once
// The parameter registry: the single description of every scenario parameter. The TOML loader, the
// --set overrides, range checks, `fulcrum params` and docs/parameters.md all read it.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/scenario.hpp"

namespace fulcrum {

enum class ParameterType { real, integer, boolean, choice, text };
std::string_view type_name(ParameterType type);

using ParameterValue = std::variant<double, std::int64_t, bool, std::string>;

struct ParameterSpec {
  std::string path;  // dotted: "firm.price"
  ParameterType type;
  ParameterValue default_value;
  std::string unit;
  std::optional<double> minimum;  // for real and integer
  std::optional<double> maximum;
  bool minimum_exclusive = false;
  bool is_file_path = false;  // text naming a file: resolved against the folder of the file that sets it
  bool per_segment = false;   // may be set per segment: segments.<name>.<path>
  bool per_firm = false;      // may be set per competitor: competitors.<name>.<path>
  std::vector<std::string> choices;  // for choice
  std::string description;
  std::function<void(Scenario&, const ParameterValue&)> assign;
  std::function<ParameterValue(const Scenario&)> read;

  // "[0, 1]", "(0, inf)", "beta | fixed" or "" when anything of the type goes.
  [[nodiscard]] std::string allowed_range() const;
  // Empty when `value` (already of this parameter's type) is allowed, else the reason it is not.
  [[nodiscard]] std::string check(const ParameterValue& value) const;
};

const std::vector<ParameterSpec>& parameter_registry();
const ParameterSpec* find_parameter(std::string_view path);
// Levenshtein distance: insertions, deletions and substitutions turning `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The registered path closest to `path` (edit distance), for "did you mean" messages.
std::string closest_parameter(std::string_view path);
// True when `prefix` names a table of parameters ("firm" for "firm.price").
bool is_parameter_table(std::string_view prefix);

Scenario default_scenario();

// The share parameter every segment must have: segments.<name>.share. Listed with the registry but
// not bound to a Scenario field (segments are named by the scenario).
const ParameterSpec& segment_share_parameter();

// One scenario per firm: [0] is the scenario itself (the focal firm), [k] has competitor k's overrides
// applied (its name defaults to the competitor's). Firm-level parameters are read from these.
std::vector<Scenario> firm_scenarios(const Scenario& scenario);

// The scenario with its counterfactual overrides applied (and no counterfactual of its own).
Scenario counterfactual_of(const Scenario& scenario);

// Every segment with its parameters resolved; one segment "all" when the scenario names none.
std::vector<Segment> resolve_segments(const Scenario& scenario);

std::string format_value(const ParameterValue& value);  // TOML spelling: 0.5, 40, true, "beta"
std::string scenario_as_toml(const Scenario& scenario);  // every parameter, resolved, by table
std::string scenario_as_json(const Scenario& scenario);  // {"path": value, ...}

// Cross-parameter rules that no single range can express; throws InputError naming the parameters.
void check_consistency(const Scenario& scenario, const std::string& source);

}  // namespace fulcrum
