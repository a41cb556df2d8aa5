#include "sim/error.hpp"

#include <fmt/format.h>

namespace fulcrum {

std::string SourceLocation::to_string() const {
  if (line > 0 && column > 0) return fmt::format("{}:{}:{}", file, line, column);
  if (line > 0) return fmt::format("{}:{}", file, line);
  return file;
}

static std::string compose_message(const SourceLocation& where, const std::string& path,
                                   const std::string& problem) {
  std::string message = where.to_string();
  if (!message.empty()) message += ": ";
  if (!path.empty()) message += path + ": ";
  return message + problem;
}

InputError::InputError(SourceLocation where, std::string parameter_path, std::string problem)
    : std::runtime_error(compose_message(where, parameter_path, problem)),
      where_(std::move(where)),
      parameter_path_(std::move(parameter_path)),
      problem_(std::move(problem)) {}

}  // namespace fulcrum
