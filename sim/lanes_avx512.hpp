#pragma once
// Moving customers' columns in and out of AVX-512 lanes (sim/lanes.hpp): for kernels only, inside
// FULCRUM_AVX512_BEGIN/END (sim/simd.hpp), on CPUs that cpu_has_avx512().
#if defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "sim/lanes.hpp"
#include "sim/simd.hpp"

FULCRUM_AVX512_BEGIN
namespace fulcrum {

// Eight customers' floats (`index`: their numbers), widened exactly to doubles.
FULCRUM_AVX512_INLINE Doubles8 gather_column(const float* column, __m256i index) {
  return _mm512_cvtps_pd(_mm256_i32gather_ps(column, index, 4));
}
// Rounded to float as a static_cast does, and stored back to the eight customers listed at `index`,
// one by one: a scatter instruction is microcoded on AMD's cores, and eight scalar stores took 15-20 %
// off perception at 10^5 and 10^6 customers (alternating runs).
FULCRUM_AVX512_INLINE void scatter_column(float* column, const std::uint32_t* index, Doubles8 value) {
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, _mm512_cvtpd_ps(value));
  for (int lane = 0; lane < 8; ++lane) column[index[lane]] = lanes[lane];
}
// Eight (or sixteen) customers' bytes and 16-bit numbers (`index`: their numbers), widened to 32-bit
// lanes. Each is read in four bytes: up to three past a lane's own, which must lie within the column
// (gatherable_below).
FULCRUM_AVX512_INLINE __m256i gather_bytes(const std::uint8_t* column, __m256i index) {
  return _mm256_and_si256(_mm256_i32gather_epi32(reinterpret_cast<const int*>(column), index, 1), _mm256_set1_epi32(0xFF));
}
FULCRUM_AVX512_INLINE __m512i gather_bytes(const std::uint8_t* column, __m512i index) {
  return _mm512_and_si512(_mm512_i32gather_epi32(index, column, 1), _mm512_set1_epi32(0xFF));
}
FULCRUM_AVX512_INLINE __m256i gather_shorts(const std::uint16_t* column, __m256i index) {
  return _mm256_and_si256(_mm256_i32gather_epi32(reinterpret_cast<const int*>(column), index, 2), _mm256_set1_epi32(0xFFFF));
}
FULCRUM_AVX512_INLINE __m512i gather_shorts(const std::uint16_t* column, __m512i index) {
  return _mm512_and_si512(_mm512_i32gather_epi32(index, column, 2), _mm512_set1_epi32(0xFFFF));
}
FULCRUM_AVX512_INLINE __m256i gather_shorts(const std::int16_t* column, __m256i index) {
  return _mm256_srai_epi32(_mm256_slli_epi32(_mm256_i32gather_epi32(reinterpret_cast<const int*>(column), index, 2), 16), 16);
}
// The customers below which a gather of four bytes a lane stays within a column of `entries` entries
// of `entry_bytes` bytes (1 or 2).
inline std::uint32_t gatherable_below(std::int64_t entries, std::int64_t entry_bytes) {
  return static_cast<std::uint32_t>(std::max<std::int64_t>(0, entries - (4 / entry_bytes - 1)));
}
// The highest of eight customer numbers: where a gather of four bytes a lane may read up to.
FULCRUM_AVX512_INLINE std::uint32_t highest_lane(__m256i index) {
  return _mm512_reduce_max_epu32(_mm512_zextsi256_si512(index));
}
// Whether every lane holds what the first does.
FULCRUM_AVX512_INLINE bool all_lanes_equal(__m256i lanes) {
  return _mm256_cmpeq_epi32_mask(lanes, _mm256_permutevar8x32_epi32(lanes, _mm256_setzero_si256())) == 0xFF;
}
// Eight draws' 32-bit words (`words`, side by side) as uniforms, exactly as CustomerDraws::to_uniform.
FULCRUM_AVX512_INLINE Doubles8 uniforms_of(__m256i words) { return Doubles8(_mm512_cvtepu32_pd(words)) * splat<Doubles8>(0x1p-32); }
FULCRUM_AVX512_INLINE Doubles8 uniforms_of(const std::uint32_t* words) {
  return uniforms_of(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(words)));
}
// A bit for each lane where `mask` is set.
FULCRUM_AVX512_INLINE unsigned lanes_set(LaneMask<Doubles8> mask) {
  return _mm512_movepi64_mask(reinterpret_cast<__m512i>(mask));
}
// The lanes of `value` that `keep` selects, stored side by side from `to` (what a compress store does),
// compressed in a register and stored whole: a compress straight to memory is microcoded on AMD's cores,
// some 60 cycles on this machine's (88 % of the status lists' time, and most of the prospects' listing).
// `to` must have room for all sixteen 32-bit lanes (eight 64-bit lanes); those past the kept ones are
// overwritten with zeros.
FULCRUM_AVX512_INLINE void store_kept_32(void* to, __mmask16 keep, __m512i value) {
  _mm512_storeu_si512(to, _mm512_maskz_compress_epi32(keep, value));
}
FULCRUM_AVX512_INLINE void store_kept_64(void* to, __mmask8 keep, __m512i value) {
  _mm512_storeu_si512(to, _mm512_maskz_compress_epi64(keep, value));
}
// Eight 32-bit numbers (row numbers, say) as 64-bit lanes.
FULCRUM_AVX512_INLINE SignedBits8 wide_lanes(const std::int32_t* numbers) {
  return reinterpret_cast<SignedBits8>(_mm512_cvtepi32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(numbers))));
}
// Eight doubles from memory, or to it.
FULCRUM_AVX512_INLINE Doubles8 load_lanes(const double* from) { return _mm512_loadu_pd(from); }
FULCRUM_AVX512_INLINE void store_lanes(double* to, Doubles8 value) { _mm512_storeu_pd(to, value); }

}  // namespace fulcrum
FULCRUM_AVX512_END
#endif
