#pragma once
// The validated scenario: one immutable description of a run, built from the parameter registry
// (sim/parameters.cpp), which alone holds every parameter's path, default, unit and range. The fields
// here carry no defaults on purpose: a Scenario comes only from default_scenario() or the loader.
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fulcrum {

// How neighbours' word of mouth is totalled. Both give the same results, bit for bit.
enum class WordOfMouthKernel : std::uint8_t {
  incremental,  // each customer's total kept up to date as its neighbours' voices change
  gather,       // every neighbour read again at every sub-step: the straightforward reference
};

struct SimulationSettings {
  std::int64_t quarters;    // horizon
  std::int64_t substeps;    // adoption sub-steps per quarter (time discretisation of the Bass hazard)
  std::int64_t replicates;  // independent replicates of the same scenario
  std::int64_t seed;        // root of every random stream
  WordOfMouthKernel kernel;
};

struct MarketParameters {
  std::int64_t population;        // N potential customers
  double choice_scale;            // logit scale of choices between firms, in value points
  double outside_option;          // utility of doing without (a churner may lapse instead of switching)
  double competitor_sensitivity;  // churn hazard grows with exp(this * surplus of the best rival offer)
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
  double trust_sensitivity;
  double switching_cost_sensitivity;  // lock-in: the hazard is multiplied by exp(-this * switching cost)
};

struct CustomerParameters {
  double spend_per_quarter;          // wallet: units bought per active customer per quarter
  double price_sensitivity;          // value points lost per 100% of price above the reference price
  double value_fit_sd;               // spread of how well the offer fits each customer's needs
  double expectation_to_promise;     // share of the promise gap closed by expectations each quarter
  double expectation_to_experience;  // share of the experience gap closed by expectations each quarter
  double satisfaction_baseline;      // satisfaction (0-10) when reality exactly meets expectation
  double satisfaction_gap_gain;      // satisfaction points per value point of (experience - expectation)
  double satisfaction_adaptation;    // share of the way satisfaction moves to its target each quarter
  double trust_initial;              // trust (0-1) of a new customer
  double trust_rate;                 // trust change per value point of positive surprise
  double trust_asymmetry;            // a negative surprise moves trust this many times more
  double reference_price_adaptation; // share of the gap to the price paid that the reference price closes
  double wallet_growth;              // log-change of spend per quarter per satisfaction point above baseline
  double wallet_floor;               // spend never falls below this multiple of spend_per_quarter
  double wallet_cap;                 // nor rises above this multiple
  double life_event_rate;            // probability per quarter of a life event (move, death, reorganisation)
  double life_event_churn_share;     // share of life events that end the relationship
  double switching_cost;             // value points a customer gives up by moving to a rival
};

struct FirmParameters {
  std::string name;
  double initial_active_share;  // share of the market that is this firm's customer at quarter 0
  double price;            // currency per unit
  double unit_cost;        // cost to serve, currency per unit
  double fixed_cost;       // currency per quarter
  double initial_cash;     // currency
  double value_delivered;  // value points (0-10 scale) a customer experiences
  double promise;          // value points the firm's communication promises
  double life_event_service_cost;  // currency per life event handled without churn
};

// The plan: what each department gets per quarter before management policy adjusts it (seeds 002, 004).
// Product and operations are non-customer-facing (value creators and limiters); marketing, sales,
// support and success are customer-facing (value communicators and deliverers).
struct DepartmentBudgets {
  double product_innovation;   // currency per quarter: raises value delivered
  double prevention;           // currency per quarter: removes issue root causes for good
  double operations;           // currency per quarter: keeps delivery reliable
  double marketing;            // currency per quarter: awareness (innovation p)
  double sales;                // currency per quarter: conversion (adoption hazard)
  double support_coverage;     // share of the expected tickets support is staffed for
  double success;              // currency per quarter: keeps customers (churn)
  double insights;             // currency per quarter: CX insights function
  double retention_incentive;  // currency per detractor per quarter: props up a weak product (a bad cost)
};

// How departments' spending turns into effects.
struct DepartmentEffects {
  double innovation_cost_per_point;   // currency per value point of product improvement
  double insights_innovation_boost;   // innovation multiplied by (1 + boost * insights usage)
  double obsolescence;                // value points lost per quarter as needs move on
  double prevention_cost_per_root_cause;
  double operations_value_limit;      // value points lost at a 100% operations shortfall
  double insights_scale;              // currency per quarter at which usage reaches 63% of its maximum
  double insights_max_usage;          // the most of what support learns that can reach product
  double marketing_elasticity;        // innovation p scales with (marketing / plan)^elasticity
  double sales_elasticity;            // adoption hazard scales with (sales / plan)^elasticity
  double success_elasticity;          // churn hazard scales with (success / plan)^-elasticity
  double retention_effect;            // churn hazard of an incentivised detractor is multiplied by 1 - effect
};

// Issues and their root causes (seed 004: recurring issues, Jenga management).
struct IssueParameters {
  double initial_root_causes;
  double root_causes_per_quarter;     // created by ongoing development whatever the budgets
  double rate_per_root_cause;         // issues per customer per quarter per root cause
  double cost_per_ticket;             // currency
  double unresolved_impact;           // value points an unresolved issue takes from experience
  double resolved_impact;             // value points a resolved issue still takes
  double recovery_trust;              // trust gained per well-resolved issue (service recovery)
  double jenga_root_causes;           // root causes added per quarter at a 100% cut of non-customer-facing budgets
  std::int64_t jenga_lag;             // quarters before a cut shows up as root causes
};

enum class PolicyKind : std::uint8_t { fixed_shares, growth_target, balanced_scorecard, cx_led };

// Management: how the plan becomes this quarter's budgets.
struct PolicyParameters {
  PolicyKind kind;
  double growth_target;        // growth-target: revenue growth per quarter aimed at
  double cut_rate;             // growth-target: share cut from what does not pay this quarter, per miss
  double cut_floor;            // growth-target: budgets never fall below this share of the plan
  double weight_customer;      // balanced scorecard weights (sum to 1)
  double weight_financial;
  double weight_internal;
  double weight_learning;
  double cx_boost;             // CX-led: prevention and insights get this multiple of the plan
};

struct FinanceParameters {
  double discount_rate;  // per quarter, for net present values
};

enum class NetworkKind : std::uint8_t {
  complete, erdos_renyi, watts_strogatz, barabasi_albert, stochastic_block, edge_list
};
enum class VertexOrder : std::uint8_t { reverse_cuthill_mckee, breadth_first, as_generated, random };

// The social graph word of mouth travels on (models/network.cpp).
struct NetworkParameters {
  NetworkKind kind;
  std::int64_t mean_degree;   // ER, WS (k), BA (2m), SBM
  double rewiring;            // WS: probability that a ring edge is rewired
  double within_block_share;  // SBM: share of a vertex's edges inside its own block (segment)
  std::int64_t seed;          // the graph's own seed: the same graph for every replicate
  std::string edge_list_file;
  VertexOrder order;
};

// Word of mouth: promoters and detractors (NPS convention) talk to their neighbours.
struct WordOfMouthParameters {
  double positive_reach;          // share of neighbours a promoter tells each quarter
  double positive_weight;         // effect of one positive message, in units of one adopter's exposure
  double negative_reach;          // share of neighbours a detractor tells each quarter
  double negative_weight;         // effect of one negative message
  double lapsed_voice;            // how much former customers' word counts against current ones'
  double satisfaction_influence;  // satisfaction points per unit of net word-of-mouth signal
};

enum class PricingKind : std::uint8_t { constant, stepped, subsidy };

// A firm's price over time (firm.price is the list price).
struct PricingParameters {
  PricingKind kind;
  std::int64_t step_quarter;       // stepped: the quarter the price changes
  double step_price;               // stepped: the new price
  double subsidy_price;            // subsidy: price while subsidising (may be below unit cost)
  std::int64_t subsidy_quarters;   // subsidy: longest duration
  double subsidy_share_target;     // subsidy: ends once market share reaches this (1: never)
  double post_subsidy_price;       // subsidy: price once the subsidy ends
  bool match_price_war;            // answer a cheaper rival by matching its price, never below unit cost
  double network_effect;           // value points added per unit of market share (0: none)
};

enum class InvestorKind : std::uint8_t { none, growth, short_termist, patient };

// The firm's investors: who funds losses, against what, for how long.
struct InvestorParameters {
  InvestorKind kind;
  double capital;              // currency available for funding rounds
  double round_size;           // currency per round
  double cash_floor;           // a round is raised when cash falls below this
  double growth_milestone;     // growth and short-termist: revenue growth per quarter expected
  std::int64_t patience;       // quarters of missed milestones before the tap is turned off
  double revenue_multiple;     // valuation: annualised revenue times this
};

// A one-off prevention programme: extra prevention spend for a few quarters (seed 004's annuity case).
struct PreventionProgramme {
  double budget;               // currency per quarter, on top of departments.prevention
  std::int64_t start_quarter;
  std::int64_t quarters;
};

// What-if programmes that act on customers directly, from a start quarter on.
struct InterventionParameters {
  std::int64_t start_quarter;
  double detractor_recovery;  // share of active customers moved from detractor to passive each quarter
  double passive_delight;     // share of active customers moved from passive to promoter each quarter
};

// A segment of the market as the scenario describes it (`[segments.<name>]`): its share of the
// population and the per-segment parameters (`customers.*`, `churn.*`) that differ from the market-wide
// ones, as (path, value) pairs already checked against the registry. resolve_segments() turns these into
// full parameter sets at set-up.
struct SegmentDefinition {
  std::string name;
  double share;
  std::vector<std::pair<std::string, std::variant<double, std::int64_t, bool, std::string>>> overrides;
};

// A competitor (`[competitors.<name>]`): a full firm whose firm-level parameters (firm.*, departments.*,
// effects.*, issues.*, policy.*, prevention_programme.*, pricing.*, investor.*) differ from firm 0's as
// listed; see firm_scenarios().
struct CompetitorDefinition {
  std::string name;
  std::vector<std::pair<std::string, std::variant<double, std::int64_t, bool, std::string>>> overrides;
};

// A segment with every parameter resolved: the market-wide values with the segment's overrides applied.
struct Segment {
  std::string name;
  double share;
  CustomerParameters customers;
  ChurnParameters churn;
};

// The segments' customer parameters side by side, by segment: a table the vector kernels gather from.
inline std::vector<CustomerParameters> customer_parameters_of(std::span<const Segment> segments) {
  std::vector<CustomerParameters> table;
  table.reserve(segments.size());
  for (const Segment& segment : segments) table.push_back(segment.customers);
  return table;
}

inline constexpr std::size_t kMaxSegments = 64;

struct Scenario {
  SimulationSettings simulation;
  MarketParameters market;
  AdoptionParameters adoption;
  ChurnParameters churn;
  CustomerParameters customers;
  FirmParameters firm;
  FinanceParameters finance;
  NetworkParameters network;
  WordOfMouthParameters word_of_mouth;
  InterventionParameters interventions;
  DepartmentBudgets departments;
  DepartmentEffects effects;
  IssueParameters issues;
  PolicyParameters policy;
  // Empty when the scenario names no segment: then one segment "all" has the market-wide parameters.
  std::vector<SegmentDefinition> segments;
  PreventionProgramme prevention_programme;
  PricingParameters pricing;
  InvestorParameters investor;
  std::vector<CompetitorDefinition> competitors;  // firms 1..K-1; firm 0 (the focal firm) is [firm]
  // The paired alternative ([counterfactual] table or --counterfactual): parameter path -> value, applied
  // on top of this scenario and run with the same random numbers. Empty: no counterfactual.
  std::vector<std::pair<std::string, std::variant<double, std::int64_t, bool, std::string>>> counterfactual;
};

}  // namespace fulcrum
