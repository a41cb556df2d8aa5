#pragma once
// Asking for memory ahead of use. GCC 12 deletes a __builtin_prefetch whose address takes a load (a
// neighbour row's start, read from the CSR offsets) when it sits in a conditional block, as every
// prefetch here does (they skip the complete graph and the end of a list): such a row was never
// prefetched. An asm statement with a memory operand is always kept, and only computes the address.
namespace fulcrum {

inline void prefetch(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
  __asm__ volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
#endif
}

}  // namespace fulcrum
