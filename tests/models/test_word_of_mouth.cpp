#include <catch2/catch.hpp>

#include "models/word_of_mouth.hpp"
#include "sim/parameters.hpp"

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
  std::vector<float> to_prospects(3), to_customers(3);
  const auto heard = [&]() {
    voice_block(customers, {0, 3}, wom, to_prospects, to_customers);
    return neighbour_mean(network, to_prospects, 0, 0.0);
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
  const std::vector<float> values{1, 1, 0, 0};
  CHECK(neighbour_mean(complete, values, 3, 2.0) == Approx(0.5));
  const SocialNetwork isolated = network_from_edges(2, {});
  CHECK(neighbour_mean(isolated, values, 0, 2.0) == 0.0);  // no neighbours, no word of mouth
}
