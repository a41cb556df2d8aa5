#include <catch2/catch.hpp>
#include <vector>

#include "sim/customer_state.hpp"
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
