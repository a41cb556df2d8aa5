#pragma once
// Scenario files (TOML, with `extends` inheritance) and command-line overrides to a validated Scenario.
// Nothing downstream of this reads TOML.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/parameters.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

// Loads `file` (and the chain of files it extends), then applies `overrides` ("path=value", as given
// to --set, including segments.<name>.<path>) and `counterfactual` assignments (as given to
// --counterfactual, split at ';'), then checks cross-parameter rules of the scenario and of its
// counterfactual. Throws InputError on any bad input.
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {},
                       const std::vector<std::string>& counterfactual = {});

// Sets one parameter from a value already typed by the caller (e.g. --seed), with the range check.
void set_parameter(Scenario& scenario, std::string_view path, const ParameterValue& value,
                   const std::string& source);

}  // namespace fulcrum
