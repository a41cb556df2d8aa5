#include <catch2/catch.hpp>
#include <set>

#include "sim/error.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

TEST_CASE("every registered parameter has a unique path, a description and an allowed default", "[parameters]") {
  std::set<std::string> paths;
  for (const ParameterSpec& spec : parameter_registry()) {
    INFO(spec.path);
    CHECK(paths.insert(spec.path).second);
    CHECK(spec.path.find('.') != std::string::npos);
    CHECK_FALSE(spec.description.empty());
    CHECK(spec.check(spec.default_value).empty());
    CHECK(spec.assign);
    CHECK(spec.read);
  }
}

TEST_CASE("the default scenario holds every registered default", "[parameters]") {
  const Scenario scenario = default_scenario();
  for (const ParameterSpec& spec : parameter_registry()) {
    INFO(spec.path);
    CHECK(format_value(spec.read(scenario)) == format_value(spec.default_value));
  }
  CHECK_NOTHROW(check_consistency(scenario, "defaults"));
}

TEST_CASE("range checks name the value, the range and the unit", "[parameters]") {
  const ParameterSpec* share = find_parameter("firm.initial_active_share");
  REQUIRE(share != nullptr);
  CHECK(share->check(ParameterValue{0.5}).empty());
  CHECK(share->check(ParameterValue{1.0}).empty());
  const std::string problem = share->check(ParameterValue{1.5});
  CHECK_THAT(problem, Catch::Contains("1.5") && Catch::Contains("[0.0, 1.0]") && Catch::Contains("fraction"));

  const ParameterSpec* alpha = find_parameter("churn.propensity_alpha");
  REQUIRE(alpha != nullptr);
  CHECK_FALSE(alpha->check(ParameterValue{0.0}).empty());  // exclusive lower bound
  CHECK(alpha->check(ParameterValue{1e-9}).empty());

  const ParameterSpec* distribution = find_parameter("churn.propensity_distribution");
  REQUIRE(distribution != nullptr);
  CHECK(distribution->check(ParameterValue{std::string("fixed")}).empty());
  CHECK_THAT(distribution->check(ParameterValue{std::string("gamma")}), Catch::Contains("beta | fixed"));
}

TEST_CASE("closest_parameter suggests the nearest registered path", "[parameters]") {
  CHECK(closest_parameter("firm.prise") == "firm.price");
  CHECK(closest_parameter("adoption.imitaton") == "adoption.imitation");
  CHECK(closest_parameter("market.populaton") == "market.population");
}

TEST_CASE("parameter tables are recognised by prefix", "[parameters]") {
  CHECK(is_parameter_table("firm"));
  CHECK(is_parameter_table("churn"));
  CHECK_FALSE(is_parameter_table("fir"));
  CHECK_FALSE(is_parameter_table("firm.price"));
}

TEST_CASE("cross-parameter rules reject expectations that would overshoot", "[parameters]") {
  Scenario scenario = default_scenario();
  scenario.customers.expectation_to_promise = 0.7;
  scenario.customers.expectation_to_experience = 0.6;
  CHECK_THROWS_AS(check_consistency(scenario, "x.toml"), InputError);
}
