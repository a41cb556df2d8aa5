#include "sim/populate.hpp"

#include <omp.h>

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <limits>

#include "sim/team.hpp"

namespace fulcrum {

void populate_pages(const void* data, std::size_t bytes, int threads) {
#if defined(__linux__)
#if defined(MADV_POPULATE_WRITE)
  constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
  constexpr int kPopulateWrite = 23;  // older headers: the value kernels from 5.14 on take
#endif
  constexpr std::size_t kSmallest = std::size_t{1} << 20;
  if (data == nullptr || bytes < kSmallest) return;
  constexpr std::uintptr_t kPage = 4096;  // madvise wants whole pages: the partial ones fault as usual
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end <= begin) return;
  // EINVAL on kernels without it: the pages are then faulted in on first touch. Results never depend on it.
  if (threads <= 1) {
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, kPopulateWrite);
    return;
  }
  const std::size_t pages = (end - begin) / kPage;
#pragma omp parallel num_threads(threads)
  {
    const Share share = team_share(pages, omp_get_thread_num(), omp_get_num_threads());
    const std::uintptr_t first = begin + share.first * kPage;
    const std::uintptr_t last = begin + share.end * kPage;
    if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, kPopulateWrite);
    for (std::uintptr_t page = first; page < last; page += kPage) {
      volatile unsigned char* byte = reinterpret_cast<unsigned char*>(page);
      *byte = *byte;
    }
  }
#else
  (void)data;
  (void)bytes;
  (void)threads;
#endif
}

void keep_freed_memory() {
#if defined(__GLIBC__)
  // No allocation gets its own mapping (each would be unmapped when freed), and the heap's free top is
  // never trimmed back to the kernel below 2 GB.
  (void)mallopt(M_MMAP_MAX, 0);
  (void)mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
#endif
}

void release_freed_memory() {
#if defined(__GLIBC__)
  (void)malloc_trim(0);
#endif
}

}  // namespace fulcrum
