#include "sim/populate.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fulcrum {

void populate_pages(const void* data, std::size_t bytes) {
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
  (void)madvise(reinterpret_cast<void*>(begin), end - begin, kPopulateWrite);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace fulcrum
