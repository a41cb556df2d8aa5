#include "sim/results_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <cerrno>
#include <cstring>

#include "sim/error.hpp"
#include "sim/parameters.hpp"
#include "sim/result_tables.hpp"

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

// Debian's HDF5 is built without thread safety: one thread in the library at a time (sweep workers
// save their runs concurrently).
std::mutex hdf5_mutex;

// Owns an HDF5 identifier and closes it with the matching H5?close.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
    if (id_ < 0) throw RuntimeFailure(fmt::format("HDF5 could not {}", what));
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle& operator=(Handle&&) = delete;
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

// Variable-length UTF-8 strings, the type of every text attribute and text column we write or read.
Handle utf8_string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy the string type");
  check(H5Tset_size(type, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
  return type;
}

void write_string_attribute(hid_t owner, const char* name, const std::string& value) {
  Handle type = utf8_string_type();
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
  check(H5Pset_obj_track_times(properties, 0), "turn off modification times");  // same runs, same bytes
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

  const auto write_names = [&](const char* name, const std::vector<std::string>& values) {
    Handle type = utf8_string_type();
    std::vector<const char*> pointers;
    for (const auto& value : values) pointers.push_back(value.c_str());
    const hsize_t dims[1] = {pointers.size()};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
    Handle dataset(H5Dcreate2(coords, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                   fmt::format("create /coords/{}", name));
    check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), fmt::format("write /coords/{}", name));
  };
  write_names("firm", results.firm_names);
  write_names("point_name", results.point_names);
  if (results.points == 2) write_names("statistic", {"mean", "ci95_low", "ci95_high"});
  write_names("segment", results.segment_names);

  std::vector<double> deciles;
  for (std::size_t d = 1; d <= kDeciles; ++d) deciles.push_back(static_cast<double>(d) / 10.0);
  const hsize_t dims[1] = {deciles.size()};
  Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
  Handle dataset(H5Dcreate2(coords, "decile", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose, "create /coords/decile");
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, deciles.data()), "write /coords/decile");
}

// /design: the sweep's parameter values per point, and what kind of design they came from.
void write_design(hid_t file, const EnsembleResults& results) {
  Handle group(H5Gcreate2(file, "design", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /design");
  write_string_attribute(group, "kind", results.design_kind);
  std::vector<double> values;
  for (const auto& point : results.design_values) values.insert(values.end(), point.begin(), point.end());
  const hsize_t dims[2] = {results.design_values.size(), results.design_parameters.size()};
  Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create a dataspace");
  Handle dataset(H5Dcreate2(group, "values", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                 "create /design/values");
  check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write /design/values");
  write_string_attribute(dataset, "dimensions", "point,parameter");
  Handle type = utf8_string_type();
  std::vector<const char*> names;
  for (const auto& name : results.design_parameters) names.push_back(name.c_str());
  const hsize_t name_dims[1] = {names.size()};
  Handle name_space(H5Screate_simple(1, name_dims, nullptr), H5Sclose, "create a dataspace");
  Handle parameters(H5Dcreate2(group, "parameter", type, name_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                    "create /design/parameter");
  check(H5Dwrite(parameters, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, names.data()), "write /design/parameter");
}

// /events: one row per event of every run, as columns (point, replicate, quarter, firm, kind, amount,
// text), so that pandas can read it as a table.
void write_events(hid_t file, const EnsembleResults& results) {
  Handle group(H5Gcreate2(file, "events", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /events");
  std::vector<std::int64_t> points, replicates, quarters, firms;
  std::vector<double> amounts;
  std::vector<const char*> kinds, texts;
  for (std::int64_t point = 0; point < results.points; ++point) {
    for (std::int64_t replicate = 0; replicate < results.replicates; ++replicate) {
      for (const Event& event : results.run(point, replicate).events) {
        points.push_back(point);
        replicates.push_back(replicate);
        quarters.push_back(event.quarter);
        firms.push_back(event.firm);
        amounts.push_back(event.amount);
        kinds.push_back(event.kind.c_str());
        texts.push_back(event.text.c_str());
      }
    }
  }
  const hsize_t dims[1] = {points.size()};
  const auto column = [&](const char* name, hid_t file_type, hid_t memory_type, const void* data) {
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose, "create a dataspace");
    Handle dataset(H5Dcreate2(group, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                   fmt::format("create /events/{}", name));
    if (dims[0] > 0) {
      check(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), fmt::format("write /events/{}", name));
    }
  };
  Handle text_type = utf8_string_type();
  column("point", H5T_STD_I64LE, H5T_NATIVE_INT64, points.data());
  column("replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, replicates.data());
  column("quarter", H5T_STD_I64LE, H5T_NATIVE_INT64, quarters.data());
  column("firm", H5T_STD_I64LE, H5T_NATIVE_INT64, firms.data());
  column("kind", text_type, text_type, kinds.data());
  column("amount", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, amounts.data());
  column("text", text_type, text_type, texts.data());
  write_string_attribute(group, "description",
                         "One row per event: funding_round, tap_off, subsidy_end, price_change, bankruptcy; amount in "
                         "currency (the new price for price events)");
}

// The whole file is built in memory (HDF5's core driver, no backing store) and returned as bytes, so
// that writing it to disk is ours to check: a full disk becomes a clear error, never a half-written
// HDF5 file the library later trips over.
std::vector<char> file_image(const EnsembleResults& results, const fs::path& path) {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "create file access properties");
  check(H5Pset_fapl_core(access, 1 << 20, 0), "use the in-memory driver");
  Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, access), H5Fclose,
              fmt::format("create '{}' in memory", path.string()));
  write_string_attribute(file, "fulcrum_version", FULCRUM_VERSION);
  write_int_attribute(file, "schema_version", kSchemaVersion);
  write_string_attribute(file, "scenario_toml", scenario_as_toml(results.scenario));
  write_string_attribute(file, "parameters_json", scenario_as_json(results.scenario));
  write_int_attribute(file, "seed", results.scenario.simulation.seed);
  write_coordinates(file, results);

  write_events(file, results);
  if (!results.design_parameters.empty()) write_design(file, results);
  if (!results.runs_finished.empty()) {
    // An interrupted sweep: which runs are in the file (1) and which are missing, NaN (0).
    Handle group(H5Gcreate2(file, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose, "create /runs");
    const hsize_t dims[2] = {static_cast<hsize_t>(results.points), static_cast<hsize_t>(results.replicates)};
    Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create a dataspace");
    Handle dataset(H5Dcreate2(group, "finished", H5T_STD_U8LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                   "create /runs/finished");
    check(H5Dwrite(dataset, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, results.runs_finished.data()),
          "write /runs/finished");
    write_string_attribute(dataset, "description", "1 for each run in the file, 0 for runs still to do (NaN): resume with --resume");
  }
  // Every dataset of the schema, group by group, in the order tabulate() lists them.
  std::string open_group;
  std::optional<Handle> group;
  for (const ResultTable& table : tabulate(results)) {
    if (table.group != open_group) {
      group.reset();
      group.emplace(H5Gcreate2(file, table.group.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                    fmt::format("create /{}", table.group));
      open_group = table.group;
    }
    const std::vector<hsize_t> dims(table.dims.begin(), table.dims.end());
    write_series(*group, {table.name, table.unit, table.description}, dims, table.values, table.dimension_names);
  }
  group.reset();
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush the file");
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) throw RuntimeFailure("HDF5 could not size the file image");
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file, image.data(), image.size()) < 0) throw RuntimeFailure("HDF5 could not copy the file image");
  file.close("close the file");
  return image;
}

// Writes `bytes` to a new file at `path`, fsynced; RuntimeFailure (with the system's reason) otherwise.
void write_bytes(const fs::path& path, const std::vector<char>& bytes) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (descriptor < 0) throw RuntimeFailure(fmt::format("cannot create '{}': {}", path.string(), std::strerror(errno)));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t step = ::write(descriptor, bytes.data() + written, bytes.size() - written);
    if (step < 0 && errno == EINTR) continue;
    if (step <= 0) {
      const int saved = step < 0 ? errno : ENOSPC;
      ::close(descriptor);
      throw RuntimeFailure(fmt::format("cannot write '{}': {}", path.string(), std::strerror(saved)));
    }
    written += static_cast<std::size_t>(step);
  }
  const int synced = ::fsync(descriptor);
  const int saved = errno;
  if (::close(descriptor) != 0 || synced != 0) {
    throw RuntimeFailure(fmt::format("cannot write '{}': {}", path.string(), std::strerror(synced != 0 ? saved : errno)));
  }
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

Trajectory read_run(const fs::path& path, std::int64_t quarters_recorded, std::int64_t firms, std::int64_t segments) {
  const std::lock_guard lock(hdf5_mutex);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Trajectory run(quarters_recorded, firms, segments);
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, fmt::format("open '{}'", path.string()));
  const auto read = [&](const std::string& name, std::size_t expected) {
    Handle dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, fmt::format("open {} in '{}'", name, path.string()));
    Handle space(H5Dget_space(dataset), H5Sclose, "read a dataspace");
    if (static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) != expected) {
      throw RuntimeFailure(fmt::format("'{}': {} has the wrong size for this sweep", path.string(), name));
    }
    std::vector<double> values(expected);
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), fmt::format("read {}", name));
    return values;
  };
  const auto q_count = quarters_recorded;
  for (std::size_t k = 0; k < kFirmSeries.size(); ++k) {
    const auto values = read("series/" + std::string(kFirmSeries[k].name), static_cast<std::size_t>(q_count * firms));
    for (std::int64_t q = 0; q < q_count; ++q) {
      for (std::int64_t f = 0; f < firms; ++f) run.firm(FirmSeries(k), q, f) = values[static_cast<std::size_t>(q * firms + f)];
    }
  }
  for (std::size_t k = 0; k < kMarketSeries.size(); ++k) {
    const auto values = read("market/" + std::string(kMarketSeries[k].name), static_cast<std::size_t>(q_count));
    for (std::int64_t q = 0; q < q_count; ++q) run.market(MarketSeries(k), q) = values[static_cast<std::size_t>(q)];
  }
  for (std::size_t k = 0; k < kSegmentSeries.size(); ++k) {
    const auto name = kFirmSeries[static_cast<std::size_t>(kSegmentSeries[k])].name;
    const auto values = read("series_by_segment/" + std::string(name), static_cast<std::size_t>(q_count * firms * segments));
    std::size_t i = 0;
    for (std::int64_t q = 0; q < q_count; ++q) {
      for (std::int64_t f = 0; f < firms; ++f) {
        for (std::int64_t g = 0; g < segments; ++g) run.segment(k, q, f, g) = values[i++];
      }
    }
  }
  {
    const auto values = read("distributions/" + std::string(kSatisfactionDeciles.name), static_cast<std::size_t>(q_count * firms) * kDeciles);
    std::size_t i = 0;
    for (std::int64_t q = 0; q < q_count; ++q) {
      for (std::int64_t f = 0; f < firms; ++f) {
        for (std::size_t d = 0; d < kDeciles; ++d) run.decile(q, f, d) = values[i++];
      }
    }
  }
  {
    const auto values = read("cohorts/" + std::string(kCohortsActive.name), static_cast<std::size_t>(firms * q_count * q_count));
    std::size_t i = 0;
    for (std::int64_t f = 0; f < firms; ++f) {
      for (std::int64_t c = 0; c < q_count; ++c) {
        for (std::int64_t q = 0; q < q_count; ++q) run.cohort(f, c, q) = values[i++];
      }
    }
  }
  // Events, column by column.
  Handle quarter_set(H5Dopen2(file, "events/quarter", H5P_DEFAULT), H5Dclose, "open events/quarter");
  Handle event_space(H5Dget_space(quarter_set), H5Sclose, "read a dataspace");
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(event_space));
  if (count > 0) {
    std::vector<std::int64_t> quarters(count), firm_index(count);
    std::vector<double> amounts(count);
    std::vector<char*> kinds(count), texts(count);
    check(H5Dread(quarter_set, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, quarters.data()), "read events");
    Handle firm_set(H5Dopen2(file, "events/firm", H5P_DEFAULT), H5Dclose, "open events/firm");
    check(H5Dread(firm_set, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, firm_index.data()), "read events");
    Handle amount_set(H5Dopen2(file, "events/amount", H5P_DEFAULT), H5Dclose, "open events/amount");
    check(H5Dread(amount_set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, amounts.data()), "read events");
    Handle text_type = utf8_string_type();
    Handle kind_set(H5Dopen2(file, "events/kind", H5P_DEFAULT), H5Dclose, "open events/kind");
    check(H5Dread(kind_set, text_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, kinds.data()), "read events");
    Handle text_set(H5Dopen2(file, "events/text", H5P_DEFAULT), H5Dclose, "open events/text");
    check(H5Dread(text_set, text_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), "read events");
    for (std::size_t i = 0; i < count; ++i) {
      run.events.push_back({quarters[i], firm_index[i], kinds[i], amounts[i], texts[i]});
      H5free_memory(kinds[i]);
      H5free_memory(texts[i]);
    }
  }
  return run;
}

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

void check_new_output(const fs::path& path, bool overwrite) {
  check_output_path(path);
  std::error_code error;
  if (!overwrite && fs::exists(path, error)) {
    throw InputError({path.string()}, "", "the output file exists; add --force to replace it (it is replaced only "
                                          "once the new results are complete)");
  }
}

void write_results(const EnsembleResults& results, const fs::path& path) {
  check_output_path(path);
  const std::lock_guard lock(hdf5_mutex);
  // HDF5 prints its error stack on stderr by default; we report failures ourselves, once.
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  fs::path temporary = path;
  temporary += fmt::format(".tmp-{}", ::getpid());
  std::error_code ignored;
  fs::remove(temporary, ignored);
  try {
    write_bytes(temporary, file_image(results, temporary));
    fs::rename(temporary, path);
    const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    fsync_path(folder, O_RDONLY | O_DIRECTORY);
  } catch (const fs::filesystem_error& failure) {
    fs::remove(temporary, ignored);
    throw RuntimeFailure(fmt::format("cannot write '{}': {}", path.string(), failure.code().message()));
  } catch (const RuntimeFailure& failure) {
    // Nothing is left behind: the requested name is untouched, the partial temporary file removed.
    fs::remove(temporary, ignored);
    throw RuntimeFailure(fmt::format("{} while writing '{}'; nothing was written there. Is the disk full or the file "
                                     "size limited? Free space and run again.", failure.what(), path.string()));
  } catch (...) {
    fs::remove(temporary, ignored);
    throw;
  }
}

}  // namespace fulcrum
