#include "sim/results_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/error.hpp"
#include "sim/parameters.hpp"

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

// Owns an HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
    if (id_ < 0) throw RuntimeFailure(fmt::format("HDF5 could not {}", what));
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  operator hid_t() const { return id_; }  // NOLINT: used where the C API wants an hid_t
  void close(const std::string& what) {
    const herr_t status = close_(id_);
    id_ = -1;
    if (status < 0) throw RuntimeFailure(fmt::format("HDF5 could not {}", what));
  }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw RuntimeFailure(fmt::format("HDF5 could not {}", what));
}

void write_string_attribute(hid_t owner, const char* name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(type, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attribute(H5Acreate2(owner, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   fmt::format("create attribute {}", name));
  const char* text = value.c_str();
  check(H5Awrite(attribute, type, &text), fmt::format("write attribute {}", name));
}

void write_int_attribute(hid_t owner, const char* name, std::int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar dataspace");
  Handle attribute(H5Acreate2(owner, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                   fmt::format("create attribute {}", name));
  check(H5Awrite(attribute, H5T_NATIVE_INT64, &value), fmt::format("write attribute {}", name));
}

// A float64 dataset, chunked per replicate block and compressed (shuffle + deflate) where available.
void write_series(hid_t group, const SeriesSpec& spec, const std::vector<hsize_t>& dims,
                  const std::vector<double>& values, const std::string& dimension_names) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "create a dataspace");
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  std::vector<hsize_t> chunk = dims;
  chunk[0] = 1;
  if (chunk.size() > 1) chunk[1] = std::min<hsize_t>(dims[1], 64);
  check(H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data()), "set chunking");
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
    check(H5Pset_shuffle(properties), "set the shuffle filter");
    check(H5Pset_deflate(properties, 4), "set gzip compression");
  }
  const std::string name(spec.name);
  Handle dataset(H5Dcreate2(group, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, properties, H5P_DEFAULT),
                 H5Dclose, fmt::format("create dataset {}", name));
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        fmt::format("write dataset {}", name));
  write_string_attribute(dataset, "unit", std::string(spec.unit));
  write_string_attribute(dataset, "description", std::string(spec.description));
  write_string_attribute(dataset, "dimensions", dimension_names);
}

void write_coordinates(hid_t file, const EnsembleResults& results) {
  Handle coords(H5Gcreate2(file, "coords", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /coords");
  const auto write_index = [&](const char* name, std::int64_t count) {
    std::vector<std::int64_t> values(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) values[static_cast<std::size_t>(i)] = i;
    const hsize_t dims[1] = {static_cast<hsize_t>(count)};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
    Handle dataset(H5Dcreate2(coords, name, H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   H5Dclose, fmt::format("create /coords/{}", name));
    check(H5Dwrite(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          fmt::format("write /coords/{}", name));
  };
  write_index("point", results.points);
  write_index("replicate", results.replicates);
  write_index("quarter", results.quarters_recorded);

  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(type, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
  std::vector<const char*> names;
  for (const auto& name : results.firm_names) names.push_back(name.c_str());
  const hsize_t dims[1] = {names.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
  Handle dataset(H5Dcreate2(coords, "firm", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                 "create /coords/firm");
  check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data()), "write /coords/firm");
}

void write_file(const EnsembleResults& results, const fs::path& path) {
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
              fmt::format("create '{}'", path.string()));
  write_string_attribute(file, "fulcrum_version", FULCRUM_VERSION);
  write_int_attribute(file, "schema_version", kSchemaVersion);
  write_string_attribute(file, "scenario_toml", scenario_as_toml(results.scenario));
  write_string_attribute(file, "parameters_json", scenario_as_json(results.scenario));
  write_int_attribute(file, "seed", results.scenario.simulation.seed);
  write_coordinates(file, results);

  const auto points = static_cast<hsize_t>(results.points);
  const auto replicates = static_cast<hsize_t>(results.replicates);
  const auto quarters = static_cast<hsize_t>(results.quarters_recorded);
  const auto firms = static_cast<hsize_t>(results.firm_names.size());
  {
    Handle group(H5Gcreate2(file, "series", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /series");
    for (std::size_t s = 0; s < kFirmSeries.size(); ++s) {
      std::vector<double> values;
      values.reserve(points * replicates * quarters * firms);
      for (const Trajectory& run : results.runs) {
        for (std::int64_t q = 0; q < run.quarters_recorded(); ++q) {
          for (std::int64_t f = 0; f < run.firms(); ++f) values.push_back(run.firm(FirmSeries(s), q, f));
        }
      }
      write_series(group, kFirmSeries[s], {points, replicates, quarters, firms}, values,
                   "point,replicate,quarter,firm");
    }
  }
  {
    Handle group(H5Gcreate2(file, "market", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /market");
    for (std::size_t s = 0; s < kMarketSeries.size(); ++s) {
      std::vector<double> values;
      values.reserve(points * replicates * quarters);
      for (const Trajectory& run : results.runs) {
        for (std::int64_t q = 0; q < run.quarters_recorded(); ++q) values.push_back(run.market(MarketSeries(s), q));
      }
      write_series(group, kMarketSeries[s], {points, replicates, quarters}, values, "point,replicate,quarter");
    }
  }
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush the file");
  file.close("close the file");
}

void fsync_path(const fs::path& path, int flags) {
  const int descriptor = ::open(path.c_str(), flags);
  if (descriptor < 0) throw RuntimeFailure(fmt::format("cannot open '{}': {}", path.string(), std::strerror(errno)));
  const int status = ::fsync(descriptor);
  const int saved = errno;
  ::close(descriptor);
  if (status != 0) throw RuntimeFailure(fmt::format("cannot sync '{}': {}", path.string(), std::strerror(saved)));
}

}  // namespace

void check_output_path(const fs::path& path) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    throw InputError({path.string()}, "", "the output path is a directory; give a file name such as out/run.h5");
  }
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::is_directory(folder, error)) {
    throw InputError({path.string()}, "", fmt::format("the output folder '{}' does not exist", folder.string()));
  }
}

void write_results(const EnsembleResults& results, const fs::path& path) {
  check_output_path(path);
  // HDF5 prints its error stack on stderr by default; we report failures ourselves, once.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  fs::path temporary = path;
  temporary += fmt::format(".tmp-{}", ::getpid());
  std::error_code ignored;
  fs::remove(temporary, ignored);
  try {
    write_file(results, temporary);
    fsync_path(temporary, O_RDONLY);
    fs::rename(temporary, path);
    const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    fsync_path(folder, O_RDONLY | O_DIRECTORY);
  } catch (const fs::filesystem_error& failure) {
    fs::remove(temporary, ignored);
    throw RuntimeFailure(fmt::format("cannot write '{}': {}", path.string(), failure.code().message()));
  } catch (...) {
    fs::remove(temporary, ignored);
    throw;
  }
}

}  // namespace fulcrum
