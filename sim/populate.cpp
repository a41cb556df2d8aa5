#include "sim/populate.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <limits>

#include "sim/team.hpp"

namespace fulcrum {

namespace {

#if defined(__linux__)
#if defined(MADV_POPULATE_WRITE)
constexpr int kPopulateWrite = MADV_POPULATE_WRITE;
#else
constexpr int kPopulateWrite = 23;  // older headers: the value kernels from 5.14 on take
#endif
constexpr std::uintptr_t kPage = 4096;

// The whole pages of [data, data + bytes) (madvise wants whole pages: the partial ones fault as usual);
// none for arrays under a megabyte.
std::pair<std::uintptr_t, std::uintptr_t> whole_pages(const void* data, std::size_t bytes) {
  constexpr std::size_t kSmallest = std::size_t{1} << 20;
  if (data == nullptr || bytes < kSmallest) return {0, 0};
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  return {begin, std::max(begin, end)};
}

// Maps the pages [first, last) and writes each once (a byte written back as it was read). EINVAL on
// kernels without MADV_POPULATE_WRITE: the pages are then faulted in by the writes. Results never
// depend on it.
void map_and_touch(std::uintptr_t first, std::uintptr_t last) {
  if (last <= first) return;
  (void)madvise(reinterpret_cast<void*>(first), last - first, kPopulateWrite);
  for (std::uintptr_t page = first; page < last; page += kPage) {
    volatile unsigned char* byte = reinterpret_cast<unsigned char*>(page);
    *byte = *byte;
  }
}
#endif

}  // namespace

void populate_pages(const void* data, std::size_t bytes, int threads) {
#if defined(__linux__)
  const auto [begin, end] = whole_pages(data, bytes);
  if (end <= begin) return;
  if (threads <= 1) {
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, kPopulateWrite);
    return;
  }
  const std::size_t pages = (end - begin) / kPage;
#pragma omp parallel num_threads(threads)
  {
    const Share share = team_share(pages, omp_get_thread_num(), omp_get_num_threads());
    map_and_touch(begin + share.first * kPage, begin + share.end * kPage);
  }
#else
  (void)data;
  (void)bytes;
  (void)threads;
#endif
}

void populate_and_touch_pages(const void* data, std::size_t bytes) {
#if defined(__linux__)
  const auto [begin, end] = whole_pages(data, bytes);
  map_and_touch(begin, end);
#else
  (void)data;
  (void)bytes;
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
