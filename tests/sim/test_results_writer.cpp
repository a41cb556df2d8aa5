#include <hdf5.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/results_writer.hpp"
#include "sim/simulation.hpp"

using namespace fulcrum;
namespace fs = std::filesystem;

namespace {

EnsembleResults small_results() {
  Scenario scenario = default_scenario();
  scenario.market.population = 2000;
  scenario.firm.initial_active_share = 0.1;
  scenario.simulation.quarters = 6;
  scenario.simulation.replicates = 3;
  return run_ensemble(scenario, {1, {}});
}

std::string read_string_attribute(hid_t owner, const char* name) {
  const hid_t attribute = H5Aopen(owner, name, H5P_DEFAULT);
  REQUIRE(attribute >= 0);
  const hid_t type = H5Aget_type(attribute);
  char* text = nullptr;
  REQUIRE(H5Aread(attribute, type, &text) >= 0);
  std::string value(text);
  H5free_memory(text);
  H5Tclose(type);
  H5Aclose(attribute);
  return value;
}

}  // namespace

TEST_CASE("results are written in schema v1 and read back exactly", "[results]") {
  const fs::path folder = fs::temp_directory_path() / ("fulcrum-test-writer-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path path = folder / "run.h5";
  const EnsembleResults results = small_results();
  write_results(results, path);
  REQUIRE(fs::exists(path));
  CHECK(std::distance(fs::directory_iterator(folder), fs::directory_iterator{}) == 1);  // no temporary left

  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  CHECK(read_string_attribute(file, "fulcrum_version") == FULCRUM_VERSION);
  CHECK(read_string_attribute(file, "scenario_toml") == scenario_as_toml(results.scenario));
  CHECK(read_string_attribute(file, "parameters_json").front() == '{');

  const hid_t dataset = H5Dopen2(file, "/series/customers_active", H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  CHECK(read_string_attribute(dataset, "unit") == "customers");
  CHECK(read_string_attribute(dataset, "dimensions") == "point,replicate,quarter,firm");
  const hid_t space = H5Dget_space(dataset);
  hsize_t dims[4];
  REQUIRE(H5Sget_simple_extent_ndims(space) == 4);
  H5Sget_simple_extent_dims(space, dims, nullptr);
  CHECK(dims[0] == 1);
  CHECK(dims[1] == 3);
  CHECK(dims[2] == 7);
  CHECK(dims[3] == 1);
  std::vector<double> values(3 * 7);
  REQUIRE(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  for (std::int64_t r = 0; r < 3; ++r) {
    for (std::int64_t q = 0; q < 7; ++q) {
      CHECK(values[static_cast<std::size_t>(r * 7 + q)] == results.run(0, r).firm(FirmSeries::customers_active, q, 0));
    }
  }
  H5Sclose(space);
  H5Dclose(dataset);
  H5Fclose(file);
  fs::remove_all(folder);
}

TEST_CASE("an output path that is a directory or in a missing folder is refused before any run", "[results]") {
  CHECK_THROWS_AS(check_output_path(fs::temp_directory_path()), InputError);
  CHECK_THROWS_AS(check_output_path(fs::temp_directory_path() / "no-such-folder-fulcrum" / "x.h5"), InputError);
  CHECK_NOTHROW(check_output_path(fs::temp_directory_path() / "x.h5"));
}

TEST_CASE("an existing file is replaced only once the new one is complete", "[results]") {
  const fs::path folder = fs::temp_directory_path() / ("fulcrum-test-replace-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder);
  const fs::path path = folder / "run.h5";
  std::ofstream(path) << "old contents";
  write_results(small_results(), path);
  CHECK(H5Fis_hdf5(path.c_str()) > 0);
  fs::remove_all(folder);
}
