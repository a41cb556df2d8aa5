#pragma once
// Word of mouth (seed 004): customers are promoters, passives or detractors by the NPS convention;
// every adopter exposes its neighbours to the product (the Bass imitation term), promoters add positive
// word of mouth and detractors negative word of mouth, each with its own reach and weight.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "models/network.hpp"
#include "sim/customer_state.hpp"
#include "sim/prefetch.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

enum class NpsCategory : std::uint8_t { detractor, passive, promoter };

// The 0-10 "would you recommend us" score is satisfaction rounded to a whole point: promoters answer
// 9-10, passives 7-8, detractors 0-6 (Reichheld 2003).
// Rounding half away from zero, round(s) >= 9 is s >= 8.5 and round(s) <= 6 is s < 6.5: two
// comparisons instead of a call to round() in the hottest loops (NaN is a passive either way).
constexpr double kPromoterFrom = 8.5;
constexpr double kDetractorBelow = 6.5;
inline NpsCategory nps_category(double satisfaction) {
  if (satisfaction >= kPromoterFrom) return NpsCategory::promoter;
  if (satisfaction < kDetractorBelow) return NpsCategory::detractor;
  return NpsCategory::passive;
}

// The same category as a number, detractor 0, passive 1, promoter 2 (NpsCategory's values), worked out
// without a branch for passes where categories are mixed at random: one up from passive for a
// promoter, one down for a detractor (NaN is neither: a passive).
// In the satisfaction's own type (the thresholds are exact in float too).
template <class Real>
inline unsigned nps_index(Real satisfaction) {
  return 1U + (satisfaction >= static_cast<Real>(kPromoterFrom) ? 1U : 0U) -
         (satisfaction < static_cast<Real>(kDetractorBelow) ? 1U : 0U);
}

// What one customer's word does to a neighbour, in units of one adopter's plain exposure.
struct Voice {
  float exposure;   // 1 for a current customer (seen using the product), 0 otherwise
  float sentiment;  // +reach*weight for a promoter, -reach*weight for a detractor, scaled for lapsed
};

Voice voice_of(std::uint8_t status, double satisfaction, const WordOfMouthParameters& word_of_mouth);

// A customer's voice is one of nine, keyed by status * 3 + NPS category (detractor 0, passive 1,
// promoter 2): a byte per customer is all a sub-step has to write, and all a neighbour has to read
// (a million customers' keys fit in a core's L2 cache; their voices as floats would not).
constexpr std::size_t kVoiceKeys = 9;

inline std::uint8_t voice_key(std::uint8_t status, float satisfaction) {
  return static_cast<std::uint8_t>(status * 3U + nps_index(satisfaction));
}

// The voices, by key.
std::array<Voice, kVoiceKeys> voice_table(const WordOfMouthParameters& word_of_mouth);

// What one audience hears from a voice key: prospects hear exposure + sentiment, customers sentiment.
// The voices are a handful of floats. When each is an integer multiple of 2^-shift and a
// neighbourhood's sum of those integers stays below 2^53, the integer sum is exact: the very double
// that adding the floats in neighbour order gives, bit for bit, without a floating-point latency chain.
struct Audience {
  std::array<float, kVoiceKeys> voice{};
  std::array<std::int32_t, kVoiceKeys> fixed{};  // voice * 2^shift, when exact
  double unit = 1.0;                             // 2^-shift
  bool exact = false;
  std::int64_t largest_total = 0;  // when exact: the largest |sum| a customer can hear, max |fixed| times the largest degree
};

// The smallest shift that makes every one of `voices` an integer multiple of 2^-shift, when those
// integers fit 32 bits and `max_degree` of them sum exactly in a double; nothing otherwise.
std::optional<int> exact_voice_shift(std::span<const float> voices, std::int64_t max_degree);

// An audience hearing `voices` (by key) over `network`, in exact integers whenever they can be (never on
// the complete graph, which hears the market's total instead of neighbours).
Audience make_audience(const std::array<float, kVoiceKeys>& voices, const SocialNetwork& network);

struct Audiences {
  Audience prospects;
  Audience customers;
};
Audiences make_audiences(const WordOfMouthParameters& word_of_mouth, const SocialNetwork& network);

// Sets, for a block of customers, each one's voice key; returns the block's totals of what prospects
// and customers hear when `with_totals` (only the complete graph needs them; zero otherwise).
struct VoiceTotals {
  double to_prospects = 0;
  double to_customers = 0;
};
VoiceTotals voice_block(const CustomerState& customers, CustomerRange range, const Audiences& audiences,
                        std::span<std::uint8_t> voice_keys, bool with_totals);

// Incremental word of mouth. With exact audiences, what a customer's neighbours say adds up to an
// integer, and integers do not care in which order they are added: each customer's total can be kept
// up to date by adding the difference whenever a neighbour's voice changes, instead of reading all its
// neighbours again at every sub-step. Few voices change in a sub-step (the new adopters), so this reads
// a small fraction of the edges the gather reads, and gives the same totals, bit for bit.
struct VoiceChange {
  std::uint32_t customer;
  std::uint8_t before;
  std::uint8_t after;
};
// Written in full before they are read (update_voice_keys writes every customer it visits, and keeps
// the count of those that changed), so growing them zeroes nothing.
using VoiceChanges = std::vector<VoiceChange, UninitialisedAllocator<VoiceChange>>;

// Sets the block's voice keys from the customers' state and appends the ones that changed.
void update_voice_keys(const CustomerState& customers, CustomerRange range, std::span<std::uint8_t> voice_keys,
                       VoiceChanges& changes);
// The same for the listed customers only (those a sub-step changed).
void update_voice_keys(const CustomerState& customers, std::span<const std::uint32_t> who,
                       std::span<std::uint8_t> voice_keys, VoiceChanges& changes);

// What each customer's neighbours say, in total, to it as a prospect and as a customer (in units of
// each audience's 2^-shift). Only exact audiences can be kept so. In 32-bit integers when every total
// a customer can hear fits them (on sparse networks, nearly always), in 64-bit ones otherwise: half the
// bytes to bring in for every change spread and every total read.
struct NeighbourTotals {
  // [2 * customer]: heard as a prospect; [2 * customer + 1]: as a customer. Side by side, so that one
  // neighbour's change costs one cache line, not two. One of the two is in use, or neither.
  std::vector<std::int32_t, UninitialisedAllocator<std::int32_t>> narrow;
  std::vector<std::int64_t, UninitialisedAllocator<std::int64_t>> wide;
  static constexpr std::size_t kProspects = 0;
  static constexpr std::size_t kCustomers = 1;
  // Starts keeping totals, all 0, for the customers of `network` hearing `audiences`: in 32 bits when
  // they fit, or in 64 whatever they are when `wide_anyway` (to test that both give the same). Zeroed
  // by `threads` (80 MB at 10^7 customers, 0.22 s on one thread, mostly first touches of pages).
  void keep(const SocialNetwork& network, const Audiences& audiences, bool wide_anyway = false, int threads = 1);
  [[nodiscard]] bool kept() const { return !narrow.empty() || !wide.empty(); }
  // What `customer` hears as `audience` (kProspects or kCustomers), whichever way it is kept.
  [[nodiscard]] std::int64_t total(std::size_t customer, std::size_t audience) const {
    return narrow.empty() ? wide[2 * customer + audience] : narrow[2 * customer + audience];
  }
};

// One audience's totals as Hearing reads them.
struct TotalsView {
  const std::int32_t* narrow = nullptr;   // [2 * customer], when kept in 32 bits
  const std::int64_t* wide = nullptr;     // [2 * customer], when kept in 64 bits
  [[nodiscard]] bool kept() const { return narrow != nullptr || wide != nullptr; }
  // Where `customer`'s total is, in whichever is kept.
  [[nodiscard]] const void* address(std::size_t customer) const {
    return narrow != nullptr ? static_cast<const void*>(narrow + 2 * customer) : static_cast<const void*>(wide + 2 * customer);
  }
  // Bytes from one customer's total to the next's.
  [[nodiscard]] std::size_t stride() const { return 2 * (narrow != nullptr ? sizeof(*narrow) : sizeof(*wide)); }
};

// What `audience` (kProspects or kCustomers) hears, for Hearing.
inline TotalsView heard_by(const NeighbourTotals& totals, std::size_t audience) {
  return {totals.narrow.empty() ? nullptr : totals.narrow.data() + audience,
          totals.wide.empty() ? nullptr : totals.wide.data() + audience};
}

// A neighbour's voice change that `customer` hears, kept for the thread that owns that customer (8
// bytes: the owner works out the difference from the audiences' tables itself).
struct VoiceAddition {
  std::uint32_t customer;
  std::uint8_t before;
  std::uint8_t after;
};

// Adds each change's difference to the totals of the changed customers' neighbours: in place for the
// neighbours in `owned`, and for the others too when `elsewhere` is null (one thread). With several
// threads each owns a range of customers and passes `elsewhere`: additions to customers it does not
// own are appended there, for apply_voice_additions by their owner, so no two threads ever add to the
// same total at once. Or, `atomic`, every addition is made in place with an atomic instruction, as
// other threads add to the same totals at once (`owned` and `elsewhere` are not used): cheaper when
// most neighbours are other threads' customers. Integer additions give the same totals in any order,
// so the result does not depend on the threads, nor on the way.
void spread_voice_changes(const SocialNetwork& network, const Audiences& audiences, std::span<const VoiceChange> changes,
                          CustomerRange owned, std::vector<VoiceAddition>* elsewhere, NeighbourTotals& totals,
                          bool atomic = false);
// Adds those of `additions` that fall in `owned`.
void apply_voice_additions(const Audiences& audiences, std::span<const VoiceAddition> additions, CustomerRange owned,
                           NeighbourTotals& totals);

// What one audience hears this step: every customer's voice key, read through the audience's table,
// or, kept up to date, each customer's neighbours' total (then exact: see NeighbourTotals).
struct Hearing {
  const SocialNetwork& network;
  std::span<const std::uint8_t> voice_keys;
  const Audience& audience;
  double market_total;  // the complete graph's: the sum over the market of what this audience hears
  TotalsView neighbour_totals{};  // when kept, in 2^-shift units

  // Asks for what neighbour_mean(customer) will read to be brought into cache: a pass that knows
  // whom it will visit next calls this some customers ahead, to overlap their cache misses.
  void prefetch(std::int64_t customer) const {
    if (network.mean_field || customer >= network.vertices) return;
    if (!neighbour_totals.kept()) {  // the gather reads the neighbour list
      network.prefetch_neighbours(customer);
      return;
    }
    fulcrum::prefetch(network.degree_bytes.data() + customer);
    fulcrum::prefetch(neighbour_totals.address(static_cast<std::size_t>(customer)));
  }
  // The same for the `count` customers `listed` (ascending) at once, each line asked for once where
  // they are dense (prefetch_listed).
  void prefetch_listed(const std::uint32_t* listed, std::size_t count) const {
    if (network.mean_field) return;
    if (!neighbour_totals.kept()) {
      for (std::size_t k = 0; k < count; ++k) prefetch(listed[k]);
      return;
    }
    fulcrum::prefetch_listed(network.degree_bytes.data(), listed, count);
    fulcrum::prefetch_listed(neighbour_totals.address(0), neighbour_totals.stride(), listed, count);
  }
};

// What the neighbours [first, last) say, on average, added in that order.
inline double gathered_mean(const Hearing& hearing, const std::uint32_t* first, const std::uint32_t* last) {
  if (first == last) return 0.0;
  const std::uint8_t* keys = hearing.voice_keys.data();
  const auto count = static_cast<double>(last - first);
  if (hearing.audience.exact) {
    const std::int32_t* fixed = hearing.audience.fixed.data();
    std::int64_t sum = 0;
    for (const std::uint32_t* e = first; e != last; ++e) sum += fixed[keys[*e]];
    return static_cast<double>(sum) * hearing.audience.unit / count;
  }
  const float* voice = hearing.audience.voice.data();
  double sum = 0.0;
  for (const std::uint32_t* e = first; e != last; ++e) sum += voice[keys[*e]];
  return sum / count;
}

// neighbour_mean's gather over a network kept as a ring outline (a market built for kept totals, heard
// by a scenario that gathers): the neighbours in row order, so the same double.
double outline_neighbour_mean(const Hearing& hearing, std::int64_t customer);

// Mean of what the customer's neighbours say; on the complete graph, the mean over the whole market,
// `market_total / vertices` (the Bass adopted fraction when voices are exposures). Inline: it is the
// innermost loop of every sub-step. The float path adds in double in neighbour order: that order is
// part of the results' identity, and the exact integer path reproduces it. (The perception kernel,
// models/perception.cpp, has the kept-totals case in vector lanes: a change here goes there too.)
inline double neighbour_mean(const Hearing& hearing, std::int64_t customer) {
  const SocialNetwork& network = hearing.network;
  if (network.mean_field) return hearing.market_total / static_cast<double>(network.vertices);
  const auto c = static_cast<std::size_t>(customer);
  const TotalsView& kept = hearing.neighbour_totals;
  if (kept.kept()) {  // the same integer over the same degree as the gather below: the same double
    std::uint64_t degree = network.degree_bytes[c];
    if (degree == SocialNetwork::kManyNeighbours) degree = network.offsets[c + 1] - network.offsets[c];
    if (degree == 0) return 0.0;
    const std::int64_t total = kept.narrow != nullptr ? std::int64_t{kept.narrow[2 * c]} : kept.wide[2 * c];
    return static_cast<double>(total) * hearing.audience.unit / static_cast<double>(degree);
  }
  if (network.outlined()) return outline_neighbour_mean(hearing, customer);
  const std::uint32_t* row = network.neighbours.data();
  return gathered_mean(hearing, row + network.offsets[c], row + network.offsets[c + 1]);
}

}  // namespace fulcrum
