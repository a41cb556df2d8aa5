#pragma once
// Random streams. There is no global generator: every draw comes from a stream derived from
// (seed, replicate, purpose, quarter, sub-step, block of customers). A block's stream does not depend
// on which thread runs it, so results are bit-identical for any thread count.
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/seed_seq.hpp>
#include <cstdint>

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

}  // namespace fulcrum
