#pragma once
// The validated scenario: one immutable description of a run, built from the parameter registry
// (sim/parameters.cpp), which alone holds every parameter's path, default, unit and range. The fields
// here carry no defaults on purpose: a Scenario comes only from default_scenario() or the loader.
#include <cstdint>
#include <string>

namespace fulcrum {

struct SimulationSettings {
  std::int64_t quarters;    // horizon
  std::int64_t substeps;    // adoption sub-steps per quarter (time discretisation of the Bass hazard)
  std::int64_t replicates;  // independent replicates of the same scenario
  std::int64_t seed;        // root of every random stream
};

struct MarketParameters {
  std::int64_t population;      // N potential customers
  double initial_active_share;  // share of N already customers of the firm at quarter 0
};

// Bass (1969) diffusion: a prospect's adoption hazard per quarter is p + q * adopted fraction.
struct AdoptionParameters {
  double innovation;  // p
  double imitation;   // q
};

enum class PropensityDistribution : std::uint8_t { beta, fixed };

// Heterogeneous churn (Fader & Hardie's shifted-beta-geometric): each customer's base churn
// propensity theta is drawn once from Beta(alpha, beta), then scaled by satisfaction.
struct ChurnParameters {
  PropensityDistribution propensity_distribution;
  double propensity_alpha;
  double propensity_beta;
  double fixed_propensity;
  double satisfaction_sensitivity;
};

struct CustomerParameters {
  double spend_per_quarter;          // wallet: units bought per active customer per quarter
  double price_sensitivity;          // value points lost per 100% of price above the reference price
  double expectation_to_promise;     // share of the promise gap closed by expectations each quarter
  double expectation_to_experience;  // share of the experience gap closed by expectations each quarter
  double satisfaction_baseline;      // satisfaction (0-10) when reality exactly meets expectation
  double satisfaction_gap_gain;      // satisfaction points per value point of (experience - expectation)
  double satisfaction_adaptation;    // share of the way satisfaction moves to its target each quarter
};

struct FirmParameters {
  std::string name;
  double price;            // currency per unit
  double unit_cost;        // cost to serve, currency per unit
  double fixed_cost;       // currency per quarter
  double initial_cash;     // currency
  double value_delivered;  // value points (0-10 scale) a customer experiences
  double promise;          // value points the firm's communication promises
};

struct FinanceParameters {
  double discount_rate;  // per quarter, for net present values
};

struct Scenario {
  SimulationSettings simulation;
  MarketParameters market;
  AdoptionParameters adoption;
  ChurnParameters churn;
  CustomerParameters customers;
  FirmParameters firm;
  FinanceParameters finance;
};

}  // namespace fulcrum
