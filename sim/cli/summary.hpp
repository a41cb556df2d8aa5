#pragma once
#include <string>

#include "sim/results.hpp"

namespace fulcrum::cli {

// One screen per firm: customers, revenue, profit, cash and satisfaction at the last quarter, as the
// mean over replicates with the 5-95% range when there are several.
std::string summarise(const EnsembleResults& results, const std::string& scenario_name);

}  // namespace fulcrum::cli
