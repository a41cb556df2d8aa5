#pragma once
// Work split between the threads of an OpenMP team in fixed shares, for passes where a thread must get
// the same part every time (the rows it fills, the totals it owns, the blocks whose pages it touched
// first): thread t of T takes [n t / T, n (t + 1) / T).
#include <cstddef>

namespace fulcrum {

struct Share {
  std::size_t first;
  std::size_t end;
};

inline Share team_share(std::size_t n, int thread, int threads) {
  const auto t = static_cast<std::size_t>(thread);
  const auto team = static_cast<std::size_t>(threads);
  return {n * t / team, n * (t + 1) / team};
}

}  // namespace fulcrum
