#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "sim/error.hpp"
#include "sim/simulation.hpp"
#include "sim/sweep.hpp"

#include <fmt/format.h>

using namespace fulcrum;
namespace fs = std::filesystem;

namespace {

struct SweepFolder {
  // One folder per process: ctest runs test cases in parallel processes.
  fs::path path = fs::temp_directory_path() / ("fulcrum-test-sweeps-" + std::to_string(::getpid()));
  SweepFolder() {
    fs::remove_all(path);
    fs::create_directories(path);
    std::ofstream(path / "base.toml") << "[simulation]\nquarters = 8\nreplicates = 1\n[market]\npopulation = 3000\n"
                                         "[firm]\ninitial_active_share = 0.1\n";
  }
  ~SweepFolder() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

InputError sweep_error(const fs::path& file) {
  try {
    load_sweep(file);
  } catch (const InputError& error) {
    return error;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a grid is the product of each parameter's values, first parameter slowest", "[sweep]") {
  SweepFolder folder;
  const auto file = folder.write("grid.toml", "scenario = \"base.toml\"\n[parameters.\"firm.price\"]\nvalues = [10, 20]\n"
                                              "[parameters.adoption.innovation]\nmin = 0.01\nmax = 0.03\nlevels = 3\n");
  const Sweep sweep = load_sweep(file);
  REQUIRE(sweep.values.size() == 6);
  CHECK(sweep.parameters[0].path == "firm.price");
  CHECK(sweep.parameters[1].path == "adoption.innovation");  // nested tables work too
  CHECK(sweep.values[0] == std::vector<double>{10, 0.01});
  CHECK(sweep.values[1][1] == Approx(0.02));
  CHECK(sweep.values[5] == std::vector<double>{20, 0.03});
  const std::vector<Scenario> scenarios = sweep_scenarios(sweep);
  CHECK(scenarios[4].firm.price == 20);
  CHECK(scenarios[4].adoption.innovation == Approx(0.02));
  CHECK(scenarios[4].simulation.seed == sweep.base.simulation.seed);  // common random numbers
}

TEST_CASE("a Latin hypercube puts one point in every stratum of every parameter", "[sweep]") {
  const std::vector<SweepParameter> parameters{{"a", 0, 1, {}}, {"b", 10, 20, {}}};
  const auto design = latin_hypercube_design(parameters, 50, 7);
  REQUIRE(design.size() == 50);
  for (std::size_t p = 0; p < 2; ++p) {
    std::set<int> strata;
    for (const auto& point : design) {
      const double unit = (point[p] - parameters[p].minimum) / (parameters[p].maximum - parameters[p].minimum);
      strata.insert(static_cast<int>(unit * 50));
    }
    CHECK(strata.size() == 50);
  }
  CHECK(latin_hypercube_design(parameters, 50, 7) == design);  // the design seed fixes it
  CHECK(latin_hypercube_design(parameters, 50, 8) != design);
}

TEST_CASE("a Sobol design follows the Sobol sequence; Saltelli stacks A, B and the AB_i", "[sweep]") {
  const std::vector<SweepParameter> unit{{"a", 0, 1, {}}};
  const auto design = sobol_design(unit, 7);
  const std::vector<double> expected{0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(design[i][0] == Approx(expected[i]));

  const std::vector<SweepParameter> two{{"a", 0, 1, {}}, {"b", 0, 1, {}}};
  const auto saltelli = saltelli_design(two, 8);
  REQUIRE(saltelli.size() == 8 * 4);
  for (std::size_t row = 0; row < 8; ++row) {
    const auto& a = saltelli[row];
    const auto& b = saltelli[8 + row];
    CHECK(saltelli[16 + row] == std::vector<double>{b[0], a[1]});  // AB_1
    CHECK(saltelli[24 + row] == std::vector<double>{a[0], b[1]});  // AB_2
  }
}

TEST_CASE("common random numbers make paired differences between points less noisy", "[sweep][crn]") {
  SweepFolder folder;
  const std::string body = "scenario = \"base.toml\"\nreplicates = 16\n[parameters.\"adoption.innovation\"]\nvalues = [0.03, 0.036]\n";
  const auto variance_of_difference = [&](bool common) {
    // common_random_numbers comes first: after a [table] header a key would belong to that table.
    const auto file = folder.write("crn.toml", fmt::format("common_random_numbers = {}\n", common ? "true" : "false") + body);
    const Sweep sweep = load_sweep(file);
    const EnsembleResults results = run_points(sweep.base, sweep_scenarios(sweep), {"low", "high"}, {2, {}});
    std::vector<double> differences;
    for (std::int64_t r = 0; r < results.replicates; ++r) {
      differences.push_back(results.run(1, r).firm(FirmSeries::customers_active, 8, 0) -
                            results.run(0, r).firm(FirmSeries::customers_active, 8, 0));
    }
    double mean = 0, squares = 0;
    for (const double d : differences) mean += d / static_cast<double>(differences.size());
    for (const double d : differences) squares += (d - mean) * (d - mean);
    return squares / static_cast<double>(differences.size() - 1);
  };
  const double with_crn = variance_of_difference(true);
  const double independent = variance_of_difference(false);
  WARN("variance of the paired difference in customers: " << with_crn << " with common random numbers, "
                                                           << independent << " with independent streams");
  CHECK(with_crn < 0.25 * independent);
}

TEST_CASE("bad sweep files are reported with their position and a suggestion", "[sweep][bad-input]") {
  SweepFolder folder;
  const InputError key = sweep_error(folder.write("key.toml", "scenario = \"base.toml\"\ndesing = \"grid\"\n"));
  CHECK(key.where().line == 2);
  CHECK_THAT(key.what(), Catch::Contains("did you mean 'design'"));
  const InputError parameter = sweep_error(
      folder.write("param.toml", "scenario = \"base.toml\"\n[parameters.\"firm.prise\"]\nvalues = [1, 2]\n"));
  CHECK_THAT(parameter.what(), Catch::Contains("parameters.firm.prise") && Catch::Contains("did you mean 'firm.price'"));
  const InputError text = sweep_error(
      folder.write("text.toml", "scenario = \"base.toml\"\n[parameters.\"firm.name\"]\nvalues = [1, 2]\n"));
  CHECK_THAT(text.what(), Catch::Contains("only real and integer parameters"));
  const InputError range = sweep_error(
      folder.write("range.toml", "scenario = \"base.toml\"\n[parameters.\"firm.initial_active_share\"]\nvalues = [0.5, 1.5]\n"));
  CHECK(range.where().line == 3);
  CHECK_THAT(range.what(), Catch::Contains("outside the allowed range"));
  folder.write("points.csv", "firm.price,adoption.innovation\n18,0.02\n19,abc\n");
  const InputError csv = sweep_error(folder.write("csv.toml", "scenario = \"base.toml\"\ndesign = \"csv\"\ncsv = \"points.csv\"\n"));
  CHECK(csv.where().line == 3);
  CHECK(csv.where().column == 2);
  CHECK_THAT(csv.what(), Catch::Contains("'abc' is not a number"));
  const InputError missing = sweep_error(folder.write("lhs.toml", "scenario = \"base.toml\"\ndesign = \"latin_hypercube\"\n"
                                                                  "[parameters.\"firm.price\"]\nmin = 1\nmax = 2\n"));
  CHECK_THAT(missing.what(), Catch::Contains("points"));
  CHECK_THAT(sweep_error(folder.path / "nowhere.toml").what(), Catch::Contains("does not exist"));
  // Found by reasoning about the fuzzer's reach: a grid's size is checked before it is generated.
  std::string huge = "scenario = \"base.toml\"\n";
  for (const char* path : {"firm.price", "firm.unit_cost", "firm.fixed_cost", "adoption.innovation", "adoption.imitation"}) {
    huge += fmt::format("[parameters.\"{}\"]\nmin = 0.0\nmax = 1.0\nlevels = 1000\n", path);
  }
  CHECK_THAT(sweep_error(folder.write("huge.toml", huge)).what(), Catch::Contains("at most 1000000"));
}
