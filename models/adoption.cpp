#include "models/adoption.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "models/hearing_avx512.hpp"
#include "models/market.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/prefetch.hpp"
#include "sim/simd.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace fulcrum {

void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter) {
  customers.status[customer] = customer_status::active;
  customers.firm[customer] = terms.firm;
  customers.expectation[customer] = terms.expectation;
  customers.satisfaction[customer] = terms.satisfaction;
  customers.trust[customer] = terms.trust;
  customers.experience[customer] = terms.expectation;
  customers.reference_price[customer] = terms.reference_price;
  customers.spend[customer] = terms.spend;
  customers.acquired_quarter[customer] = quarter;
}

namespace {

// Asks for the cache lines join() will write.
void prefetch_joining(const CustomerState& customers, std::uint32_t customer) {
  prefetch(customers.status.data() + customer);
  prefetch(customers.firm.data() + customer);
  prefetch(customers.expectation.data() + customer);
  prefetch(customers.satisfaction.data() + customer);
  prefetch(customers.trust.data() + customer);
  prefetch(customers.experience.data() + customer);
  prefetch(customers.reference_price.data() + customer);
  prefetch(customers.spend.data() + customer);
  prefetch(customers.acquired_quarter.data() + customer);
}

// Asks for what a listed prospect's decision reads: what it hears, and its segment where there are several.
void prefetch_prospect(const Hearing& signal, const std::uint16_t* segment_of, bool segmented, std::uint32_t customer) {
  signal.prefetch(customer);
  if (segmented) prefetch(segment_of + customer);
}

}  // namespace

double adoption_hazard(const AdoptionChoice& choice, std::size_t segment, double signal, std::vector<double>& weights) {
  weights.assign(choice.firms, 0.0);
  double hazard = 0;
  for (std::size_t k = 0; k < choice.firms; ++k) {
    const double share = choice.firm_shares[segment * choice.firms + k];
    if (share <= 0) continue;
    const AdoptionParameters& bass = choice.hazards[k];
    weights[k] = share * (bass.innovation + bass.imitation * std::max(0.0, signal));
    hazard += weights[k];
  }
  return hazard;
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN
// list_prospects' inner loop sixteen candidates at a time, from the first: their statuses and segments
// read as 32-bit words (the caller keeps them within the columns: `readable_below`), each draw compared
// with its segment's threshold in 64-bit lanes, and the (customer, draw) entries below it stored side by
// side into each list (compress). Returns how many candidates it took: the rest are the scalar loop's.
FULCRUM_AVX512_KERNEL std::size_t list_sixteens_avx512(const std::uint8_t* status, const std::uint16_t* segment_of,
                                                       bool segmented, const std::uint64_t* thresholds,
                                                       std::span<const std::uint32_t> chunk, std::uint32_t readable_below,
                                                       unsigned used, const DrawWords& batch,
                                                       const std::array<Prospect*, 4>& room, std::array<std::size_t, 4>& listed) {
  const __m512i prospect = _mm512_set1_epi32(customer_status::prospect);
  std::size_t j = 0;
  for (; j + 16 <= chunk.size(); j += 16) {
    const __m512i customers = _mm512_loadu_si512(chunk.data() + j);
    if (_mm512_reduce_max_epu32(customers) >= readable_below) break;
    const __mmask16 open = _mm512_cmpeq_epi32_mask(gather_bytes(status, customers), prospect);
    __m512i low_thresholds = _mm512_set1_epi64(static_cast<long long>(thresholds[0]));
    __m512i high_thresholds = low_thresholds;
    if (segmented) {
      const __m512i segment = gather_shorts(segment_of, customers);
      low_thresholds = _mm512_i32gather_epi64(_mm512_castsi512_si256(segment), thresholds, 8);
      high_thresholds = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(segment, 1), thresholds, 8);
    }
    const __m512i low_customers = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(customers));
    const __m512i high_customers = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(customers, 1));
    for (std::size_t k = 0; k < 4; ++k) {
      if (((used >> k) & 1U) == 0) continue;
      const __m512i words = _mm512_loadu_si512(batch.word[k].data() + j);
      const __m512i low_words = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(words));
      const __m512i high_words = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(words, 1));
      // A Prospect is {customer, word}: the customer in the low half of the 64-bit lane.
      const __mmask8 low_below = _mm512_mask_cmplt_epu64_mask(static_cast<__mmask8>(open), low_words, low_thresholds);
      const __mmask8 high_below =
          _mm512_mask_cmplt_epu64_mask(static_cast<__mmask8>(open >> 8), high_words, high_thresholds);
      store_kept_64(room[k] + listed[k], low_below, _mm512_or_si512(low_customers, _mm512_slli_epi64(low_words, 32)));
      listed[k] += static_cast<std::size_t>(__builtin_popcount(low_below));
      store_kept_64(room[k] + listed[k], high_below, _mm512_or_si512(high_customers, _mm512_slli_epi64(high_words, 32)));
      listed[k] += static_cast<std::size_t>(__builtin_popcount(high_below));
    }
  }
  return j;
}
FULCRUM_AVX512_END
#endif

void list_prospects(const CustomerState& customers, std::span<const std::uint32_t> candidates, const CustomerDraws& draws,
                    std::uint32_t group, unsigned used, std::span<const double> ceilings, ProspectDraws& prospects,
                    AdoptionKernel kernel) {
  // A word w is below a ceiling c when w * 2^-32 < c, that is w < c * 2^32 (scaling by a power of two is
  // exact), that is, w being whole, w < ceil(c * 2^32): one integer comparison per word.
  std::vector<std::uint64_t>& thresholds = prospects.thresholds_;
  thresholds.assign(ceilings.size(), 0);
  for (std::size_t s = 0; s < ceilings.size(); ++s) {
    if (!(ceilings[s] > 0)) continue;  // nothing is below
    thresholds[s] = ceilings[s] >= 1.0 ? std::uint64_t{1} << 32 : static_cast<std::uint64_t>(std::ceil(ceilings[s] * 0x1p32));
  }
  // Every candidate is written to every list and kept (the count moves on) only where its draw is
  // below: about one prospect in three is listed somewhere, at random, which a branch would guess wrong.
  // Before each chunk of candidates every list is given room for all of them.
  auto& lists = prospects.lists_;
  std::array<std::size_t, 4>& listed = prospects.listed_;
  listed = {};
  const std::uint8_t* status = customers.status.data();
  const std::uint16_t* segment_of = customers.segment.data();
  const bool segmented = ceilings.size() > 1;
#if defined(__x86_64__)
  const bool in_lanes = kernel == AdoptionKernel::fastest && cpu_has_avx512() && customers.size() < (Eigen::Index{1} << 31);
  const std::uint32_t readable_below = gatherable_below(customers.size(), sizeof(std::uint8_t));  // the statuses
#endif
  DrawWords batch;
  for (std::size_t start = 0; start < candidates.size(); start += DrawWords::kCapacity) {
    const std::span<const std::uint32_t> chunk =
        candidates.subspan(start, std::min(DrawWords::kCapacity, candidates.size() - start));
    draws.words_of(chunk, group, batch);
    std::array<Prospect*, 4> room{};
    for (std::size_t k = 0; k < 4; ++k) {
      if (lists[k].size() < listed[k] + chunk.size()) {
        lists[k].resize(std::max(2 * lists[k].size(), listed[k] + chunk.size()));
      }
      room[k] = lists[k].data();
    }
    std::size_t j = 0;
#if defined(__x86_64__)
    if (in_lanes) {
      j = list_sixteens_avx512(status, segment_of, segmented, thresholds.data(), chunk, readable_below, used, batch, room,
                               listed);
    }
#endif
    for (; j < chunk.size(); ++j) {
      const std::uint32_t i = chunk[j];
      const std::uint64_t threshold = thresholds[segmented ? segment_of[i] : 0];
      const unsigned open = status[i] == customer_status::prospect ? used : 0U;  // else joined at an earlier sub-step
      for (std::size_t k = 0; k < 4; ++k) {
        const std::uint32_t word = batch.word[k][j];
        room[k][listed[k]] = {i, word};
        listed[k] += ((open >> k) & 1U) & (word < threshold ? 1U : 0U);
      }
    }
  }
}

std::vector<double> adoption_ceilings(const AdoptionChoice& choice, const Hearing& signal, double dt) {
  std::vector<double> ceilings(choice.segments, 1.0);
  if (signal.network.mean_field) return ceilings;
  const double loudest = *std::max_element(signal.audience.voice.begin(), signal.audience.voice.end());
  std::vector<double> weights;
  for (std::size_t s = 0; s < choice.segments; ++s) {
    ceilings[s] = -std::expm1(-adoption_hazard(choice, s, std::max(0.0, loudest), weights) * dt) + 1e-9;
  }
  return ceilings;
}

AdoptionMemo::AdoptionMemo(const AdoptionChoice& choice, double dt) : choice_(&choice), dt_(dt), slots_(kSlots) {}

const AdoptionMemo::Odds& AdoptionMemo::odds(std::size_t segment, double signal) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(signal);
  Slot& slot = slots_[slot_of(segment, bits)];
  if (slot.signal != signal || slot.segment != segment) {
    const double hazard = adoption_hazard(*choice_, segment, signal, weights_);
    slot = {signal, segment, {hazard, -std::expm1(-hazard * dt_)}};
  }
  return slot.odds;
}

#if defined(__x86_64__)
FULCRUM_AVX512_BEGIN
// Which of `prospects` would adopt: a bit for each (bit k % 64 of word k / 64 of `adopt`) whose draw is
// below its probability at what it hears from the kept totals, eight at a time in lanes. Odds
// remembered in the memo are read there side by side; the others are worked out one by one
// (memo.odds). A prospect that hears nothing has its segment's probability, `segment_probability`. The
// last few prospects, and any whose segment lies at the very end of its column, get a bit whatever
// their draw: adopt_prospects' own decision settles every prospect with a bit, so a bit too many costs
// only time, while a bit too few would change the results (which the tests against the plain rule see).
FULCRUM_AVX512_KERNEL void would_adopt_avx512(std::span<const Prospect> prospects, const std::uint16_t* segment_of,
                                             bool segmented, std::uint32_t readable_below, const double* segment_probability,
                                             const Hearing& signal, AdoptionMemo& memo, std::vector<std::uint64_t>& adopt) {
  constexpr std::size_t kLanes = 8;
  constexpr std::size_t kAhead = 16;  // prospects whose totals are asked for ahead of use
  const auto* slots = reinterpret_cast<const double*>(memo.slots());
  const auto* slot_words = reinterpret_cast<const long long*>(memo.slots());
  static_assert(sizeof(AdoptionMemo::Slot) == 4 * sizeof(double));
  adopt.assign((prospects.size() + 63) / 64, 0);
  std::size_t k = 0;
  for (; k + kLanes <= prospects.size(); k += kLanes) {
    for (std::size_t ahead = k + kAhead; ahead < std::min(k + kAhead + kLanes, prospects.size()); ++ahead) {
      prefetch_prospect(signal, segment_of, segmented, prospects[ahead].customer);
    }
    // Eight entries {customer, word}: the customers in the low halves, the draws in the high.
    const __m512i entries = _mm512_loadu_si512(prospects.data() + k);
    const __m256i customers = _mm512_cvtepi64_epi32(entries);
    if (segmented && highest_lane(customers) >= readable_below) {
      adopt[k / 64] |= std::uint64_t{0xFF} << (k % 64);
      continue;
    }
    const Doubles8 uniform = uniforms_of(_mm512_cvtepi64_epi32(_mm512_srli_epi64(entries, 32)));
    const __m256i segment = segmented ? gather_shorts(segment_of, customers) : _mm256_setzero_si256();
    Doubles8 probability = segmented ? Doubles8(_mm512_i32gather_pd(segment, segment_probability, 8))
                                     : splat<Doubles8>(segment_probability[0]);
    const Doubles8 heard = kept_means(signal, customers);
    const auto heard_something = static_cast<__mmask8>(lanes_set(heard > splat<Doubles8>(0.0)));
    if (heard_something != 0) {
      // AdoptionMemo::slot_of in lanes, and the slots' keys compared with what each lane hears.
      const __m512i bits = reinterpret_cast<__m512i>(heard);
      const __m512i wide_segment = _mm512_cvtepu32_epi64(segment);
      const __m512i hashed = _mm512_xor_si512(_mm512_xor_si512(bits, _mm512_srli_epi64(bits, 29)),
                                              _mm512_xor_si512(_mm512_srli_epi64(bits, 47), wide_segment));
      const __m256i slot = _mm512_cvtepi64_epi32(_mm512_and_si512(hashed, _mm512_set1_epi64(AdoptionMemo::kSlots - 1)));
      const __m256i word = _mm256_slli_epi32(slot, 2);  // four words a slot
      const __m512i none = _mm512_setzero_si512();
      const __m512d kept_signal = _mm512_mask_i32gather_pd(_mm512_setzero_pd(), heard_something, word, slots, 8);
      const __m512i kept_segment = _mm512_mask_i32gather_epi64(none, heard_something, word, slot_words + 1, 8);
      const __mmask8 remembered = _mm512_mask_cmp_pd_mask(heard_something, kept_signal, heard, _CMP_EQ_OQ) &
                                  _mm512_cmpeq_epi64_mask(kept_segment, wide_segment);
      probability = _mm512_mask_i32gather_pd(probability, remembered, word, slots + 3, 8);
      for (unsigned missed = heard_something & ~remembered & 0xFFU; missed != 0; missed &= missed - 1) {
        const auto lane = static_cast<std::size_t>(__builtin_ctz(missed));
        probability[lane] = memo.odds(segmented ? segment_of[prospects[k + lane].customer] : 0, heard[lane]).probability;
      }
    }
    adopt[k / 64] |= static_cast<std::uint64_t>(lanes_set(uniform < probability)) << (k % 64);
  }
  for (; k < prospects.size(); ++k) adopt[k / 64] |= std::uint64_t{1} << (k % 64);
}
FULCRUM_AVX512_END
#endif

void adopt_prospects(CustomerState& customers, std::span<const Prospect> prospects, double dt,
                     const Hearing& signal, const AdoptionChoice& choice, int quarter,
                     std::vector<FirmTally>& tallies, AdoptionMemo& memo, std::vector<std::uint32_t>* joined,
                     AdoptionKernel kernel) {
  AdoptionMemo::Room& room = memo.room;
  std::vector<double>& weights = room.weights;
  // A prospect that hears nothing (or only complaints: the signal counts from 0) has its segment's
  // innovation-only hazard, the same for all of them: worked out once, with the very same arithmetic.
  // On the complete graph every prospect of a segment hears the same thing, so that is all there is.
  const double common_signal =
      signal.network.mean_field ? neighbour_mean(signal, 0) : 0.0;
  std::vector<double>& segment_hazard = room.segment_hazard;
  std::vector<double>& segment_probability = room.segment_probability;
  std::vector<std::vector<double>>& segment_weights = room.segment_weights;
  segment_hazard.assign(choice.segments, 0.0);
  segment_probability.assign(choice.segments, 0.0);
  segment_weights.resize(choice.segments);
  for (std::size_t s = 0; s < choice.segments; ++s) {
    segment_hazard[s] = adoption_hazard(choice, s, common_signal, segment_weights[s]);
    segment_probability[s] = -std::expm1(-segment_hazard[s] * dt);
  }
  std::vector<AdoptionMemo::Adopter>& adopters = room.adopters;
  adopters.clear();
  std::vector<double>& shares = room.shares;
  const std::uint8_t* status = customers.status.data();
  const std::uint16_t* segment_of = customers.segment.data();
  const bool segmented = choice.segments > 1;
  // Prospect k's decision: below its segment's ceiling (that is why it is listed), the signal decides.
  const auto decide = [&](std::size_t k) {
    const Eigen::Index i = prospects[k].customer;
    const std::uint16_t segment = segmented ? segment_of[i] : 0;
    const double uniform = CustomerDraws::to_uniform(prospects[k].word);
    double hazard = segment_hazard[segment];
    double probability = segment_probability[segment];
    const std::vector<double>* firm_weights = &segment_weights[segment];
    if (!signal.network.mean_field) {
      const double heard = neighbour_mean(signal, i);
      if (heard > 0) {  // max(0, signal) in adoption_hazard: anything else is the common case above
        const AdoptionMemo::Odds& odds = memo.odds(segment, heard);
        hazard = odds.hazard;
        probability = odds.probability;
        firm_weights = nullptr;  // worked out again below if this prospect adopts
      }
    }
    if (uniform >= probability) return;
    // Customers who joined at an earlier sub-step of the group are listed still (their totals are
    // kept like everyone's, so what they hear is read alike): they do not adopt twice.
    if (status[i] != customer_status::prospect) return;
    // Below the adoption probability the draw is uniform again: it picks the firm too.
    if (firm_weights == nullptr) {
      adoption_hazard(choice, segment, neighbour_mean(signal, i), weights);
      firm_weights = &weights;
    }
    shares.assign(firm_weights->begin(), firm_weights->end());
    for (double& share : shares) share /= hazard;
    const auto firm = static_cast<std::int16_t>(pick(shares, uniform / probability));
    adopters.push_back({static_cast<std::uint32_t>(i), &choice.terms[static_cast<std::size_t>(firm) * choice.segments + segment]});
    ++tallies[tally_cell(firm, segment, choice.segments)].acquired;
  };
  // Listed prospects are far apart in memory: what they hear is prefetched this many ahead, and of
  // the rest of their state only what a decision needs is read (each is a cache miss): the segment
  // where there are several, the status only for the few that would adopt.
  constexpr std::size_t kAhead = 16;
#if defined(__x86_64__)
  const bool in_lanes = kernel == AdoptionKernel::fastest && cpu_has_avx512() && !signal.network.mean_field &&
                        signal.neighbour_totals.kept() && customers.size() < (Eigen::Index{1} << 31);
  if (in_lanes) {
    const std::uint32_t readable_below = gatherable_below(customers.size(), sizeof(std::uint16_t));  // the segments
    std::vector<std::uint64_t>& adopt = room.adopt;
    would_adopt_avx512(prospects, segment_of, segmented, readable_below, segment_probability.data(), signal, memo, adopt);
    for (std::size_t word = 0; word < adopt.size(); ++word) {
      for (std::uint64_t bits = adopt[word]; bits != 0; bits &= bits - 1) {
        decide(64 * word + static_cast<std::size_t>(std::countr_zero(bits)));
      }
    }
  } else
#endif
  {
    for (std::size_t k = 0; k < prospects.size(); ++k) {
      if (k + kAhead < prospects.size()) prefetch_prospect(signal, segment_of, segmented, prospects[k + kAhead].customer);
      decide(k);
    }
  }
  // The adopters join after the decisions (each prospect is listed once, so no decision reads what a
  // join writes): their nine state columns are far apart and unpredictable, and written this way the
  // cache lines of the adopters ahead are asked for while the current one is written.
  constexpr std::size_t kJoinsAhead = 8;
  for (std::size_t a = 0; a < adopters.size(); ++a) {
    if (a + kJoinsAhead < adopters.size()) prefetch_joining(customers, adopters[a + kJoinsAhead].customer);
    join(customers, adopters[a].customer, *adopters[a].terms, quarter);
    if (joined != nullptr) joined->push_back(adopters[a].customer);
  }
}

void adopt_block(CustomerState& customers, CustomerRange range, double dt, const Hearing& signal,
                 const AdoptionChoice& choice, int quarter, const CustomerDraws& draws, std::int64_t substep,
                 std::vector<FirmTally>& tallies, std::vector<std::uint32_t>* joined) {
  ProspectDraws prospects;
  AdoptionMemo memo(choice, dt);
  const std::vector<double> ceilings = adoption_ceilings(choice, signal, dt);
  BlockStatus block;
  take_status(customers, range, block);
  list_prospects(customers, block.prospects, draws, static_cast<std::uint32_t>(substep / 4), 1U << (substep % 4), ceilings, prospects);
  adopt_prospects(customers, prospects.by_draw(static_cast<std::size_t>(substep % 4)), dt, signal, choice, quarter,
                  tallies, memo, joined);
}

}  // namespace fulcrum
