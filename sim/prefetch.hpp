#pragma once
// Asking for memory ahead of use. GCC 12 deletes a __builtin_prefetch whose address takes a load (a
// neighbour row's start, read from the CSR offsets) when it sits in a conditional block, as every
// prefetch here does (they skip the complete graph and the end of a list): such a row was never
// prefetched. An asm statement with a memory operand is always kept, and only computes the address.
#include <cstddef>
#include <cstdint>

namespace fulcrum {

inline void prefetch(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
  __asm__ volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

// The entries of customers `listed` (`count` of them, at least one, ascending) in a column of entries `stride` bytes
// apart from `base`: every cache line from the first's to the last's, each asked for once, where the
// list is dense enough that those lines are no more than its customers; otherwise each customer's.
inline void prefetch_listed(const void* base, std::size_t stride, const std::uint32_t* listed, std::size_t count) {
  constexpr std::uintptr_t kLine = 64;
  const auto at = [&](std::uint32_t customer) { return reinterpret_cast<std::uintptr_t>(base) + customer * stride; };
  const std::uintptr_t first = at(listed[0]) & ~(kLine - 1);
  const std::uintptr_t last = at(listed[count - 1]);
  if ((last - first) / kLine < count) {
    for (std::uintptr_t line = first; line <= last; line += kLine) prefetch(reinterpret_cast<const void*>(line));
  } else {
    for (std::size_t k = 0; k < count; ++k) prefetch(reinterpret_cast<const void*>(at(listed[k])));
  }
}
template <class Entry>
inline void prefetch_listed(const Entry* column, const std::uint32_t* listed, std::size_t count) {
  prefetch_listed(column, sizeof(Entry), listed, count);
}

}  // namespace fulcrum
