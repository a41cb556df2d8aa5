#include "sim/rng.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/simd.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace fulcrum {
namespace {

void philox_words_scalar(const std::uint32_t* customers, std::size_t count, std::uint32_t group, Philox4x32::Key key,
                         DrawWords& out) {
  for (std::size_t j = 0; j < count; ++j) {
    const Philox4x32::Counter words = Philox4x32::generate({customers[j], 0, group, 0}, key);
    for (std::size_t k = 0; k < 4; ++k) out.word[k][j] = words[k];
  }
}

#if defined(__x86_64__)
// One Philox round on a vector of counters, lanes side by side (a register per counter word). The
// 32 x 32 -> 64-bit products come from the even lanes and, shifted down, from the odd lanes.
#define FULCRUM_PHILOX_LANES(NAME, TARGET, V, LANES, LOAD, STORE, SET1, SET1_64, MUL, SRL, SLL, AND, OR, XOR)          \
  TARGET void NAME(const std::uint32_t* customers, std::size_t count, std::uint32_t group, Philox4x32::Key key,        \
                   DrawWords& out) {                                                                                   \
    const V multiplier0 = SET1(static_cast<int>(Philox4x32::kMultiplier0));                                            \
    const V multiplier1 = SET1(static_cast<int>(Philox4x32::kMultiplier1));                                            \
    const V low = SET1_64(0xFFFFFFFFLL);                                                                               \
    const V high = SET1_64(static_cast<long long>(0xFFFFFFFF00000000ULL));                                             \
    for (std::size_t j = 0; j < count; j += (LANES)) {                                                                 \
      V c0 = LOAD(customers + j);                                                                                      \
      V c1 = SET1(0);                                                                                                  \
      V c2 = SET1(static_cast<int>(group));                                                                            \
      V c3 = SET1(0);                                                                                                  \
      std::uint32_t k0 = key[0];                                                                                       \
      std::uint32_t k1 = key[1];                                                                                       \
      for (int round = 0; round < 10; ++round) {                                                                       \
        if (round > 0) {                                                                                               \
          k0 += Philox4x32::kWeyl0;                                                                                    \
          k1 += Philox4x32::kWeyl1;                                                                                    \
        }                                                                                                              \
        const V even0 = MUL(c0, multiplier0);                                                                          \
        const V odd0 = MUL(SRL(c0, 32), multiplier0);                                                                  \
        const V even1 = MUL(c2, multiplier1);                                                                          \
        const V odd1 = MUL(SRL(c2, 32), multiplier1);                                                                  \
        const V high0 = OR(SRL(even0, 32), AND(odd0, high));                                                           \
        const V low0 = OR(AND(even0, low), SLL(odd0, 32));                                                             \
        const V high1 = OR(SRL(even1, 32), AND(odd1, high));                                                           \
        const V low1 = OR(AND(even1, low), SLL(odd1, 32));                                                             \
        c0 = XOR(XOR(high1, c1), SET1(static_cast<int>(k0)));                                                          \
        c1 = low1;                                                                                                     \
        c2 = XOR(XOR(high0, c3), SET1(static_cast<int>(k1)));                                                          \
        c3 = low0;                                                                                                     \
      }                                                                                                                \
      STORE(out.word[0].data() + j, c0);                                                                               \
      STORE(out.word[1].data() + j, c1);                                                                               \
      STORE(out.word[2].data() + j, c2);                                                                               \
      STORE(out.word[3].data() + j, c3);                                                                               \
    }                                                                                                                  \
  }

#define FULCRUM_LOAD128(p) _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))
#define FULCRUM_STORE128(p, v) _mm_store_si128(reinterpret_cast<__m128i*>(p), v)
FULCRUM_PHILOX_LANES(philox_sse2, , __m128i, 4, FULCRUM_LOAD128, FULCRUM_STORE128, _mm_set1_epi32, _mm_set1_epi64x,
                     _mm_mul_epu32, _mm_srli_epi64, _mm_slli_epi64, _mm_and_si128, _mm_or_si128, _mm_xor_si128)
#define FULCRUM_LOAD256(p) _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))
#define FULCRUM_STORE256(p, v) _mm256_store_si256(reinterpret_cast<__m256i*>(p), v)
FULCRUM_PHILOX_LANES(philox_avx2, __attribute__((target("avx2"))), __m256i, 8, FULCRUM_LOAD256, FULCRUM_STORE256,
                     _mm256_set1_epi32, _mm256_set1_epi64x, _mm256_mul_epu32, _mm256_srli_epi64, _mm256_slli_epi64,
                     _mm256_and_si256, _mm256_or_si256, _mm256_xor_si256)
FULCRUM_AVX512_BEGIN
#define FULCRUM_LOAD512(p) _mm512_loadu_si512(p)
#define FULCRUM_STORE512(p, v) _mm512_store_si512(p, v)
FULCRUM_PHILOX_LANES(philox_avx512, __attribute__((target("avx512f"))), __m512i, 16, FULCRUM_LOAD512, FULCRUM_STORE512,
                     _mm512_set1_epi32, _mm512_set1_epi64, _mm512_mul_epu32, _mm512_srli_epi64, _mm512_slli_epi64,
                     _mm512_and_si512, _mm512_or_si512, _mm512_xor_si512)
FULCRUM_AVX512_END

#endif

using Kernel = void (*)(const std::uint32_t*, std::size_t, std::uint32_t, Philox4x32::Key, DrawWords&);

Kernel kernel_of(PhiloxKernel kind) {
  switch (kind) {
#if defined(__x86_64__)
    case PhiloxKernel::sse2: return philox_sse2;
    case PhiloxKernel::avx2: return philox_avx2;
    case PhiloxKernel::avx512: return philox_avx512;
#endif
    default: return philox_words_scalar;
  }
}

PhiloxKernel fastest_kernel() {
  for (const PhiloxKernel kind : {PhiloxKernel::avx512, PhiloxKernel::avx2, PhiloxKernel::sse2}) {
    if (philox_kernel_supported(kind)) return kind;
  }
  return PhiloxKernel::scalar;
}

}  // namespace

bool philox_kernel_supported(PhiloxKernel kind) {
#if defined(__x86_64__)
  switch (kind) {
    case PhiloxKernel::avx512: return cpu_has_avx512();
    case PhiloxKernel::avx2: return cpu_has_avx2();
    default: return true;  // every x86-64 has SSE2
  }
#else
  return kind == PhiloxKernel::scalar;
#endif
}

void philox_words(const std::uint32_t* customers, std::size_t count, std::uint32_t group, Philox4x32::Key key,
                  DrawWords& out, PhiloxKernel kind) {
  if (count > DrawWords::kCapacity) throw std::logic_error("philox_words: more customers than DrawWords holds");
  if (kind == PhiloxKernel::fastest) {
    static const PhiloxKernel fastest = fastest_kernel();
    kind = count < 4 ? PhiloxKernel::scalar : fastest;  // below a vector's worth the scalar rounds are as quick
  }
  if (kind == PhiloxKernel::scalar) return philox_words_scalar(customers, count, group, key, out);
  // The vector kernels read whole vectors: the lanes past `count` read zeros and are never looked at.
  alignas(64) std::array<std::uint32_t, DrawWords::kCapacity> lanes{};
  std::copy_n(customers, count, lanes.begin());
  kernel_of(kind)(lanes.data(), count, group, key, out);
}

}  // namespace fulcrum
