// fulcrum_engine: the C++ engine for Python (pybind11). Runs a scenario in memory and hands back the
// results schema as numpy arrays; analysis/fulcrum/engine.py turns them into an xarray.Dataset.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/result_tables.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/simulation.hpp"

namespace py = pybind11;
using namespace fulcrum;

namespace {

py::dict run(const std::string& scenario_file, const std::vector<std::string>& overrides,
             std::optional<std::int64_t> replicates, std::optional<std::int64_t> seed, int threads,
             const std::vector<std::string>& counterfactual) {
  Scenario scenario = load_scenario(scenario_file, overrides, counterfactual);
  if (replicates) set_parameter(scenario, "simulation.replicates", *replicates, "replicates=");
  if (seed) set_parameter(scenario, "simulation.seed", *seed, "seed=");
  EnsembleResults results;
  {
    py::gil_scoped_release release;  // the engine runs on its own threads; Python may go on
    results = run_ensemble(scenario, {std::max(1, threads), {}});
  }
  py::list tables;
  for (ResultTable& table : tabulate(results)) {
    std::vector<py::ssize_t> shape(table.dims.begin(), table.dims.end());
    py::array_t<double> values(shape);
    std::copy(table.values.begin(), table.values.end(), values.mutable_data());
    tables.append(py::make_tuple(table.group, table.name, table.unit, table.description, values));
  }
  py::list events;
  for (std::int64_t point = 0; point < results.points; ++point) {
    for (std::int64_t replicate = 0; replicate < results.replicates; ++replicate) {
      for (const Event& event : results.run(point, replicate).events) {
        events.append(py::make_tuple(point, replicate, event.quarter, event.firm, event.kind, event.amount, event.text));
      }
    }
  }
  py::dict coords;
  coords["point"] = results.point_names;
  std::vector<std::int64_t> replicate_index(static_cast<std::size_t>(results.replicates));
  std::vector<std::int64_t> quarter_index(static_cast<std::size_t>(results.quarters_recorded));
  for (std::size_t i = 0; i < replicate_index.size(); ++i) replicate_index[i] = static_cast<std::int64_t>(i);
  for (std::size_t i = 0; i < quarter_index.size(); ++i) quarter_index[i] = static_cast<std::int64_t>(i);
  coords["replicate"] = replicate_index;
  coords["quarter"] = quarter_index;
  coords["firm"] = results.firm_names;
  coords["segment"] = results.segment_names;
  std::vector<double> deciles;
  for (std::size_t d = 1; d <= kDeciles; ++d) deciles.push_back(static_cast<double>(d) / 10.0);
  coords["decile"] = deciles;
  py::dict attrs;
  attrs["fulcrum_version"] = FULCRUM_VERSION;
  attrs["schema_version"] = kSchemaVersion;
  attrs["scenario_toml"] = scenario_as_toml(results.scenario);
  attrs["parameters_json"] = scenario_as_json(results.scenario);
  attrs["seed"] = results.scenario.simulation.seed;
  py::dict out;
  out["tables"] = tables;
  out["coords"] = coords;
  out["attrs"] = attrs;
  out["events"] = events;
  return out;
}

}  // namespace

PYBIND11_MODULE(fulcrum_engine, module) {
  module.doc() = "The fulcrum C++ engine: run(scenario_file, overrides, replicates, seed, threads, counterfactual)";
  static py::exception<InputError> input_error(module, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const InputError& error) {
      input_error(error.what());
    }
  });
  module.def("run", &run, py::arg("scenario_file"), py::arg("overrides") = std::vector<std::string>{},
             py::arg("replicates") = std::nullopt, py::arg("seed") = std::nullopt, py::arg("threads") = 2,
             py::arg("counterfactual") = std::vector<std::string>{},
             "Runs a scenario file in memory; returns the results schema as numpy arrays.");
}
