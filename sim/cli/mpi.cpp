#include "sim/cli/mpi.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>

namespace fulcrum::cli {
namespace {
constexpr int kClaimTag = 71;
constexpr int kRunTag = 72;
}  // namespace

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (provided < MPI_THREAD_MULTIPLE && size_ > 1) {
    if (rank_ == 0) std::fputs("error: this MPI library cannot serve run claims from a thread (no MPI_THREAD_MULTIPLE)\n", stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  if (rank_ == 0 && size_ > 1) service_ = std::thread([this] { serve(); });
}

MpiSession::~MpiSession() {
  if (service_.joinable()) {
    stopping_ = true;
    service_.join();
  }
  MPI_Finalize();
}

void MpiSession::serve() {
  // Polls with a short sleep rather than a blocking receive, which would spin a core rank 0 needs.
  while (!stopping_) {
    int request = 0;
    MPI_Request pending;
    MPI_Irecv(&request, 1, MPI_INT, MPI_ANY_SOURCE, kClaimTag, MPI_COMM_WORLD, &pending);
    int done = 0;
    MPI_Status status;
    while (!done && !stopping_) {
      MPI_Test(&pending, &done, &status);
      if (!done) std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (!done) {
      MPI_Cancel(&pending);
      MPI_Wait(&pending, MPI_STATUS_IGNORE);
      return;
    }
    const std::int64_t run = counter_++;
    MPI_Send(&run, 1, MPI_INT64_T, status.MPI_SOURCE, kRunTag, MPI_COMM_WORLD);
  }
}

std::int64_t MpiSession::claim_run() {
  if (rank_ == 0) return counter_++;
  int request = 1;
  std::int64_t run = 0;
  MPI_Send(&request, 1, MPI_INT, 0, kClaimTag, MPI_COMM_WORLD);
  MPI_Recv(&run, 1, MPI_INT64_T, 0, kRunTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return run;
}

void MpiSession::barrier() const { MPI_Barrier(MPI_COMM_WORLD); }

void MpiSession::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this keeps the promise if it ever did
}

}  // namespace fulcrum::cli
