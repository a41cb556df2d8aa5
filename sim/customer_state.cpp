#include "sim/customer_state.hpp"

#include "sim/lanes_avx512.hpp"
#include "sim/populate.hpp"
#include "sim/simd.hpp"

namespace fulcrum {

void CustomerState::reset(CustomerRange range) {
  const Index count = range.end - range.begin;
  status.segment(range.begin, count).setConstant(customer_status::prospect);
  firm.segment(range.begin, count).setConstant(kNoFirm);
  segment.segment(range.begin, count).setZero();
  for (Eigen::ArrayXf* column : {&base_churn_propensity, &value_fit, &expectation, &experience, &satisfaction, &trust,
                                 &reference_price, &spend}) {
    column->segment(range.begin, count).setZero();
  }
  acquired_quarter.segment(range.begin, count).setConstant(-1);
  issues.segment(range.begin, count).setZero();
}

void CustomerState::populate(CustomerRange range) const {
  const auto pages = [&](const auto& column) {
    populate_pages(column.data() + range.begin, static_cast<std::size_t>(range.end - range.begin) * sizeof(column[0]));
  };
  pages(status);
  pages(firm);
  pages(segment);
  for (const Eigen::ArrayXf* column : {&base_churn_propensity, &value_fit, &expectation, &experience, &satisfaction, &trust,
                                       &reference_price, &spend}) {
    pages(*column);
  }
  pages(acquired_quarter);
  pages(issues);
}

namespace {

// Lists the customers of `range` whose status is `wanted` into `list`, which has room for all of them;
// returns how many.
using ListKernel = std::size_t (*)(const std::uint8_t* status, std::uint32_t first, std::size_t count,
                                   std::uint8_t wanted, std::uint32_t* list);

std::size_t list_scalar(const std::uint8_t* status, std::uint32_t first, std::size_t count, std::uint8_t wanted,
                        std::uint32_t* list) {
  std::size_t listed = 0;
  for (std::size_t i = 0; i < count; ++i) {
    list[listed] = first + static_cast<std::uint32_t>(i);
    listed += status[i] == wanted ? 1 : 0;
  }
  return listed;
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN
// Sixteen statuses at a time: widened to 32-bit lanes, compared, and the matching customers' numbers
// stored side by side (compress).
FULCRUM_AVX512_KERNEL std::size_t list_avx512(const std::uint8_t* status, std::uint32_t first,
                                             std::size_t count, std::uint8_t wanted, std::uint32_t* list) {
  const __m512i wanted_lanes = _mm512_set1_epi32(wanted);
  const __m512i sixteen = _mm512_set1_epi32(16);
  __m512i numbers = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first)),
                                     _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  std::size_t listed = 0;
  std::size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    const __m512i lanes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(status + i)));
    const __mmask16 match = _mm512_cmpeq_epi32_mask(lanes, wanted_lanes);
    store_kept_32(list + listed, match, numbers);  // room: listed <= i, and i + 16 <= count
    listed += static_cast<std::size_t>(__builtin_popcount(match));
    numbers = _mm512_add_epi32(numbers, sixteen);
  }
  return listed + list_scalar(status + i, first + static_cast<std::uint32_t>(i), count - i, wanted, list + listed);
}
FULCRUM_AVX512_END
#endif

ListKernel pick_list_kernel() {
#if defined(__x86_64__)
  if (cpu_has_avx512()) return list_avx512;
#endif
  return list_scalar;
}

void take_status_with(ListKernel kernel, const CustomerState& customers, CustomerRange range, BlockStatus& block) {
  const auto size = static_cast<std::size_t>(range.end - range.begin);
  block.active.resize(size);
  block.prospects.resize(size);
  const std::uint8_t* status = customers.status.data() + range.begin;
  const auto first = static_cast<std::uint32_t>(range.begin);
  const std::size_t active = kernel(status, first, size, customer_status::active, block.active.data());
  const std::size_t prospects = kernel(status, first, size, customer_status::prospect, block.prospects.data());
  block.active.resize(active);
  block.prospects.resize(prospects);
  block.lapsed = static_cast<std::int64_t>(size - active - prospects);
}

}  // namespace

void take_status(const CustomerState& customers, CustomerRange range, BlockStatus& block) {
  static const ListKernel kernel = pick_list_kernel();
  take_status_with(kernel, customers, range, block);
}

void take_status_scalar(const CustomerState& customers, CustomerRange range, BlockStatus& block) {
  take_status_with(list_scalar, customers, range, block);
}

}  // namespace fulcrum
