#include <catch2/catch.hpp>

#include "models/word_of_mouth.hpp"

#include <boost/random/taus88.hpp>
#include <bit>
#include <cmath>
#include <limits>

#include "sim/parameters.hpp"
#include "sim/rng.hpp"

using namespace fulcrum;

TEST_CASE("NPS categories follow the 0-10 convention on rounded satisfaction", "[word_of_mouth]") {
  CHECK(nps_category(10.0) == NpsCategory::promoter);
  CHECK(nps_category(8.5) == NpsCategory::promoter);   // answers 9
  CHECK(nps_category(8.49) == NpsCategory::passive);  // answers 8
  CHECK(nps_category(6.5) == NpsCategory::passive);   // answers 7
  CHECK(nps_category(6.49) == NpsCategory::detractor);
  CHECK(nps_category(0.0) == NpsCategory::detractor);
}

TEST_CASE("a detractor's word weighs reach times weight, three times a promoter's by default", "[word_of_mouth]") {
  const WordOfMouthParameters wom = default_scenario().word_of_mouth;
  const Voice promoter = voice_of(customer_status::active, 9.0, wom);
  const Voice detractor = voice_of(customer_status::active, 4.0, wom);
  const Voice passive = voice_of(customer_status::active, 7.5, wom);
  CHECK(promoter.exposure == 1.0f);
  CHECK(promoter.sentiment == Approx(wom.positive_reach * wom.positive_weight));
  CHECK(detractor.sentiment == Approx(-wom.negative_reach * wom.negative_weight));
  CHECK(passive.sentiment == 0.0f);
  CHECK(-detractor.sentiment / promoter.sentiment == Approx(3.0));  // seed 004: negative weighs ~3x
  // Reach and weight are separate knobs with the same product.
  WordOfMouthParameters louder = wom;
  louder.negative_reach = 0.3;
  louder.negative_weight = 3.0;
  CHECK(voice_of(customer_status::active, 4.0, louder).sentiment == Approx(detractor.sentiment));
}

TEST_CASE("prospects say nothing; former customers speak without exposure", "[word_of_mouth]") {
  WordOfMouthParameters wom = default_scenario().word_of_mouth;
  wom.lapsed_voice = 0.5;
  const Voice prospect = voice_of(customer_status::prospect, 2.0, wom);
  CHECK(prospect.exposure == 0.0f);
  CHECK(prospect.sentiment == 0.0f);
  const Voice former = voice_of(customer_status::lapsed, 2.0, wom);
  CHECK(former.exposure == 0.0f);
  CHECK(former.sentiment == Approx(-0.5 * wom.negative_reach * wom.negative_weight));
}

TEST_CASE("one detractor cancels more imitation than one promoter adds", "[word_of_mouth]") {
  // A star: prospect 0 hears customers 1 and 2.
  const SocialNetwork network = network_from_edges(3, {{0, 1}, {0, 2}});
  const WordOfMouthParameters wom = default_scenario().word_of_mouth;
  CustomerState customers(3);
  customers.status << customer_status::prospect, customer_status::active, customer_status::active;
  customers.satisfaction << 0.0f, 7.5f, 7.5f;
  // Both ways of hearing: exact integers, and floats added in neighbour order.
  const Audiences audiences = make_audiences(wom, network);
  REQUIRE(audiences.prospects.exact);
  Audience as_floats = audiences.prospects;
  as_floats.exact = false;
  std::vector<std::uint8_t> keys(3);
  const auto heard = [&]() {
    voice_block(customers, {0, 3}, audiences, keys, false);
    const double exact = neighbour_mean(Hearing{network, keys, audiences.prospects, 0.0}, 0);
    CHECK(exact == neighbour_mean(Hearing{network, keys, as_floats, 0.0}, 0));  // bit for bit
    return exact;
  };
  const double passives = heard();
  CHECK(passives == Approx(1.0));  // two plain exposures over two neighbours
  customers.satisfaction[1] = 9.0f;
  const double with_promoter = heard();
  customers.satisfaction[1] = 7.5f;
  customers.satisfaction[2] = 4.0f;
  const double with_detractor = heard();
  CHECK(with_promoter - passives == Approx(0.15));
  CHECK(passives - with_detractor == Approx(0.45));
  CHECK((passives - with_detractor) / (with_promoter - passives) == Approx(3.0));
}

TEST_CASE("the complete graph hears the market's mean", "[word_of_mouth]") {
  SocialNetwork complete;
  complete.vertices = 4;
  const std::vector<std::uint8_t> keys(4, 0);
  const Audience audience;
  CHECK(neighbour_mean(Hearing{complete, keys, audience, 2.0}, 3) == Approx(0.5));
  const SocialNetwork isolated = network_from_edges(2, {});
  CHECK(neighbour_mean(Hearing{isolated, keys, audience, 2.0}, 0) == 0.0);  // no neighbours, no word of mouth
}

TEST_CASE("integer word of mouth sums to the same double as the floats, bit for bit", "[word_of_mouth]") {
  // Random graphs and random voice tables: whenever exact_voice_shift allows integers, every neighbour
  // mean equals the float path's exactly; when it refuses, the voices could not be summed exactly.
  boost::random::mt19937 engine(11);
  int exact_trials = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const std::int64_t n = 60;
    std::vector<Edge> edges;
    for (int e = 0; e < 300; ++e) edges.push_back({static_cast<std::uint32_t>(engine() % n), static_cast<std::uint32_t>(engine() % n)});
    const SocialNetwork network = network_from_edges(n, edges);
    std::vector<float> table;
    for (int k = 0; k < 5; ++k) {
      // Half the trials with voices of few significant bits (exact), half with full floats (mostly not).
      const double scale = std::ldexp(1.0, static_cast<int>(engine() % 40) - 20);
      const double coarse = std::round((uniform01(engine) - 0.5) * 4096.0) / 4096.0 * std::ldexp(1.0, static_cast<int>(engine() % 6));
      table.push_back(static_cast<float>(trial % 2 == 0 ? coarse : (uniform01(engine) - 0.5) * scale));
    }
    std::array<float, kVoiceKeys> voices{};
    for (std::size_t key = 0; key < kVoiceKeys; ++key) voices[key] = table[engine() % table.size()];
    const Audience exact = make_audience(voices, network);
    if (!exact.exact) continue;
    ++exact_trials;
    Audience as_floats = exact;
    as_floats.exact = false;
    std::vector<std::uint8_t> keys(static_cast<std::size_t>(n));
    for (auto& key : keys) key = static_cast<std::uint8_t>(engine() % kVoiceKeys);
    for (std::size_t key = 0; key < kVoiceKeys; ++key) {
      REQUIRE(static_cast<double>(exact.fixed[key]) * exact.unit == static_cast<double>(voices[key]));
    }
    for (std::int64_t v = 0; v < n; ++v) {
      REQUIRE(neighbour_mean(Hearing{network, keys, exact, 0.0}, v) == neighbour_mean(Hearing{network, keys, as_floats, 0.0}, v));
    }
  }
  CHECK(exact_trials >= 100);  // every coarse trial, and perhaps some others
  CHECK(exact_trials < 200);
  // Voices too fine for 32-bit integers, or too many neighbours for 53 bits: floats.
  CHECK(exact_voice_shift(std::vector<float>{1.0f, 1e-9f}, 10) == std::nullopt);
  CHECK(exact_voice_shift(std::vector<float>{1.3f, -0.9f, 0.3f}, 10).has_value());
  CHECK(exact_voice_shift(std::vector<float>{1.3f}, std::int64_t{1} << 40) == std::nullopt);
  CHECK(exact_voice_shift(std::vector<float>{1.0f, 2.0f}, 10) == 0);
  CHECK(exact_voice_shift(std::vector<float>{0.25f}, 10) == 2);
  SocialNetwork complete;
  complete.vertices = 4;
  CHECK_FALSE(make_audience({1.0f}, complete).exact);  // the complete graph sums floats
}

TEST_CASE("voice changes spread by owners with outboxes give the totals one spread gives", "[word_of_mouth]") {
  // Threads own ranges of customers and leave what they add to others' customers in outboxes: any split,
  // ranges empty or not, must give every total a single spread gives, and every change's neighbours
  // exactly its difference (checked against summing the keys afresh). One trial in three is a
  // Watts-Strogatz ring kept as an outline (no rows), which must give what its rows give.
  boost::random::mt19937 engine(8);
  for (int trial = 0; trial < 30; ++trial) {
    const std::int64_t n = 500;
    const bool ring = trial % 3 == 2;
    std::vector<Edge> edges;
    for (int e = 0; e < 2500; ++e) edges.push_back({static_cast<std::uint32_t>(engine() % n), static_cast<std::uint32_t>(engine() % n)});
    boost::random::taus88 ring_engine(static_cast<std::uint32_t>(trial) + 1), same_ring(static_cast<std::uint32_t>(trial) + 1);
    const double rewiring = trial % 2 == 0 ? 0.2 : 1.0;
    const SocialNetwork rows = ring ? watts_strogatz_network(n, 8 + (trial / 3) % 3, rewiring, ring_engine) : network_from_edges(n, edges);
    const SocialNetwork network = ring ? watts_strogatz_network(n, 8 + (trial / 3) % 3, rewiring, same_ring, 1, true) : rows;
    REQUIRE(network.outlined() == ring);
    const Audiences audiences = make_audiences(default_scenario().word_of_mouth, network);
    REQUIRE(audiences.prospects.exact);
    REQUIRE(audiences.customers.exact);
    VoiceChanges changes;
    std::vector<std::uint8_t> keys(static_cast<std::size_t>(n), voice_key(customer_status::prospect, 0.0f));
    for (std::uint32_t c = 0; c < n; ++c) {
      const auto key = static_cast<std::uint8_t>(engine() % kVoiceKeys);
      if (key != keys[c]) changes.push_back({c, keys[c], key});
      keys[c] = key;
    }
    // Kept in 32 bits, as keep() chooses here, and in 64 bits every other trial: the same totals.
    const auto start = [&](NeighbourTotals& totals) {
      totals.keep(network, audiences, trial % 2 == 1);
      REQUIRE(totals.narrow.empty() == (trial % 2 == 1));
    };
    NeighbourTotals one;
    start(one);
    spread_voice_changes(network, audiences, changes, {0, n}, nullptr, one);
    // Three owners at random cuts; each spreads the changes of its own customers.
    std::array<Eigen::Index, 4> cuts{0, static_cast<Eigen::Index>(engine() % n), static_cast<Eigen::Index>(engine() % n), n};
    std::sort(cuts.begin(), cuts.end());
    NeighbourTotals split;
    start(split);
    std::array<std::vector<VoiceAddition>, 3> outboxes;
    for (std::size_t owner = 0; owner < 3; ++owner) {
      VoiceChanges own;
      for (const VoiceChange& change : changes) {
        if (change.customer >= cuts[owner] && change.customer < cuts[owner + 1]) own.push_back(change);
      }
      spread_voice_changes(network, audiences, own, {cuts[owner], cuts[owner + 1]}, &outboxes[owner], split);
    }
    for (std::size_t owner = 0; owner < 3; ++owner) {
      for (std::size_t sender = 0; sender < 3; ++sender) {
        if (sender != owner) apply_voice_additions(audiences, outboxes[sender], {cuts[owner], cuts[owner + 1]}, split);
      }
    }
    REQUIRE(split.narrow == one.narrow);
    REQUIRE(split.wide == one.wide);
    NeighbourTotals atomically;  // with atomic additions (as when threads share the totals)
    start(atomically);
    spread_voice_changes(network, audiences, changes, {0, 0}, nullptr, atomically, true);
    REQUIRE(atomically.narrow == one.narrow);
    REQUIRE(atomically.wide == one.wide);
    if (ring) {  // through the rows, the same totals
      NeighbourTotals through_rows;
      start(through_rows);
      spread_voice_changes(rows, audiences, changes, {0, n}, nullptr, through_rows);
      REQUIRE(through_rows.narrow == one.narrow);
      REQUIRE(through_rows.wide == one.wide);
    }
    for (std::int64_t v = 0; v < n; ++v) {
      std::int64_t to_customers = 0;
      for (const std::uint32_t neighbour : rows.neighbours_of(v)) to_customers += audiences.customers.fixed[keys[neighbour]];
      REQUIRE(one.total(static_cast<std::size_t>(v), NeighbourTotals::kCustomers) == to_customers);
    }
    // What each customer hears, read from the kept totals (over the degree byte, or the offsets' degree
    // for 255 neighbours and more), is the very double the gather over its neighbours' keys gives.
    for (const std::size_t audience : {NeighbourTotals::kProspects, NeighbourTotals::kCustomers}) {
      const Audience& heard_as = audience == NeighbourTotals::kProspects ? audiences.prospects : audiences.customers;
      const Hearing kept{network, keys, heard_as, 0.0, heard_by(one, audience)};
      const Hearing gathered{network, keys, heard_as, 0.0};
      // The gather over an outline adds in row order: the rows' double even over floats.
      Audience as_floats = heard_as;
      as_floats.exact = false;
      const Hearing floats{network, keys, as_floats, 0.0};
      const Hearing floats_over_rows{rows, keys, as_floats, 0.0};
      for (std::int64_t v = 0; v < n; ++v) {
        REQUIRE(std::bit_cast<std::uint64_t>(neighbour_mean(kept, v)) == std::bit_cast<std::uint64_t>(neighbour_mean(gathered, v)));
        REQUIRE(std::bit_cast<std::uint64_t>(neighbour_mean(floats, v)) ==
                std::bit_cast<std::uint64_t>(neighbour_mean(floats_over_rows, v)));
      }
    }
  }
}

TEST_CASE("what a hub hears from kept totals is what its neighbours say, however many they are", "[word_of_mouth]") {
  // A degree is kept in a byte, 255 standing for 255 or more (then read from the offsets): stars
  // on either side of that, their leaves promoters, passives and detractors in turn.
  for (const std::uint32_t leaves : {1U, 254U, 255U, 256U, 1000U}) {
    std::vector<Edge> edges;
    for (std::uint32_t leaf = 1; leaf <= leaves; ++leaf) edges.push_back({0, leaf});
    const SocialNetwork star = network_from_edges(leaves + 2, edges);  // and one vertex with no neighbours
    const Audiences audiences = make_audiences(default_scenario().word_of_mouth, star);
    CustomerState customers(leaves + 2);
    for (Eigen::Index i = 1; i <= leaves; ++i) {
      customers.status[i] = customer_status::active;
      customers.satisfaction[i] = std::array{9.0f, 7.0f, 3.0f}[static_cast<std::size_t>(i % 3)];
    }
    std::vector<std::uint8_t> keys(leaves + 2, voice_key(customer_status::prospect, 0.0f));
    VoiceChanges changes;
    update_voice_keys(customers, {0, leaves + 2}, keys, changes);
    for (const bool wide : {false, true}) {
      NeighbourTotals totals;
      totals.keep(star, audiences, wide);
      CHECK(star.degree_bytes[0] == std::min<std::uint32_t>(leaves, SocialNetwork::kManyNeighbours));
      spread_voice_changes(star, audiences, changes, {0, leaves + 2}, nullptr, totals);
      for (const std::size_t audience : {NeighbourTotals::kProspects, NeighbourTotals::kCustomers}) {
        const Audience& heard_as = audience == NeighbourTotals::kProspects ? audiences.prospects : audiences.customers;
        const Hearing kept{star, keys, heard_as, 0.0, heard_by(totals, audience)};
        const Hearing gathered{star, keys, heard_as, 0.0};
        for (const std::int64_t v : {std::int64_t{0}, std::int64_t{1}, static_cast<std::int64_t>(leaves + 1)}) {
          CHECK(std::bit_cast<std::uint64_t>(neighbour_mean(kept, v)) == std::bit_cast<std::uint64_t>(neighbour_mean(gathered, v)));
        }
        if (leaves > 1) CHECK(neighbour_mean(kept, 0) != 0.0);  // not a test of zeros
      }
    }
  }
}

TEST_CASE("neighbour totals are kept in 32 bits only when every total a customer can hear fits them", "[word_of_mouth]") {
  // Voices of 24 significant bits: shifted to integers of about 2^24, times the largest degree.
  WordOfMouthParameters wom = default_scenario().word_of_mouth;
  wom.positive_reach = 0.3;  // not a short binary fraction
  const auto totals_for = [&](std::int64_t hub_degree) {
    std::vector<Edge> edges;
    for (std::uint32_t leaf = 1; leaf <= hub_degree; ++leaf) edges.push_back({0, leaf});
    const SocialNetwork star = network_from_edges(hub_degree + 1, edges);
    const Audiences audiences = make_audiences(wom, star);
    REQUIRE(audiences.prospects.exact);
    CHECK(audiences.prospects.largest_total >= hub_degree);
    NeighbourTotals totals;
    totals.keep(star, audiences);
    const std::int64_t largest = std::max(audiences.prospects.largest_total, audiences.customers.largest_total);
    CHECK(totals.narrow.empty() == (largest > std::numeric_limits<std::int32_t>::max()));
    CHECK(totals.narrow.empty() != totals.wide.empty());
    return totals;
  };
  CHECK_FALSE(totals_for(10).narrow.empty());   // a sparse network: 32 bits
  CHECK_FALSE(totals_for(5000).wide.empty());   // a hub of 5,000: 64 bits
}

TEST_CASE("voice keys are updated from status and satisfaction, with the changes in order", "[word_of_mouth]") {
  // Written out plainly: each listed customer's key from its status and satisfaction, a change for each
  // whose key differs from the one held, appended in the list's order. On lists of many lengths,
  // reaching the last customers of the columns, with satisfactions on the NPS thresholds and NaN.
  boost::random::mt19937 engine(5);
  std::int64_t changed_total = 0, kept_total = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::int64_t n = std::array<std::int64_t, 6>{1, 16, 17, 33, 200, 4099}[static_cast<std::size_t>(trial % 6)];
    CustomerState customers(n);
    std::vector<std::uint8_t> keys(static_cast<std::size_t>(n));
    std::vector<std::uint32_t> who;
    for (Eigen::Index i = 0; i < n; ++i) {
      customers.status[i] = static_cast<std::uint8_t>(engine() % 3);
      const std::array<float, 5> special{6.5f, 8.5f, std::nextafter(6.5f, 0.0f), std::nanf(""), 10.0f};
      customers.satisfaction[i] = engine() % 4 == 0 ? special[engine() % 5] : static_cast<float>(engine() % 1000) / 100.0f;
      keys[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(engine() % kVoiceKeys);
      if (engine() % 3 != 0) who.push_back(static_cast<std::uint32_t>(i));
    }
    std::vector<std::uint8_t> expected_keys = keys;
    std::vector<std::tuple<std::uint32_t, std::uint8_t, std::uint8_t>> expected;
    for (const std::uint32_t i : who) {
      const std::uint8_t key = voice_key(customers.status[i], customers.satisfaction[i]);
      if (key != expected_keys[i]) expected.emplace_back(i, expected_keys[i], key);
      expected_keys[i] = key;
    }
    VoiceChanges changes{{7, 1, 2}};  // appended after what is there
    update_voice_keys(customers, who, keys, changes);
    REQUIRE(keys == expected_keys);
    REQUIRE(changes.size() == expected.size() + 1);
    CHECK(changes[0].customer == 7);
    for (std::size_t c = 0; c < expected.size(); ++c) {
      REQUIRE(changes[c + 1].customer == std::get<0>(expected[c]));
      REQUIRE(changes[c + 1].before == std::get<1>(expected[c]));
      REQUIRE(changes[c + 1].after == std::get<2>(expected[c]));
    }
    changed_total += static_cast<std::int64_t>(expected.size());
    kept_total += static_cast<std::int64_t>(who.size() - expected.size());
  }
  CHECK(changed_total > 1000);
  CHECK(kept_total > 100);
}
