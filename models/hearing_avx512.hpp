#pragma once
// What eight customers hear from kept neighbour totals, in AVX-512 lanes: for kernels only, inside
// FULCRUM_AVX512_BEGIN/END (sim/simd.hpp), on CPUs that cpu_has_avx512().
#if defined(__x86_64__)
#include <immintrin.h>

#include "models/word_of_mouth.hpp"
#include "sim/lanes_avx512.hpp"

FULCRUM_AVX512_BEGIN
namespace fulcrum {

// neighbour_mean's kept-totals case for the customers `index` (a network, not the complete graph):
// the total times the audience's unit, over the degree; 0 with no neighbours, in its order of
// operations, so each lane gives neighbour_mean's bits.
FULCRUM_AVX512_INLINE Doubles8 kept_means(const Hearing& heard, __m256i index) {
  const SocialNetwork& network = heard.network;
  // The degree byte of each lane (four bytes read, the first kept), and for lanes with many
  // neighbours the degree from the offsets.
  const __m256i short_degree = gather_bytes(network.degree_bytes.data(), index);
  Doubles8 degree = _mm512_cvtepi32_pd(short_degree);
  const __mmask8 many = _mm256_cmpeq_epi32_mask(short_degree, _mm256_set1_epi32(SocialNetwork::kManyNeighbours));
  if (many != 0) {
    const auto* offsets = reinterpret_cast<const long long*>(network.offsets.data());
    const __m512i none = _mm512_setzero_si512();
    const __m512i begin = _mm512_mask_i32gather_epi64(none, many, index, offsets, 8);
    const __m512i end = _mm512_mask_i32gather_epi64(none, many, index, offsets + 1, 8);
    degree = _mm512_mask_blend_pd(many, degree, _mm512_cvtepu64_pd(_mm512_sub_epi64(end, begin)));
  }
  const TotalsView& kept = heard.neighbour_totals;
  const Doubles8 total =
      kept.narrow != nullptr
          ? Doubles8(_mm512_cvtepi32_pd(_mm256_i32gather_epi32(kept.narrow, index, 8)))
          : Doubles8(_mm512_cvtepi64_pd(
                _mm512_i32gather_epi64(_mm256_slli_epi32(index, 1), reinterpret_cast<const long long*>(kept.wide), 8)));
  return select(degree == splat<Doubles8>(0.0), splat<Doubles8>(0.0), total * splat<Doubles8>(heard.audience.unit) / degree);
}

}  // namespace fulcrum
FULCRUM_AVX512_END
#endif
