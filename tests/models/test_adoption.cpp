#include <catch2/catch.hpp>
#include <cmath>

#include "models/adoption.hpp"
#include "models/market.hpp"
#include "sim/parameters.hpp"

#include <limits>

using namespace fulcrum;

namespace {

SocialNetwork complete_graph(std::int64_t vertices) {
  SocialNetwork network;
  network.vertices = vertices;
  return network;
}

// One firm that every prospect would choose, with Bass coefficients `bass`, joining on `terms` (by segment).
struct OneFirm {
  std::vector<double> shares;
  std::vector<AdoptionParameters> hazards;
  std::vector<JoiningTerms> terms;
  OneFirm(AdoptionParameters bass, std::vector<JoiningTerms> joining)
      : shares(joining.size(), 1.0), hazards{bass}, terms(std::move(joining)) {}
  [[nodiscard]] AdoptionChoice choice() const { return {shares, hazards, terms, 1, terms.size()}; }
};

double probability(const AdoptionParameters& bass, double signal, double dt) {
  const OneFirm firm(bass, {JoiningTerms{}});
  std::vector<double> weights;
  return -std::expm1(-adoption_hazard(firm.choice(), 0, signal, weights) * dt);
}

}  // namespace

TEST_CASE("adoption probability is one minus exp of the Bass hazard over the sub-step", "[adoption]") {
  const AdoptionParameters bass{0.03, 0.38};
  CHECK(probability(bass, 0.0, 1.0) == Approx(1.0 - std::exp(-0.03)));
  CHECK(probability(bass, 0.5, 0.25) == Approx(1.0 - std::exp(-(0.03 + 0.19) * 0.25)));
  CHECK(probability({0.0, 0.0}, 0.7, 1.0) == 0.0);
  // Four quarter-steps at a fixed signal compound to one whole-quarter step.
  const double step = probability(bass, 0.2, 0.25);
  CHECK(1.0 - std::pow(1.0 - step, 4) == Approx(probability(bass, 0.2, 1.0)));
  // Negative word of mouth can silence imitation, never innovation.
  CHECK(probability(bass, -0.1, 1.0) == Approx(1.0 - std::exp(-0.03)));
}

TEST_CASE("adopt_block turns only prospects into customers, on the joining terms", "[adoption]") {
  CustomerState customers(100);
  customers.status[0] = customer_status::active;
  customers.status[1] = customer_status::lapsed;
  const JoiningTerms terms{0, 7.5f, 7.0f, 0.6f, 20.0f, 3.0f};
  const SocialNetwork network = complete_graph(100);
  const std::vector<std::uint8_t> silent_keys(100, 0);  // nobody says anything
  const Audience silence;
  const CustomerDraws engine({1, 0, StreamPurpose::adoption, 1, 0, 0});
  std::vector<FirmTally> tallies(1);
  const OneFirm firm({1000.0, 0.0}, {terms});
  adopt_block(customers, {0, 100}, 1.0, Hearing{network, silent_keys, silence, 0.0}, firm.choice(), 5, engine, 0, tallies);
  CHECK(tallies[0].acquired == 98);
  CHECK(customers.status[1] == customer_status::lapsed);
  CHECK(customers.status[2] == customer_status::active);
  CHECK(customers.expectation[2] == 7.5f);
  CHECK(customers.satisfaction[2] == 7.0f);
  CHECK(customers.trust[2] == 0.6f);
  CHECK(customers.reference_price[2] == 20.0f);
  CHECK(customers.spend[2] == 3.0f);
  CHECK(customers.acquired_quarter[2] == 5);
  CHECK(customers.acquired_quarter[0] == -1);  // was active before: untouched
}

TEST_CASE("on a graph, only prospects who hear something imitate", "[adoption]") {
  // A path 0-1-2-3: customer 0 talks; prospect 1 hears it, prospects 2 and 3 do not.
  const SocialNetwork network = network_from_edges(4, {{0, 1}, {1, 2}, {2, 3}});
  CustomerState customers(4);
  customers.status[0] = customer_status::active;
  Audience exposure;  // an active passive (voice key 4) is seen using the product, nothing more
  exposure.voice[4] = 1.0f;
  const std::vector<std::uint8_t> keys{4, 0, 0, 0};
  std::vector<FirmTally> tallies(1);
  const CustomerDraws engine({2, 0, StreamPurpose::adoption, 1, 0, 0});
  const OneFirm firm({0.0, 1000.0}, {JoiningTerms{0, 5, 5, 0.5f, 1, 1}});
  adopt_block(customers, {0, 4}, 1.0, Hearing{network, keys, exposure, 1.0}, firm.choice(), 1, engine, 0, tallies);
  CHECK(customers.status[1] == customer_status::active);  // half its neighbours talk: certain with q = 1000
  CHECK(customers.status[2] == customer_status::prospect);
  CHECK(customers.status[3] == customer_status::prospect);
  CHECK(tallies[0].acquired == 1);
}

TEST_CASE("adopters join on their own segment's terms and are counted by segment", "[adoption]") {
  CustomerState customers(6);
  for (int i = 0; i < 6; ++i) customers.segment[i] = static_cast<std::uint16_t>(i % 2);
  const std::vector<JoiningTerms> terms{{0, 7.0f, 7.0f, 0.5f, 10.0f, 1.0f}, {0, 7.0f, 8.0f, 0.7f, 10.0f, 4.0f}};
  const SocialNetwork network = complete_graph(6);
  const std::vector<std::uint8_t> silent_keys(6, 0);  // nobody says anything
  const Audience silence;
  std::vector<FirmTally> tallies(2);
  const CustomerDraws engine({5, 0, StreamPurpose::adoption, 1, 0, 0});
  const OneFirm firm({1000.0, 0.0}, terms);
  adopt_block(customers, {0, 6}, 1.0, Hearing{network, silent_keys, silence, 0.0}, firm.choice(), 1, engine, 0, tallies);
  CHECK(tallies[0].acquired == 3);
  CHECK(tallies[1].acquired == 3);
  CHECK(customers.spend[1] == 4.0f);
  CHECK(customers.trust[1] == 0.7f);
  CHECK(customers.spend[2] == 1.0f);
}

TEST_CASE("adopt_block draws one number per customer whatever their status", "[adoption]") {
  // Common random numbers: customer 50's draw must not depend on how many before it were prospects.
  CustomerState all_prospects(64), some_active(64);
  for (int i = 0; i < 30; ++i) some_active.status[i] = customer_status::active;
  std::vector<FirmTally> a(1), b(1);
  const CustomerDraws first({9, 0, StreamPurpose::adoption, 1, 0, 0});
  const CustomerDraws second({9, 0, StreamPurpose::adoption, 1, 0, 0});
  const JoiningTerms terms{0, 5, 5, 0.5f, 1, 1};
  const SocialNetwork network = complete_graph(64);
  const std::vector<std::uint8_t> silent_keys(64, 0);  // nobody says anything
  const Audience silence;
  const OneFirm firm({0.7, 0.0}, {terms});
  adopt_block(all_prospects, {0, 64}, 1.0, Hearing{network, silent_keys, silence, 0.0}, firm.choice(), 1, first, 0, a);
  adopt_block(some_active, {0, 64}, 1.0, Hearing{network, silent_keys, silence, 0.0}, firm.choice(), 1, second, 0, b);
  for (int i = 30; i < 64; ++i) CHECK(all_prospects.status[i] == some_active.status[i]);
}

TEST_CASE("prospects split between firms by their logit shares and Bass hazards", "[adoption][market]") {
  const Eigen::Index n = 60000;
  CustomerState customers(n);
  const SocialNetwork network = complete_graph(n);
  const std::vector<std::uint8_t> silent_keys(static_cast<std::size_t>(n), 0);  // nobody says anything
  const Audience silence;
  const std::vector<double> shares{0.25, 0.75};
  const std::vector<AdoptionParameters> hazards{{0.2, 0.0}, {0.2, 0.0}};
  const std::vector<JoiningTerms> terms{{0, 5, 5, 0.5f, 1, 1}, {1, 5, 5, 0.5f, 1, 1}};
  const AdoptionChoice choice{shares, hazards, terms, 2, 1};
  std::vector<FirmTally> tallies(2);
  const CustomerDraws engine({3, 0, StreamPurpose::adoption, 1, 0, 0});
  adopt_block(customers, {0, n}, 1.0, Hearing{network, silent_keys, silence, 0.0}, choice, 1, engine, 0, tallies);
  const double adopted = static_cast<double>(tallies[0].acquired + tallies[1].acquired);
  const double p = 1 - std::exp(-0.2);
  CHECK(std::abs(adopted - p * n) < 5 * std::sqrt(p * (1 - p) * n));
  const double first_share = static_cast<double>(tallies[0].acquired) / adopted;
  CHECK(std::abs(first_share - 0.25) < 5 * std::sqrt(0.25 * 0.75 / adopted));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (customers.status[i] == customer_status::active) REQUIRE(customers.firm[i] >= 0);
  }
}

TEST_CASE("logit shares match the closed form and pick inverts them", "[market]") {
  const std::vector<double> utilities{1.0, 2.0, -std::numeric_limits<double>::infinity(), 0.5};
  const std::vector<double> shares = logit_shares(utilities, 0.5);
  const double total = std::exp(2.0) + std::exp(4.0) + std::exp(1.0);
  CHECK(shares[0] == Approx(std::exp(2.0) / total));
  CHECK(shares[1] == Approx(std::exp(4.0) / total));
  CHECK(shares[2] == 0.0);  // closed
  CHECK(shares[3] == Approx(std::exp(1.0) / total));
  CHECK(pick(shares, 0.0) == 0);
  CHECK(pick(shares, shares[0] + 1e-9) == 1);
  CHECK(pick(shares, 0.999999999) == 3);
  CHECK(logit_shares(std::vector<double>{1000.0, 999.0}, 1.0)[0] == Approx(1 / (1 + std::exp(-1.0))));  // stable
  CHECK(offer_utility({7.0, 22.0, true}, 20.0, 2.0) == Approx(7.0 - 0.2));
}

TEST_CASE("the shortcuts of adopt_block decide exactly what the plain rule decides", "[adoption]") {
  // The plain rule, written out: every prospect hears the mean of its neighbours' voices, its hazard is
  // adoption_hazard at that signal, it adopts when its draw is below 1 - exp(-hazard dt), and the same
  // draw picks the firm. adopt_block skips prospects whose draw is above the loudest signal's
  // probability, remembers hazards, and reads kept totals: it must make the very same choices, on
  // networks and voices random enough to reach every branch (two firms, two segments, loud and silent).
  boost::random::mt19937 engine(2026);
  std::int64_t joins = 0, stays = 0, heard_something = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const std::int64_t n = 3000;
    std::vector<Edge> edges;
    for (int e = 0; e < 12000; ++e) edges.push_back({static_cast<std::uint32_t>(engine() % n), static_cast<std::uint32_t>(engine() % n)});
    const SocialNetwork network = network_from_edges(n, edges);
    WordOfMouthParameters wom = default_scenario().word_of_mouth;
    // Reaches of a few significant bits keep the voices exact integers (the incremental case).
    wom.positive_reach = std::round(uniform01(engine) * 64.0) / 64.0;
    wom.negative_reach = std::round(uniform01(engine) * 64.0) / 64.0;
    const Audiences audiences = make_audiences(wom, network);
    REQUIRE(audiences.prospects.exact);
    CustomerState customers(n);
    std::vector<std::uint8_t> keys(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      customers.status[i] = static_cast<std::uint8_t>(engine() % 3);
      customers.satisfaction[i] = static_cast<float>(10.0 * uniform01(engine));
      customers.segment[i] = static_cast<std::uint16_t>(engine() % 2);
      keys[static_cast<std::size_t>(i)] = voice_key(customers.status[i], customers.satisfaction[i]);
    }
    // Neighbour totals, as the incremental kernel keeps them.
    NeighbourTotals totals;
    totals.keep(network, audiences);
    VoiceChanges changes;
    std::vector<std::uint8_t> silent(static_cast<std::size_t>(n), voice_key(customer_status::prospect, 0.0f));
    update_voice_keys(customers, {0, n}, silent, changes);
    spread_voice_changes(network, audiences, changes, {0, n}, nullptr, totals);
    const std::vector<double> shares{0.3, 0.7, 0.6, 0.4};  // [segment * firms + firm]
    const double imitation = 3.0 * uniform01(engine);
    const std::vector<AdoptionParameters> hazards{{0.05, imitation}, {0.02, 2 * imitation}};
    const std::vector<JoiningTerms> terms{{0, 5, 5, 0.5f, 1, 1}, {0, 5, 5, 0.5f, 1, 1}, {1, 5, 5, 0.5f, 1, 1}, {1, 5, 5, 0.5f, 1, 1}};
    const AdoptionChoice choice{shares, hazards, terms, 2, 2};
    const double dt = 0.25;
    const CustomerDraws draws({static_cast<std::uint64_t>(trial), 0, StreamPurpose::adoption, 1, 0, 0});
    const std::int64_t substep = trial % 8;

    std::vector<std::int16_t> expected(static_cast<std::size_t>(n), kNoFirm);
    std::vector<double> weights;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (customers.status[i] != customer_status::prospect) continue;
      const double heard = neighbour_mean(Hearing{network, keys, audiences.prospects, 0.0}, i);
      if (heard > 0) ++heard_something;
      const double hazard = adoption_hazard(choice, customers.segment[i], heard, weights);
      const double probability = -std::expm1(-hazard * dt);
      const double draw = draws.uniform(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(substep));
      if (draw >= probability) {
        ++stays;
        continue;
      }
      ++joins;
      std::vector<double> firm_shares(weights);
      for (double& share : firm_shares) share /= hazard;
      expected[static_cast<std::size_t>(i)] = static_cast<std::int16_t>(pick(firm_shares, draw / probability));
    }
    for (const bool kept : {false, true}) {
      CustomerState decided = customers;
      std::vector<FirmTally> tallies(4);
      const Hearing hearing{network, keys, audiences.prospects, 0.0, kept ? heard_by(totals, NeighbourTotals::kProspects) : TotalsView{}};
      adopt_block(decided, {0, n}, dt, hearing, choice, 1, draws, substep, tallies);
      for (Eigen::Index i = 0; i < n; ++i) {
        const bool joined = customers.status[i] == customer_status::prospect && decided.status[i] == customer_status::active;
        REQUIRE(joined == (expected[static_cast<std::size_t>(i)] != kNoFirm));
        if (joined) REQUIRE(decided.firm[i] == expected[static_cast<std::size_t>(i)]);
      }
    }
  }
  CHECK(joins > 1000);  // every branch was reached many times
  CHECK(stays > 1000);
  CHECK(heard_something > 1000);
}

TEST_CASE("prospects are listed alike one at a time and sixteen at a time in lanes", "[adoption]") {
  // Each list holds, in the candidates' order, the candidates still prospects whose draw for it is below
  // their segment's ceiling: written out plainly here, and checked against both kernels on markets of
  // every size around the vector's sixteen (the last customers' columns are read in four bytes).
  boost::random::mt19937 engine(11);
  std::int64_t listed = 0, not_listed = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const std::int64_t n = std::array<std::int64_t, 6>{1, 15, 16, 17, 300, 5003}[static_cast<std::size_t>(trial % 6)];
    const std::size_t segments = trial % 2 == 0 ? 1 : 3;
    CustomerState customers(n);
    std::vector<std::uint32_t> candidates;
    for (Eigen::Index i = 0; i < n; ++i) {
      customers.status[i] = static_cast<std::uint8_t>(engine() % 4 == 0 ? engine() % 3 : customer_status::prospect);
      customers.segment[i] = static_cast<std::uint16_t>(engine() % segments);
      if (engine() % 5 != 0) candidates.push_back(static_cast<std::uint32_t>(i));
    }
    std::vector<double> ceilings;
    for (std::size_t s = 0; s < segments; ++s) {
      ceilings.push_back(std::array<double, 4>{0.0, 0.3 * uniform01(engine), 0.9, 1.2}[engine() % 4]);
    }
    const CustomerDraws draws({static_cast<std::uint64_t>(trial), 0, StreamPurpose::adoption, 3, 0, 0});
    const auto group = static_cast<std::uint32_t>(trial % 3);
    const unsigned used = 1U + static_cast<unsigned>(engine() % 15);

    std::array<std::vector<std::pair<std::uint32_t, std::uint32_t>>, 4> expected;
    for (const std::uint32_t i : candidates) {
      const Philox4x32::Counter words = draws.words(i, group);
      for (std::size_t k = 0; k < 4; ++k) {
        const bool below = CustomerDraws::to_uniform(words[k]) < ceilings[customers.segment[i]];
        const bool open = customers.status[i] == customer_status::prospect && ((used >> k) & 1U) != 0;
        if (open && below) expected[k].emplace_back(i, words[k]);
        (open && below ? listed : not_listed) += 1;
      }
    }
    for (const AdoptionKernel kernel : {AdoptionKernel::scalar, AdoptionKernel::fastest}) {
      ProspectDraws prospects;
      list_prospects(customers, candidates, draws, group, used, ceilings, prospects, kernel);
      for (std::size_t k = 0; k < 4; ++k) {
        const std::span<const Prospect> list = prospects.by_draw(k);
        REQUIRE(list.size() == expected[k].size());
        for (std::size_t e = 0; e < list.size(); ++e) {
          REQUIRE(list[e].customer == expected[k][e].first);
          REQUIRE(list[e].word == expected[k][e].second);
        }
      }
    }
  }
  CHECK(listed > 10000);
  CHECK(not_listed > 10000);
}
