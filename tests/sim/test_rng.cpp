#include <catch2/catch.hpp>
#include <set>

#include "sim/rng.hpp"

using namespace fulcrum;

TEST_CASE("a stream is fixed by its key", "[rng]") {
  const StreamKey key{42, 3, StreamPurpose::churn, 7, 0, 11};
  RandomEngine a = make_stream(key);
  RandomEngine b = make_stream(key);
  for (int i = 0; i < 1000; ++i) REQUIRE(a() == b());
}

TEST_CASE("every field of the key changes the stream", "[rng]") {
  const StreamKey base{42, 3, StreamPurpose::churn, 7, 1, 11};
  std::vector<StreamKey> keys(7, base);
  keys[1].seed = 43;
  keys[2].replicate = 4;
  keys[3].purpose = StreamPurpose::adoption;
  keys[4].quarter = 8;
  keys[5].substep = 2;
  keys[6].block = 12;
  std::set<std::uint64_t> first_words;
  for (const auto& key : keys) {
    RandomEngine engine = make_stream(key);
    first_words.insert((std::uint64_t(engine()) << 32) | engine());
  }
  CHECK(first_words.size() == keys.size());
}

TEST_CASE("uniform01 stays at or above 0 and below 1 with the right mean", "[rng]") {
  RandomEngine engine = make_stream({1, 0, StreamPurpose::adoption, 0, 0, 0});
  const int draws = 200000;
  double sum = 0;
  for (int i = 0; i < draws; ++i) {
    const double u = uniform01(engine);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  // Mean of U(0,1) has standard error sqrt(1/12 / n); allow 5 standard errors.
  CHECK(std::abs(sum / draws - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / draws));
}
