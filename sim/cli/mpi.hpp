#pragma once
// MPI for sweeps (built only with FULCRUM_WITH_MPI). Dynamic load balancing: rank 0 keeps the run
// counter; its own workers take from it directly, and a light service thread answers the other ranks'
// requests, so a free rank never waits for rank 0 to finish a run. Each rank saves its runs as parts;
// rank 0 merges them into the one output file (sim/sweep_runner.cpp).
#include <atomic>
#include <cstdint>
#include <thread>

namespace fulcrum::cli {

class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  // The next run index, shared by all ranks.
  std::int64_t claim_run();
  void barrier() const;
  // Ends every rank with `code`: one rank's failure must not leave the others waiting at a barrier.
  [[noreturn]] void abort(int code) const;

 private:
  void serve();  // rank 0: answers claims from the other ranks until stopped

  int rank_ = 0;
  int size_ = 1;
  std::atomic<std::int64_t> counter_{0};
  std::atomic<bool> stopping_{false};
  std::thread service_;
};

}  // namespace fulcrum::cli
