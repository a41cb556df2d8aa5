#include <catch2/catch.hpp>
#include <set>
#include <stdexcept>
#include <vector>

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

TEST_CASE("Philox4x32-10 reproduces Random123's known-answer vectors", "[rng]") {
  using Counter = Philox4x32::Counter;
  CHECK(Philox4x32::generate({0, 0, 0, 0}, {0, 0}) == Counter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(Philox4x32::generate({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        Counter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(Philox4x32::generate({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        Counter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("customer draws depend on the key and the customer only, and are uniform", "[rng]") {
  const CustomerDraws draws({7, 1, StreamPurpose::adoption, 3, 0, 0});
  const CustomerDraws again({7, 1, StreamPurpose::adoption, 3, 0, 0});
  const CustomerDraws other_quarter({7, 1, StreamPurpose::adoption, 4, 0, 0});
  double sum = 0;
  std::int64_t same_as_other_quarter = 0;
  const std::int64_t n = 200000;
  for (std::int64_t customer = n - 1; customer >= 0; --customer) {  // any order
    const auto c = static_cast<std::uint64_t>(customer);
    REQUIRE(draws(c) == again(c));
    for (std::uint64_t index = 0; index < 8; ++index) {
      const double u = draws.uniform(c, index);
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      REQUIRE(u == CustomerDraws::to_uniform(draws.words(c, static_cast<std::uint32_t>(index / 4))[index % 4]));
      sum += u;
    }
    if (draws(c)[0] == other_quarter(c)[0]) ++same_as_other_quarter;
  }
  const double mean = sum / (8.0 * static_cast<double>(n));
  CHECK(std::abs(mean - 0.5) < 4 * std::sqrt(1.0 / 12.0 / (8.0 * static_cast<double>(n))));
  CHECK(same_as_other_quarter < 3);  // 32-bit words: a coincidence is about 1 in 20,000 here
}

TEST_CASE("customer draws for a list of customers are the same words, from every Philox kernel", "[rng]") {
  const StreamKey key{7, 1, StreamPurpose::churn, 3, 0, 0};
  const CustomerDraws draws(key);
  const std::uint64_t hash = stream_hash(key);
  const Philox4x32::Key philox_key{static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(hash >> 32)};
  RandomEngine engine = make_stream({1, 0, StreamPurpose::design, 0, 0, 0});
  std::vector<std::uint32_t> customers(DrawWords::kCapacity);
  int kernels_tried = 0;
  for (const PhiloxKernel kind :
       {PhiloxKernel::fastest, PhiloxKernel::scalar, PhiloxKernel::sse2, PhiloxKernel::avx2, PhiloxKernel::avx512}) {
    if (kind != PhiloxKernel::fastest && !philox_kernel_supported(kind)) continue;
    ++kernels_tried;
    for (std::size_t count = 0; count <= DrawWords::kCapacity; ++count) {
      for (auto& customer : customers) customer = engine();  // any ids, the largest included
      customers[0] = 0xFFFFFFFFU;
      const std::uint32_t group = engine() % 4;
      DrawWords batch{};
      philox_words(customers.data(), count, group, philox_key, batch, kind);
      for (std::size_t j = 0; j < count; ++j) {
        const Philox4x32::Counter expected = draws.words(customers[j], group);
        for (std::size_t k = 0; k < 4; ++k) REQUIRE(batch.word[k][j] == expected[k]);
      }
      if (kind == PhiloxKernel::fastest) {
        DrawWords through_draws{};
        draws.words_of(std::span(customers).first(count), group, through_draws);
        for (std::size_t j = 0; j < count; ++j) {
          for (std::size_t k = 0; k < 4; ++k) REQUIRE(through_draws.word[k][j] == batch.word[k][j]);
        }
      }
    }
  }
  CHECK(kernels_tried >= 2);  // the fastest and the scalar one at least
}

TEST_CASE("philox_words refuses more customers than it can hold", "[rng]") {
  std::vector<std::uint32_t> customers(DrawWords::kCapacity + 1, 0);
  DrawWords batch{};
  CHECK_THROWS_AS(philox_words(customers.data(), customers.size(), 0, {1, 2}, batch), std::logic_error);
}
