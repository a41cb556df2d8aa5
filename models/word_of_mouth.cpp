#include "models/word_of_mouth.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <omp.h>
#include <type_traits>

#include "sim/team.hpp"

namespace fulcrum {

Voice voice_of(std::uint8_t status, double satisfaction, const WordOfMouthParameters& word_of_mouth) {
  if (status == customer_status::prospect) return {0.0f, 0.0f};
  double sentiment = 0.0;
  switch (nps_category(satisfaction)) {
    case NpsCategory::promoter: sentiment = word_of_mouth.positive_reach * word_of_mouth.positive_weight; break;
    case NpsCategory::detractor: sentiment = -word_of_mouth.negative_reach * word_of_mouth.negative_weight; break;
    case NpsCategory::passive: break;
  }
  if (status == customer_status::lapsed) return {0.0f, static_cast<float>(sentiment * word_of_mouth.lapsed_voice)};
  return {1.0f, static_cast<float>(sentiment)};
}

std::array<Voice, kVoiceKeys> voice_table(const WordOfMouthParameters& word_of_mouth) {
  constexpr std::array<float, 3> kSatisfactionOf{0.0f, 7.0f, 10.0f};  // a detractor, a passive, a promoter
  std::array<Voice, kVoiceKeys> table{};
  for (std::uint8_t status = 0; status < 3; ++status) {
    for (const float satisfaction : kSatisfactionOf) {
      table[voice_key(status, satisfaction)] = voice_of(status, satisfaction, word_of_mouth);
    }
  }
  return table;
}

std::optional<int> exact_voice_shift(std::span<const float> voices, std::int64_t max_degree) {
  int shift = 0;
  double largest = 0;
  for (const float voice : voices) {
    if (voice == 0.0f) continue;
    if (!std::isfinite(voice)) return std::nullopt;
    int exponent = 0;
    const double fraction = std::frexp(static_cast<double>(voice), &exponent);  // voice = fraction * 2^exponent
    // A float's fraction has at most 24 significant bits: times 2^53 it is an exact integer whose
    // trailing zeros say where the voice's last bit sits.
    const auto mantissa = static_cast<std::uint64_t>(std::fabs(std::ldexp(fraction, 53)));
    const int lowest_bit = exponent - 53 + std::countr_zero(mantissa);
    shift = std::max(shift, -lowest_bit);
    largest = std::max(largest, std::fabs(static_cast<double>(voice)));
  }
  const double largest_fixed = std::ldexp(largest, shift);
  if (largest_fixed > static_cast<double>(std::numeric_limits<std::int32_t>::max())) return std::nullopt;
  if (largest_fixed * static_cast<double>(std::max<std::int64_t>(1, max_degree)) >= 0x1p53) return std::nullopt;
  return shift;
}

namespace {

Audience make_audience(const std::array<float, kVoiceKeys>& voices, std::int64_t max_degree, bool mean_field) {
  Audience audience;
  audience.voice = voices;
  const std::optional<int> shift = mean_field ? std::nullopt : exact_voice_shift(voices, max_degree);
  if (!shift) return audience;
  audience.exact = true;
  audience.unit = std::ldexp(1.0, -*shift);
  std::int64_t largest = 0;
  for (std::size_t key = 0; key < kVoiceKeys; ++key) {
    audience.fixed[key] = static_cast<std::int32_t>(std::ldexp(static_cast<double>(voices[key]), *shift));
    largest = std::max(largest, std::abs(std::int64_t{audience.fixed[key]}));
  }
  audience.largest_total = largest * std::max<std::int64_t>(1, max_degree);  // below 2^53 (exact_voice_shift)
  return audience;
}

std::int64_t max_degree(const SocialNetwork& network) {
  if (!network.mean_field && !network.degree_bytes.empty()) {  // 10 MB to read at 10^7 customers, not 80 or 160
    const std::uint8_t largest_byte =
        *std::max_element(network.degree_bytes.begin(), network.degree_bytes.begin() + network.vertices);
    if (largest_byte < SocialNetwork::kManyNeighbours) return largest_byte;
  }
  std::int64_t largest = 0;
  for (std::int64_t v = 0; !network.mean_field && v < network.vertices; ++v) largest = std::max(largest, network.degree(v));
  return largest;
}

}  // namespace

Audience make_audience(const std::array<float, kVoiceKeys>& voices, const SocialNetwork& network) {
  return make_audience(voices, max_degree(network), network.mean_field);
}

Audiences make_audiences(const WordOfMouthParameters& word_of_mouth, const SocialNetwork& network) {
  std::array<float, kVoiceKeys> to_prospects{};
  std::array<float, kVoiceKeys> to_customers{};
  const std::array<Voice, kVoiceKeys> table = voice_table(word_of_mouth);
  for (std::size_t key = 0; key < kVoiceKeys; ++key) {
    to_prospects[key] = table[key].exposure + table[key].sentiment;
    to_customers[key] = table[key].sentiment;
  }
  const std::int64_t degree = max_degree(network);
  return {make_audience(to_prospects, degree, network.mean_field), make_audience(to_customers, degree, network.mean_field)};
}

VoiceTotals voice_block(const CustomerState& customers, CustomerRange range, const Audiences& audiences,
                        std::span<std::uint8_t> voice_keys, bool with_totals) {
  const std::uint8_t* status = customers.status.data();
  const float* satisfaction = customers.satisfaction.data();
  for (Eigen::Index i = range.begin; i < range.end; ++i) voice_keys[static_cast<std::size_t>(i)] = voice_key(status[i], satisfaction[i]);
  VoiceTotals totals;
  if (!with_totals) return totals;
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const std::uint8_t key = voice_keys[static_cast<std::size_t>(i)];
    totals.to_prospects += audiences.prospects.voice[key];
    totals.to_customers += audiences.customers.voice[key];
  }
  return totals;
}

void update_voice_keys(const CustomerState& customers, std::span<const std::uint32_t> who,
                       std::span<std::uint8_t> voice_keys, VoiceChanges& changes) {
  // Every customer is written as a change and kept (the count moves on) only if its key changed: which
  // ones do is hard to guess, and a branch on it would often be wrong.
  const std::size_t before = changes.size();
  changes.resize(before + who.size());
  VoiceChange* written = changes.data() + before;
  std::size_t changed = 0;
  const std::uint8_t* status = customers.status.data();
  const float* satisfaction = customers.satisfaction.data();
  for (const std::uint32_t customer : who) {
    const std::uint8_t key = voice_key(status[customer], satisfaction[customer]);
    const std::uint8_t held = voice_keys[customer];
    written[changed] = {customer, held, key};
    changed += key != held ? 1 : 0;
    voice_keys[customer] = key;
  }
  changes.resize(before + changed);
}

void update_voice_keys(const CustomerState& customers, CustomerRange range, std::span<std::uint8_t> voice_keys,
                       VoiceChanges& changes) {
  std::vector<std::uint32_t> everyone(static_cast<std::size_t>(range.end - range.begin));
  std::iota(everyone.begin(), everyone.end(), static_cast<std::uint32_t>(range.begin));
  update_voice_keys(customers, everyone, voice_keys, changes);
}

namespace {

template <class Total, class Allocator>
void zero_in_parallel(std::vector<Total, Allocator>& totals, std::size_t count, int threads) {
  totals.resize(count);
#pragma omp parallel num_threads(std::max(1, threads))
  {
    const Share share = team_share(count, omp_get_thread_num(), omp_get_num_threads());
    std::fill(totals.data() + share.first, totals.data() + share.end, Total{0});
  }
}

}  // namespace

double outline_neighbour_mean(const Hearing& hearing, std::int64_t customer) {
  const SocialNetwork& network = hearing.network;
  std::array<std::uint32_t, SocialNetwork::kManyNeighbours> row;  // an outline's degrees are below 255
  const std::size_t length = network.outline.write_row(static_cast<std::uint32_t>(customer), network.vertices, row.data());
  return gathered_mean(hearing, row.data(), row.data() + length);
}

void NeighbourTotals::keep(const SocialNetwork& network, const Audiences& audiences, bool wide_anyway, int threads) {
  constexpr std::int64_t kNarrowLimit = std::numeric_limits<std::int32_t>::max();
  const bool fits = audiences.prospects.largest_total <= kNarrowLimit && audiences.customers.largest_total <= kNarrowLimit;
  const auto population = static_cast<std::size_t>(network.vertices);
  narrow.clear();
  wide.clear();
  if (fits && !wide_anyway) {
    zero_in_parallel(narrow, 2 * population, threads);
  } else {
    zero_in_parallel(wide, 2 * population, threads);
  }
}

namespace {

// What a change of one voice from key `before` to `after` does to the total an audience hears.
inline std::int64_t voice_difference(const std::array<std::int32_t, kVoiceKeys>& fixed, std::uint8_t before,
                                     std::uint8_t after) {
  return std::int64_t{fixed[after]} - fixed[before];
}

// total += difference, in unsigned arithmetic: a difference of two voices may not fit the total's type,
// but every total itself does (it is a sum of neighbours' current voices), and modular arithmetic
// lands on it exactly.
template <class Total>
inline void add_to(Total& total, std::int64_t difference) {
  using Unsigned = std::make_unsigned_t<Total>;
  total = static_cast<Total>(static_cast<Unsigned>(total) + static_cast<Unsigned>(difference));
}

// The same with an atomic instruction (atomic integer additions wrap around, as the unsigned ones do).
template <class Total>
inline void add_atomically(Total& total, std::int64_t difference) {
  std::atomic_ref(total).fetch_add(static_cast<Total>(difference), std::memory_order_relaxed);
}

// How a spread adds: in place, leaving what goes to other threads' customers in an outbox, or with
// atomic instructions.
enum class Adding { in_place, with_outbox, atomically };

// How a spread finds a changed customer's neighbours, and asks for what it will read ahead of use, in
// three stages each found by the one before: through the CSR rows (the row's offsets, then the row,
// then the neighbours' totals)...
struct ThroughRows {
  const std::uint64_t* offsets;
  const std::uint32_t* neighbours;

  explicit ThroughRows(const SocialNetwork& network) : offsets(network.offsets.data()), neighbours(network.neighbours.data()) {}
  [[nodiscard]] std::span<const std::uint32_t> row(std::uint32_t vertex) const {
    return {neighbours + offsets[vertex], neighbours + offsets[vertex + 1]};
  }
  void ask_first(std::uint32_t vertex) const { prefetch(offsets + vertex); }
  template <class Total>
  void ask_second(std::uint32_t vertex, const Total* /*totals*/) const {
    const std::span<const std::uint32_t> r = row(vertex);
    SocialNetwork::prefetch_row(r.data(), r.data() + r.size());
  }
  template <class Total>
  void ask_third(std::uint32_t vertex, const Total* totals) const {
    for (const std::uint32_t neighbour : row(vertex)) prefetch(totals + 2 * static_cast<std::size_t>(neighbour));
  }
  template <class Visit>
  void visit(std::uint32_t vertex, Visit&& visit_neighbour) const {
    for (const std::uint32_t neighbour : row(vertex)) visit_neighbour(neighbour);
  }
};

// ... or through a RingOutline (the record, then the totals of the ring around the customer, whose
// addresses need no load, then those of its rewired neighbours).
struct ThroughOutline {
  const RingOutline& outline;
  std::int64_t vertices;

  explicit ThroughOutline(const SocialNetwork& network) : outline(network.outline), vertices(network.vertices) {}
  void ask_first(std::uint32_t vertex) const { prefetch(outline.records.data() + vertex); }
  template <class Total>
  void ask_second(std::uint32_t vertex, const Total* totals) const {
    const std::int64_t half = outline.half;
    const auto* first = reinterpret_cast<const char*>(totals + 2 * std::max<std::int64_t>(0, vertex - half));
    const auto* last = reinterpret_cast<const char*>(totals + 2 * std::min(vertices - 1, vertex + half) + 1);
    const auto bytes = static_cast<std::size_t>(last - first);
    for (std::size_t offset = 0; offset < bytes; offset += 64) prefetch(first + offset);
    prefetch(last);
  }
  template <class Total>
  void ask_third(std::uint32_t vertex, const Total* totals) const {
    const RingOutline::Record& record = outline.records[vertex];
    const std::uint32_t count = RingOutline::rewired_count(record);
    const std::uint32_t inline_count = count <= RingOutline::kInline ? count : RingOutline::kInline - 1;
    for (std::uint32_t i = 0; i < inline_count; ++i) prefetch(totals + 2 * static_cast<std::size_t>(record.rewired[i]));
  }
  template <class Visit>
  void visit(std::uint32_t vertex, Visit&& visit_neighbour) const {
    outline.visit_neighbours(vertex, vertices, visit_neighbour);
  }
};

// One loop for each way of adding, with what it reads held in locals: written as one loop with the ways
// as run-time flags, its registers ran short and every change reloaded the network's fields from the
// stack and through the references (45 ns a change at 10^6 customers on one thread, against 27).
template <Adding kAdding, class Through, class Total>
void spread_into(const Through& through, const Audiences& audiences, std::span<const VoiceChange> changes,
                 CustomerRange owned, std::vector<VoiceAddition>* elsewhere, Total* totals) {
  // Each change's neighbours are read and written at addresses the previous changes do not predict:
  // the cache misses of the changes ahead are started now so that they overlap.
  constexpr std::size_t kFirstAhead = 24;
  constexpr std::size_t kSecondAhead = 16;
  constexpr std::size_t kThirdAhead = 8;
  const std::array<std::int32_t, kVoiceKeys> to_prospects_of = audiences.prospects.fixed;
  const std::array<std::int32_t, kVoiceKeys> to_customers_of = audiences.customers.fixed;
  const auto begin = static_cast<std::uint64_t>(owned.begin);
  const auto size = static_cast<std::uint64_t>(owned.end - owned.begin);
  const std::size_t count = changes.size();
  for (std::size_t k = 0; k < count; ++k) {
    if (k + kFirstAhead < count) through.ask_first(changes[k + kFirstAhead].customer);
    if (k + kSecondAhead < count) through.ask_second(changes[k + kSecondAhead].customer, totals);
    if (k + kThirdAhead < count) through.ask_third(changes[k + kThirdAhead].customer, totals);
    const VoiceChange change = changes[k];
    const std::int64_t to_prospects = voice_difference(to_prospects_of, change.before, change.after);
    const std::int64_t to_customers = voice_difference(to_customers_of, change.before, change.after);
    through.visit(change.customer, [&](const std::uint32_t neighbour) {
      if constexpr (kAdding == Adding::with_outbox) {
        if (neighbour - begin >= size) {  // unsigned: below begin wraps around too
          elsewhere->push_back({neighbour, change.before, change.after});
          return;
        }
      }
      Total* heard = totals + 2 * static_cast<std::size_t>(neighbour);
      if constexpr (kAdding == Adding::atomically) {
        add_atomically(heard[NeighbourTotals::kProspects], to_prospects);
        add_atomically(heard[NeighbourTotals::kCustomers], to_customers);
      } else {
        add_to(heard[NeighbourTotals::kProspects], to_prospects);
        add_to(heard[NeighbourTotals::kCustomers], to_customers);
      }
    });
  }
}

template <class Through, class Total>
void spread_into(const Through& through, const Audiences& audiences, std::span<const VoiceChange> changes,
                 CustomerRange owned, std::vector<VoiceAddition>* elsewhere, bool atomic, Total* totals) {
  if (atomic) {
    spread_into<Adding::atomically>(through, audiences, changes, owned, elsewhere, totals);
  } else if (elsewhere != nullptr) {
    spread_into<Adding::with_outbox>(through, audiences, changes, owned, elsewhere, totals);
  } else {
    spread_into<Adding::in_place>(through, audiences, changes, owned, elsewhere, totals);
  }
}

template <class Total>
void spread_into(const SocialNetwork& network, const Audiences& audiences, std::span<const VoiceChange> changes,
                 CustomerRange owned, std::vector<VoiceAddition>* elsewhere, bool atomic, Total* totals) {
  if (network.outlined()) {
    spread_into(ThroughOutline(network), audiences, changes, owned, elsewhere, atomic, totals);
  } else {
    spread_into(ThroughRows(network), audiences, changes, owned, elsewhere, atomic, totals);
  }
}

template <class Total>
void apply_into(const Audiences& audiences, std::span<const VoiceAddition> additions, CustomerRange owned, Total* totals) {
  const auto begin = static_cast<std::uint64_t>(owned.begin);
  const auto size = static_cast<std::uint64_t>(owned.end - owned.begin);
  for (const VoiceAddition& addition : additions) {
    if (addition.customer - begin >= size) continue;
    Total* heard = totals + 2 * static_cast<std::size_t>(addition.customer);
    add_to(heard[NeighbourTotals::kProspects], voice_difference(audiences.prospects.fixed, addition.before, addition.after));
    add_to(heard[NeighbourTotals::kCustomers], voice_difference(audiences.customers.fixed, addition.before, addition.after));
  }
}

}  // namespace

void spread_voice_changes(const SocialNetwork& network, const Audiences& audiences, std::span<const VoiceChange> changes,
                          CustomerRange owned, std::vector<VoiceAddition>* elsewhere, NeighbourTotals& totals,
                          bool atomic) {
  if (!totals.narrow.empty()) spread_into(network, audiences, changes, owned, elsewhere, atomic, totals.narrow.data());
  if (!totals.wide.empty()) spread_into(network, audiences, changes, owned, elsewhere, atomic, totals.wide.data());
}

void apply_voice_additions(const Audiences& audiences, std::span<const VoiceAddition> additions, CustomerRange owned,
                           NeighbourTotals& totals) {
  if (!totals.narrow.empty()) apply_into(audiences, additions, owned, totals.narrow.data());
  if (!totals.wide.empty()) apply_into(audiences, additions, owned, totals.wide.data());
}

}  // namespace fulcrum
