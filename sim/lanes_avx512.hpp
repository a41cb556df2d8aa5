#pragma once
// Moving customers' columns in and out of AVX-512 lanes (sim/lanes.hpp): for kernels only, inside
// FULCRUM_AVX512_BEGIN/END (sim/simd.hpp), on CPUs that cpu_has_avx512().
#if defined(__x86_64__)
#include <immintrin.h>

#include "sim/lanes.hpp"
#include "sim/simd.hpp"

FULCRUM_AVX512_BEGIN
namespace fulcrum {

// Eight customers' floats (`index`: their numbers), widened exactly to doubles.
FULCRUM_AVX512_INLINE Doubles8 gather_column(const float* column, __m256i index) {
  return _mm512_cvtps_pd(_mm256_i32gather_ps(column, index, 4));
}
// Rounded to float as a static_cast does, and stored back.
FULCRUM_AVX512_INLINE void scatter_column(float* column, __m256i index, Doubles8 value) {
  _mm256_i32scatter_ps(column, index, _mm512_cvtpd_ps(value), 4);
}
// Eight doubles from memory, or to it.
FULCRUM_AVX512_INLINE Doubles8 load_lanes(const double* from) { return _mm512_loadu_pd(from); }
FULCRUM_AVX512_INLINE void store_lanes(double* to, Doubles8 value) { _mm512_storeu_pd(to, value); }

}  // namespace fulcrum
FULCRUM_AVX512_END
#endif
