#pragma once
// Adoption: prospects become customers with the Bass (1969) hazard p + q * signal, where the signal is
// what the prospect hears from its neighbours (models/word_of_mouth.hpp). On the complete graph with no
// promoters or detractors the signal is the adopted fraction and this is Bass diffusion.
#include <span>
#include <vector>

#include "models/network.hpp"
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"
#include "sim/tally.hpp"

namespace fulcrum {

// What a customer starts with on joining a firm.
struct JoiningTerms {
  std::int16_t firm;
  float expectation;      // the firm's promise
  float satisfaction;     // the satisfaction baseline
  float trust;            // the initial trust
  float reference_price;  // the price paid on joining
  float spend;            // units per quarter
};

// Makes `customer` an active customer on `terms` from `quarter` on.
void join(CustomerState& customers, Eigen::Index customer, const JoiningTerms& terms, int quarter);

// What prospects choose between this sub-step.
struct AdoptionChoice {
  std::span<const double> firm_shares;          // [segment * firms + firm]: logit choice probabilities
  std::span<const AdoptionParameters> hazards;  // by firm: p and q after its marketing and sales
  std::span<const JoiningTerms> terms;          // [firm * segments + segment]
  std::size_t firms;
  std::size_t segments;
};

// Adoption hazard of a prospect of `segment` hearing `signal`: the firms' Bass hazards p_k + q_k *
// max(0, signal), weighted by the prospect's logit choice probabilities. Fills `weights` (by firm) with
// each firm's part of it.
double adoption_hazard(const AdoptionChoice& choice, std::size_t segment, double signal, std::vector<double>& weights);

// How list_prospects and adopt_prospects compute: `fastest` in AVX-512 lanes where the CPU has them
// (sixteen candidates listed at a time, eight prospects' odds at a time); `scalar` one at a time. The
// same lists and decisions either way (tested).
enum class AdoptionKernel : std::uint8_t { fastest, scalar };

// A block's prospects for four sub-steps (4g to 4g + 3), drawn at once (one Philox call serves four
// sub-steps): for each sub-step, the prospects whose draw for it is below their segment's ceiling, with
// that draw. The others cannot adopt in that sub-step, so it need not visit them at all.
struct Prospect {
  std::uint32_t customer;
  std::uint32_t word;  // the draw, as CustomerDraws::words gives it
};
class ProspectDraws {
 public:
  // The listed prospects of draw k (0-3).
  [[nodiscard]] std::span<const Prospect> by_draw(std::size_t k) const { return {lists_[k].data(), listed_[k]}; }

 private:
  friend void list_prospects(const CustomerState&, std::span<const std::uint32_t>, const CustomerDraws&, std::uint32_t,
                             unsigned, std::span<const double>, ProspectDraws&, AdoptionKernel);
  // The lists, of which listed_[k] entries are in use; their room is kept from one quarter to the next
  // (a block's lists are reused), so it is allocated and zeroed only as it grows.
  std::array<std::vector<Prospect, UninitialisedAllocator<Prospect>>, 4> lists_;
  std::array<std::size_t, 4> listed_{};
  std::vector<std::uint64_t> thresholds_;  // by segment: room kept, as the lists'
};
// Lists those of `candidates` (a block's prospects at the start of the quarter, BlockStatus::prospects)
// that still are prospects, for each draw in `used` (a bit per draw, 0-3) that is below their segment's
// `ceilings`.
void list_prospects(const CustomerState& customers, std::span<const std::uint32_t> candidates, const CustomerDraws& draws,
                    std::uint32_t group, unsigned used, std::span<const double> ceilings, ProspectDraws& prospects,
                    AdoptionKernel kernel = AdoptionKernel::fastest);

// The highest adoption probability a prospect of each segment can have in a sub-step: at the loudest
// voice of `signal`'s audience (hazards grow with what a prospect hears), plus 1e-9, far above any
// rounding. A draw at or above it cannot adopt, whatever the neighbours say. 1 on the complete graph.
std::vector<double> adoption_ceilings(const AdoptionChoice& choice, const Hearing& signal, double dt);

// The hazard and adoption probability of each (segment, signal) prospects hear, worked out once and
// looked up after that: prospects hear a few hundred distinct signals (a handful of voices over a
// handful of neighbours), and the choice and sub-step length are the same for a quarter's whole
// adoption phase, so one memo serves all the blocks a thread takes in it.
class AdoptionMemo {
 public:
  AdoptionMemo(const AdoptionChoice& choice, double dt);
  struct Odds {
    double hazard;
    double probability;  // 1 - exp(-hazard * dt)
  };
  // For a signal above 0 (max(0, signal) in adoption_hazard: any other signal is the innovation-only case).
  const Odds& odds(std::size_t segment, double signal);

  // Where (segment, signal) is remembered if it is: slot_of of the signal's bits. A slot is four 8-byte
  // words (signal, segment, hazard, probability), which the vector kernel of adopt_prospects reads.
  struct Slot {
    double signal = -1.0;  // never a key: only signals above 0 are remembered
    std::uint64_t segment = 0;
    Odds odds{};
  };
  static constexpr std::size_t kSlots = 4096;
  static std::size_t slot_of(std::size_t segment, std::uint64_t signal_bits) {
    return (signal_bits ^ (signal_bits >> 29) ^ (signal_bits >> 47) ^ segment) % kSlots;
  }
  [[nodiscard]] const Slot* slots() const { return slots_.data(); }

  // What adopt_prospects works in, kept from one call to the next by the thread that holds the memo:
  // made afresh at every block and sub-step, it was a dozen allocations a call, some 15,000 a quarter
  // at 10^6 customers.
  struct Adopter {
    std::uint32_t customer;
    const JoiningTerms* terms;
  };
  struct Room {
    std::vector<double> weights, shares, segment_hazard, segment_probability;
    std::vector<std::vector<double>> segment_weights;
    std::vector<Adopter> adopters;
    std::vector<std::uint64_t> adopt;  // a bit per listed prospect: whether the lanes say it may adopt
  };
  Room room;

 private:
  const AdoptionChoice* choice_;
  double dt_;
  std::vector<Slot> slots_;
  std::vector<double> weights_;
};

// One adoption sub-step over its listed prospects (ProspectDraws::by_draw(k), listed with the ceilings of
// this `choice`, signal and dt) that still are; `memo` is for this choice and dt. With kept totals, the
// fastest kernel works out in AVX-512 lanes which prospects' draws fall below their probability, and
// only those are decided one by one; the same decisions either way (tested).
void adopt_prospects(CustomerState& customers, std::span<const Prospect> prospects, double dt,
                     const Hearing& signal, const AdoptionChoice& choice, int quarter,
                     std::vector<FirmTally>& tallies, AdoptionMemo& memo, std::vector<std::uint32_t>* joined = nullptr,
                     AdoptionKernel kernel = AdoptionKernel::fastest);

// One adoption sub-step over a block: a prospect adopts with probability 1 - exp(-hazard * dt), and
// joins firm k with probability proportional to its part of the hazard. A prospect's draw number
// `substep` serves both (common random numbers across scenarios). `tallies` by tally_cell; the new
// customers are appended to `joined` when given.
void adopt_block(CustomerState& customers, CustomerRange range, double dt, const Hearing& signal,
                 const AdoptionChoice& choice, int quarter, const CustomerDraws& draws, std::int64_t substep,
                 std::vector<FirmTally>& tallies, std::vector<std::uint32_t>* joined = nullptr);

}  // namespace fulcrum
