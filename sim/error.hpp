#pragma once
// Errors the engine reports to people. Thrown at load or validation time, caught once in main.
#include <stdexcept>
#include <string>

namespace fulcrum {

// Where a value came from: a scenario file position, or a command-line argument.
struct SourceLocation {
  std::string file;  // file path, or a description such as "--set argument 2"
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  [[nodiscard]] std::string to_string() const;
};

// Bad input from a user: a scenario file, an override, a command-line value. The CLI maps it to exit
// code 2. `what()` is the full message, ready to print: "file:line:col: path: problem".
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string parameter_path, std::string problem);

  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& parameter_path() const noexcept { return parameter_path_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  SourceLocation where_;
  std::string parameter_path_;
  std::string problem_;
};

// A failure while running or writing results (disk full, HDF5 error): not the user's input.
class RuntimeFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace fulcrum
