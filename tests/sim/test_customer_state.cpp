#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "sim/customer_state.hpp"
#include "sim/populate.hpp"
#include "sim/rng.hpp"

using namespace fulcrum;

TEST_CASE("take_status lists each block's active customers and prospects in order, on every CPU path", "[state]") {
  RandomEngine engine = make_stream({3, 0, StreamPurpose::design, 0, 0, 0});
  CustomerState customers(3 * kCustomersPerBlock + 37);  // a short last block, not a multiple of 16
  for (Eigen::Index i = 0; i < customers.size(); ++i) customers.status[i] = static_cast<std::uint8_t>(engine() % 3);
  for (Eigen::Index block = 0; block < block_count(customers.size()); ++block) {
    const CustomerRange range = block_range(block, customers.size());
    std::vector<std::uint32_t> active;
    std::vector<std::uint32_t> prospects;
    std::int64_t lapsed = 0;
    for (Eigen::Index i = range.begin; i < range.end; ++i) {
      if (customers.status[i] == customer_status::active) active.push_back(static_cast<std::uint32_t>(i));
      if (customers.status[i] == customer_status::prospect) prospects.push_back(static_cast<std::uint32_t>(i));
      if (customers.status[i] == customer_status::lapsed) ++lapsed;
    }
    BlockStatus fastest;
    BlockStatus scalar;
    take_status(customers, range, fastest);
    take_status_scalar(customers, range, scalar);
    for (const BlockStatus* taken : {&fastest, &scalar}) {
      CHECK(std::vector<std::uint32_t>(taken->active.begin(), taken->active.end()) == active);
      CHECK(std::vector<std::uint32_t>(taken->prospects.begin(), taken->prospects.end()) == prospects);
      CHECK(taken->lapsed == lapsed);
    }
  }
  // Taken again into the same lists after statuses change: nothing is left over from before.
  BlockStatus reused;
  take_status(customers, block_range(0, customers.size()), reused);
  for (Eigen::Index i = 0; i < kCustomersPerBlock; ++i) customers.status[i] = customer_status::lapsed;
  customers.status[5] = customer_status::active;
  take_status(customers, block_range(0, customers.size()), reused);
  CHECK(std::vector<std::uint32_t>(reused.active.begin(), reused.active.end()) == std::vector<std::uint32_t>{5});
  CHECK(reused.prospects.empty());
  CHECK(reused.lapsed == kCustomersPerBlock - 1);
}

TEST_CASE("pages mapped ahead, by one thread or several, keep what is in them", "[state]") {
  // Several threads write each page they map once, a byte back as they read it: an array already
  // partly written (a vector growing into its room, or columns beside others' blocks) must not change.
  constexpr std::size_t kBytes = (std::size_t{9} << 20) + 123;  // several megabytes, not whole pages
  std::vector<std::uint8_t> memory(kBytes);
  for (std::size_t i = 0; i < kBytes; ++i) memory[i] = static_cast<std::uint8_t>(i * 2654435761U >> 13);
  const std::vector<std::uint8_t> before = memory;
  for (const int threads : {1, 2, 3}) {
    populate_pages(memory.data() + 1, kBytes - 2, threads);
    CHECK(std::equal(memory.begin(), memory.end(), before.begin(), before.end()));
  }
  std::vector<double> grown;
  reserve_populated(grown, std::size_t{1} << 20, 2);
  CHECK(grown.capacity() >= std::size_t{1} << 20);
  CHECK(grown.empty());
}

TEST_CASE("take_status fills a list to the end of its room when a whole block shares one status", "[state]") {
  // The vector path stores sixteen entries at a time from the count on (store_kept_32): with every
  // customer listed, the count keeps up with the candidates and the last store ends at the block's end.
  for (const std::uint8_t shared : {customer_status::active, customer_status::prospect, customer_status::lapsed}) {
    CustomerState customers(kCustomersPerBlock + 37);
    customers.status.setConstant(shared);
    for (Eigen::Index block = 0; block < block_count(customers.size()); ++block) {
      const CustomerRange range = block_range(block, customers.size());
      const auto size = static_cast<std::size_t>(range.end - range.begin);
      BlockStatus fastest;
      take_status(customers, range, fastest);
      std::vector<std::uint32_t> everyone(size);
      for (std::size_t k = 0; k < size; ++k) everyone[k] = static_cast<std::uint32_t>(range.begin) + static_cast<std::uint32_t>(k);
      const std::vector<std::uint32_t> active(fastest.active.begin(), fastest.active.end());
      const std::vector<std::uint32_t> prospects(fastest.prospects.begin(), fastest.prospects.end());
      CHECK(active == (shared == customer_status::active ? everyone : std::vector<std::uint32_t>{}));
      CHECK(prospects == (shared == customer_status::prospect ? everyone : std::vector<std::uint32_t>{}));
      CHECK(fastest.lapsed == (shared == customer_status::lapsed ? static_cast<std::int64_t>(size) : 0));
    }
  }
}
