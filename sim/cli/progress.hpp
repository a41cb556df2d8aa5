#pragma once
// A one-line progress bar for terminals. Silent when disabled (--quiet, or stdout not a terminal).
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace fulcrum::cli {

class ProgressBar {
 public:
  ProgressBar(bool enabled, const char* unit);
  void update(std::int64_t done, std::int64_t total);
  void finish();

 private:
  bool enabled_;
  const char* unit_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace fulcrum::cli
