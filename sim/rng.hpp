#pragma once
// Random numbers. There is no global generator. Set-up draws (segments, fit, churn propensities,
// interventions) come from Mersenne Twister streams keyed by (seed, replicate, purpose, quarter,
// sub-step, block of customers). The quarterly customer draws come from a counter-based generator,
// Philox4x32-10: customer c's draws are a function of (seed, replicate, purpose, quarter, c) alone, so
// they cost nothing for customers that need none, and no stream has to be seeded per block. Neither
// depends on which thread runs a block: results are bit-identical for any thread count.
#include <algorithm>
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/seed_seq.hpp>
#include <cstddef>
#include <cstdint>
#include <span>

namespace fulcrum {

using RandomEngine = boost::random::mt19937;

// What a stream is for. Values are part of the results' identity: never renumber, only append.
enum class StreamPurpose : std::uint64_t {
  initial_activity = 1,
  churn_propensity = 2,
  churn = 3,
  adoption = 4,
  network_statistics = 5,
  value_fit = 6,
  segment_assignment = 7,
  intervention = 8,
  issues = 9,
  resolution = 10,
  design = 11,
};

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  StreamPurpose purpose = StreamPurpose::initial_activity;
  std::uint64_t quarter = 0;
  std::uint64_t substep = 0;
  std::uint64_t block = 0;
};

// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective mixer, so distinct keys give
// unrelated words for seeding.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t stream_hash(const StreamKey& key) {
  std::uint64_t h = mix64(key.seed);
  h = mix64(h ^ key.replicate);
  h = mix64(h ^ static_cast<std::uint64_t>(key.purpose));
  h = mix64(h ^ key.quarter);
  h = mix64(h ^ key.substep);
  return mix64(h ^ key.block);
}

inline RandomEngine make_stream(const StreamKey& key) {
  // Eight 32-bit words through seed_seq fill the Mersenne Twister's whole state from a 64-bit hash
  // chain, so two streams share a state only if their keys collide in all 256 bits.
  std::uint64_t h = stream_hash(key);
  std::array<std::uint32_t, 8> words{};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    h = mix64(h);
    words[i] = static_cast<std::uint32_t>(h);
    words[i + 1] = static_cast<std::uint32_t>(h >> 32);
  }
  boost::random::seed_seq sequence(words.begin(), words.end());
  return RandomEngine(sequence);
}

// A uniform draw in [0, 1) with 32 bits of resolution: cheap, and enough for Bernoulli trials.
inline double uniform01(RandomEngine& engine) { return engine() * 0x1p-32; }

// Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3"):
// ten rounds of multiply-and-xor turn a 128-bit counter and a 64-bit key into four 32-bit words that
// pass BigCrush, with no state to carry from one draw to the next.
struct Philox4x32 {
  using Counter = std::array<std::uint32_t, 4>;
  using Key = std::array<std::uint32_t, 2>;

  static constexpr std::uint32_t kMultiplier0 = 0xD2511F53U;
  static constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57U;
  static constexpr std::uint32_t kWeyl0 = 0x9E3779B9U;  // the golden ratio and sqrt(3) - 1 as Weyl increments
  static constexpr std::uint32_t kWeyl1 = 0xBB67AE85U;

  static constexpr Counter generate(Counter counter, Key key) {
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {
        key[0] += kWeyl0;
        key[1] += kWeyl1;
      }
      const std::uint64_t product0 = std::uint64_t{kMultiplier0} * counter[0];
      const std::uint64_t product1 = std::uint64_t{kMultiplier1} * counter[2];
      counter = {static_cast<std::uint32_t>(product1 >> 32) ^ counter[1] ^ key[0], static_cast<std::uint32_t>(product1),
                 static_cast<std::uint32_t>(product0 >> 32) ^ counter[3] ^ key[1], static_cast<std::uint32_t>(product0)};
    }
    return counter;
  }
};

// The four words of up to kCapacity customers' draws, word k of the j-th customer in word[k][j]: what
// CustomerDraws::words_of fills for a pass that walks a list of customers.
struct DrawWords {
  static constexpr std::size_t kCapacity = 64;
  alignas(64) std::array<std::array<std::uint32_t, kCapacity>, 4> word;
};

// How philox_words computes: `fastest` is the widest vectors this CPU has (chosen at run time, so a
// portable build uses AVX-512 where there is one); the others are there to be tested against each other.
enum class PhiloxKernel { fastest, scalar, sse2, avx2, avx512 };
[[nodiscard]] bool philox_kernel_supported(PhiloxKernel kind);

// Philox4x32-10 of the counters {customers[j], 0, group, 0} under `key`, for j < count <= kCapacity,
// many counters per instruction. Integer arithmetic only: the very words Philox4x32::generate gives,
// whichever kernel computes them.
void philox_words(const std::uint32_t* customers, std::size_t count, std::uint32_t group, Philox4x32::Key key,
                  DrawWords& out, PhiloxKernel kind = PhiloxKernel::fastest);

// The uniforms, in [0, 1) with 32 bits of resolution, that each customer draws for one purpose in one
// quarter: four per group; group g holds draws 4g to 4g + 3.
class CustomerDraws {
 public:
  explicit CustomerDraws(const StreamKey& key) {
    const std::uint64_t hash = stream_hash(key);
    key_ = {static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(hash >> 32)};
  }

  [[nodiscard]] std::array<double, 4> operator()(std::uint64_t customer, std::uint32_t group = 0) const {
    const Philox4x32::Counter drawn = words(customer, group);
    return {to_uniform(drawn[0]), to_uniform(drawn[1]), to_uniform(drawn[2]), to_uniform(drawn[3])};
  }

  // The same draws as 32-bit words, to keep for later (to_uniform makes them the same uniforms).
  [[nodiscard]] Philox4x32::Counter words(std::uint64_t customer, std::uint32_t group = 0) const {
    return Philox4x32::generate({static_cast<std::uint32_t>(customer), static_cast<std::uint32_t>(customer >> 32), group, 0}, key_);
  }
  // The same words for a list of customers at once (at most DrawWords::kCapacity).
  void words_of(std::span<const std::uint32_t> customers, std::uint32_t group, DrawWords& out) const {
    philox_words(customers.data(), customers.size(), group, key_, out);
  }
  // For a pass along `customers`: where in `batch` the words of customers[position] are. When
  // `position` starts a chunk of DrawWords::kCapacity customers, `batch` is first filled with its words.
  std::size_t words_at(std::span<const std::uint32_t> customers, std::size_t position, std::uint32_t group,
                       DrawWords& batch) const {
    const std::size_t j = position % DrawWords::kCapacity;
    if (j == 0) words_of(customers.subspan(position, std::min(DrawWords::kCapacity, customers.size() - position)), group, batch);
    return j;
  }
  static constexpr double to_uniform(std::uint32_t word) { return word * 0x1p-32; }

  // Draw number `index` of the customer (sub-step s of the adoption draws, say).
  [[nodiscard]] double uniform(std::uint64_t customer, std::uint64_t index) const {
    return (*this)(customer, static_cast<std::uint32_t>(index / 4))[index % 4];
  }

 private:
  Philox4x32::Key key_{};
};

}  // namespace fulcrum
