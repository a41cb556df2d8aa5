#pragma once
// What the vector kernels share: which CPUs run them, and how they are compiled. Each kernel sits
// beside a scalar path that gives the same bits, chosen at run time, so one portable binary uses the
// widest instructions the CPU has (tests compare every kernel the machine can run with the scalar).

namespace fulcrum {

// AVX-512 as the kernels use it: the foundation, 64-bit integer conversions (DQ) and 256-bit forms of
// the gathers and scatters (VL), which every AVX-512 CPU since 2017 has. Asked once: the passes ask
// for every block.
inline bool cpu_has_avx512() {
#if defined(__x86_64__)
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
  }();
  return has;
#else
  return false;
#endif
}

inline bool cpu_has_avx2() {
#if defined(__x86_64__)
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
  }();
  return has;
#else
  return false;
#endif
}

}  // namespace fulcrum

// An AVX-512 kernel: compiled for those instructions only, and with every call in it inlined (the
// vector rules of sim/lanes.hpp take their registers by value).
#define FULCRUM_AVX512_KERNEL __attribute__((target("avx512f,avx512dq,avx512vl"), flatten))
// A helper of such kernels (lambdas would not inherit the target).
#define FULCRUM_AVX512_INLINE [[gnu::always_inline]] inline __attribute__((target("avx512f,avx512dq,avx512vl")))

// GCC 12's AVX-512 headers build some vectors from a self-initialised register, which its own
// -Wmaybe-uninitialized then reports in every caller: a known false positive of the header.
#if defined(__GNUC__) && !defined(__clang__)
#define FULCRUM_AVX512_BEGIN _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
#define FULCRUM_AVX512_END _Pragma("GCC diagnostic pop")
#else
#define FULCRUM_AVX512_BEGIN
#define FULCRUM_AVX512_END
#endif
