// libFuzzer target: scenario files, sweep files and --set overrides. Bad input must end in InputError
// (exit code 2 in the CLI), never in a crash, another exception, a hang or unbounded allocation.
// Input layout: the text of a file, optionally followed by a 0 byte and "--set" assignments, one per line.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/error.hpp"
#include "sim/scenario_loader.hpp"
#include "sim/sweep.hpp"

namespace {

std::filesystem::path scratch_file() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("fulcrum-fuzz-" + std::to_string(::getpid()) + ".toml");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto split = input.find('\0');
  std::vector<std::string> overrides;
  if (split != std::string::npos) {
    std::istringstream lines(input.substr(split + 1));
    for (std::string line; std::getline(lines, line);) overrides.push_back(line);
  }
  {
    std::ofstream file(scratch_file(), std::ios::binary | std::ios::trunc);
    file << input.substr(0, split);
  }
  try {
    (void)fulcrum::load_scenario(scratch_file(), overrides);
  } catch (const fulcrum::InputError&) {
  }
  try {
    if (fulcrum::is_sweep_file(scratch_file())) (void)fulcrum::sweep_scenarios(fulcrum::load_sweep(scratch_file()));
  } catch (const fulcrum::InputError&) {
  }
  return 0;
}
