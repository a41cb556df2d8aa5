#include "sim/parameters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "sim/error.hpp"

namespace fulcrum {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Binds a registry entry to the Scenario field it fills, so the path is spelled once, here.
template <class Section, class Field>
void bind(ParameterSpec& spec, Section Scenario::*section, Field Section::*field) {
  spec.assign = [section, field](Scenario& scenario, const ParameterValue& value) {
    scenario.*section.*field = std::get<Field>(value);
  };
  spec.read = [section, field](const Scenario& scenario) -> ParameterValue {
    return scenario.*section.*field;
  };
}

template <class Section>
ParameterSpec real(std::string path, Section Scenario::*section, double Section::*field, double fallback,
                   std::string unit, double minimum, double maximum, std::string description,
                   bool minimum_exclusive = false) {
  ParameterSpec spec{.path = std::move(path), .type = ParameterType::real, .default_value = fallback,
                     .unit = std::move(unit), .minimum = minimum, .maximum = maximum,
                     .minimum_exclusive = minimum_exclusive, .description = std::move(description)};
  bind(spec, section, field);
  return spec;
}

template <class Section>
ParameterSpec integer(std::string path, Section Scenario::*section, std::int64_t Section::*field,
                      std::int64_t fallback, std::string unit, double minimum, double maximum,
                      std::string description) {
  ParameterSpec spec{.path = std::move(path), .type = ParameterType::integer, .default_value = fallback,
                     .unit = std::move(unit), .minimum = minimum, .maximum = maximum,
                     .description = std::move(description)};
  bind(spec, section, field);
  return spec;
}

template <class Section>
ParameterSpec boolean(std::string path, Section Scenario::*section, bool Section::*field, bool fallback,
                      std::string description) {
  ParameterSpec spec{.path = std::move(path), .type = ParameterType::boolean, .default_value = fallback,
                     .description = std::move(description)};
  bind(spec, section, field);
  return spec;
}

template <class Section>
ParameterSpec text(std::string path, Section Scenario::*section, std::string Section::*field,
                   std::string fallback, std::string description) {
  ParameterSpec spec{.path = std::move(path), .type = ParameterType::text, .default_value = std::move(fallback),
                     .description = std::move(description)};
  bind(spec, section, field);
  return spec;
}

// A choice among named options stored as an enum whose enumerators follow the order of `choices`.
template <class Section, class Enum>
ParameterSpec choice(std::string path, Section Scenario::*section, Enum Section::*field,
                     std::vector<std::string> choices, std::string fallback, std::string description) {
  ParameterSpec spec{.path = std::move(path), .type = ParameterType::choice, .default_value = std::move(fallback),
                     .choices = choices, .description = std::move(description)};
  spec.assign = [section, field, choices](Scenario& scenario, const ParameterValue& value) {
    const auto& name = std::get<std::string>(value);
    const auto index = std::find(choices.begin(), choices.end(), name) - choices.begin();
    scenario.*section.*field = static_cast<Enum>(index);
  };
  spec.read = [section, field, choices](const Scenario& scenario) -> ParameterValue {
    return choices.at(static_cast<std::size_t>(scenario.*section.*field));
  };
  return spec;
}

std::vector<ParameterSpec> build_registry() {
  using S = Scenario;
  std::vector<ParameterSpec> registry;
  auto add = [&registry](ParameterSpec spec) { registry.push_back(std::move(spec)); };

  // --- simulation: time and randomness
  add(integer("simulation.quarters", &S::simulation, &SimulationSettings::quarters, 40, "quarters", 1, 400,
              "Simulated horizon; quarter 0 is the initial state and is recorded too."));
  add(integer("simulation.substeps", &S::simulation, &SimulationSettings::substeps, 4, "per quarter", 1, 1024,
              "Adoption sub-steps per quarter: the adopted fraction that drives imitation is refreshed this "
              "often, so the discrete model approaches continuous-time Bass diffusion as it grows."));
  add(choice("simulation.kernel", &S::simulation, &SimulationSettings::kernel, {"incremental", "gather"}, "incremental",
             "How each customer's word of mouth is totalled: kept up to date as neighbours' voices change "
             "(incremental), or read from every neighbour at every sub-step (gather, the straightforward "
             "reference). Results are identical, bit for bit; incremental is faster on sparse networks."));
  add(integer("simulation.replicates", &S::simulation, &SimulationSettings::replicates, 1, "runs", 1, 100000,
              "Independent replicates of the scenario, each with its own random streams."));
  add(integer("simulation.seed", &S::simulation, &SimulationSettings::seed, 1, "", 0, 4.0e18,
              "Root seed: every random draw derives from (seed, replicate, purpose, quarter, customer or block "
              "of customers)."));

  // --- market
  add(integer("market.population", &S::market, &MarketParameters::population, 10000, "customers", 1, 1.0e8,
              "Potential customers N in the market; prospects + active + lapsed = N at every quarter."));
  add(real("market.choice_scale", &S::market, &MarketParameters::choice_scale, 1.0, "value points", 0.01, 100,
           "Logit scale of choices between firms: probabilities are proportional to exp(utility / scale)."));
  add(real("market.outside_option", &S::market, &MarketParameters::outside_option, 5.0, "value points", -100, 100,
           "Utility of doing without: a churner lapses rather than switch when no rival offers more."));
  add(real("market.competitor_sensitivity", &S::market, &MarketParameters::competitor_sensitivity, 0.3,
           "per value point", 0, 10,
           "The churn hazard grows by exp(sensitivity * surplus) when a rival's offer beats the customer's own firm's "
           "by `surplus` value points net of the switching cost."));

  // --- adoption (Bass 1969); defaults are the mean estimates over 213 applications in
  // Sultan, Farley & Lehmann (1990), J. Marketing Research 27(1): p = 0.03, q = 0.38.
  add(real("adoption.innovation", &S::adoption, &AdoptionParameters::innovation, 0.03, "per quarter", 0, 10,
           "Bass coefficient of innovation p: adoption hazard of a prospect independent of others."));
  add(real("adoption.imitation", &S::adoption, &AdoptionParameters::imitation, 0.38, "per quarter", 0, 10,
           "Bass coefficient of imitation q: adoption hazard added per unit of adopted fraction."));

  // --- churn; Beta(0.668, 3.806) is Fader & Hardie's (2007) fit to a regular-customer retention
  // series (J. Interactive Marketing 21(1), "How to project customer retention").
  add(choice("churn.propensity_distribution", &S::churn, &ChurnParameters::propensity_distribution,
             {"beta", "fixed"}, "beta",
             "How base churn propensities are spread over customers: Beta(alpha, beta) per customer, or the "
             "same fixed value for all."));
  add(real("churn.propensity_alpha", &S::churn, &ChurnParameters::propensity_alpha, 0.668, "", 0, 1.0e6,
           "Alpha of the Beta distribution of base churn propensity.", true));
  add(real("churn.propensity_beta", &S::churn, &ChurnParameters::propensity_beta, 3.806, "", 0, 1.0e6,
           "Beta of the Beta distribution of base churn propensity.", true));
  add(real("churn.fixed_propensity", &S::churn, &ChurnParameters::fixed_propensity, 0.05, "per quarter", 0, 1,
           "Base churn propensity of every customer when propensity_distribution = \"fixed\"."));
  add(real("churn.satisfaction_sensitivity", &S::churn, &ChurnParameters::satisfaction_sensitivity, 0.3,
           "per satisfaction point", 0, 5,
           "Churn hazard is theta * exp(satisfaction_sensitivity * (baseline - satisfaction) + "
           "trust_sensitivity * (initial trust - trust)), capped at 1."));
  add(real("churn.trust_sensitivity", &S::churn, &ChurnParameters::trust_sensitivity, 1.0, "per unit of trust", 0,
           20, "How much lost trust (0-1 scale) raises the churn hazard; see satisfaction_sensitivity."));
  add(real("churn.switching_cost_sensitivity", &S::churn, &ChurnParameters::switching_cost_sensitivity, 0.3,
           "per value point", 0, 10,
           "Lock-in: the churn hazard is multiplied by exp(-sensitivity * (customers.switching_cost + the network value "
           "the customer would lose))."));

  // --- customers
  add(real("customers.spend_per_quarter", &S::customers, &CustomerParameters::spend_per_quarter, 3.0,
           "units per quarter", 0, 1.0e4, "Units an active customer buys each quarter (the wallet)."));
  add(real("customers.price_sensitivity", &S::customers, &CustomerParameters::price_sensitivity, 2.0,
           "value points", 0, 100,
           "Experience lost per 100% of price above the customer's reference price (the price paid on "
           "joining)."));
  add(real("customers.value_fit_sd", &S::customers, &CustomerParameters::value_fit_sd, 1.5, "value points", 0, 10,
           "Standard deviation of each customer's fixed fit with the offer: a customer experiences value "
           "delivered plus its own fit, drawn once from Normal(0, sd). This spread makes promoters and detractors."));
  add(real("customers.expectation_to_promise", &S::customers, &CustomerParameters::expectation_to_promise, 0.2,
           "fraction per quarter", 0, 1, "Share of the gap to the firm's promise that expectations close each "
           "quarter."));
  add(real("customers.expectation_to_experience", &S::customers,
           &CustomerParameters::expectation_to_experience, 0.3, "fraction per quarter", 0, 1,
           "Share of the gap to the last experience that expectations close each quarter."));
  add(real("customers.satisfaction_baseline", &S::customers, &CustomerParameters::satisfaction_baseline, 7.5,
           "points (0-10)", 0, 10, "Satisfaction when reality exactly meets expectation; new customers "
           "start here."));
  add(real("customers.satisfaction_gap_gain", &S::customers, &CustomerParameters::satisfaction_gap_gain, 1.5,
           "points per value point", 0, 10,
           "Satisfaction target = baseline + gain * (experience - expectation), clamped to [0, 10]."));
  add(real("customers.satisfaction_adaptation", &S::customers, &CustomerParameters::satisfaction_adaptation,
           0.5, "fraction per quarter", 0, 1, "Share of the way satisfaction moves to its target each quarter."));
  add(real("customers.trust_initial", &S::customers, &CustomerParameters::trust_initial, 0.6, "0-1", 0, 1,
           "Trust of a new customer in the firm."));
  add(real("customers.trust_rate", &S::customers, &CustomerParameters::trust_rate, 0.05, "per value point", 0, 1,
           "Trust gained per value point by which experience beats expectation, each quarter."));
  // Loss aversion: losses weigh about 2.25 times equal gains (Tversky & Kahneman 1992).
  add(real("customers.trust_asymmetry", &S::customers, &CustomerParameters::trust_asymmetry, 2.25, "ratio", 0, 100,
           "A negative surprise costs this many times the trust an equal positive surprise earns."));
  add(real("customers.reference_price_adaptation", &S::customers, &CustomerParameters::reference_price_adaptation,
           0.25, "fraction per quarter", 0, 1,
           "Share of the gap to the price paid that the reference price closes each quarter: prices paid become "
           "the anchor, so a low introductory price makes a later increase hurt."));
  add(real("customers.wallet_growth", &S::customers, &CustomerParameters::wallet_growth, 0.02,
           "per satisfaction point per quarter", 0, 1,
           "Spend grows by exp(growth * (satisfaction - baseline)) each quarter: satisfied customers buy more."));
  add(real("customers.wallet_floor", &S::customers, &CustomerParameters::wallet_floor, 0.5, "multiple", 0, 1,
           "Spend never falls below this multiple of spend_per_quarter."));
  add(real("customers.wallet_cap", &S::customers, &CustomerParameters::wallet_cap, 2.0, "multiple", 1, 100,
           "Spend never rises above this multiple of spend_per_quarter."));
  add(real("customers.life_event_rate", &S::customers, &CustomerParameters::life_event_rate, 0.01,
           "probability per quarter", 0, 1,
           "Chance of a life event (a move, a death, a reorganisation): changes customers make, whatever "
           "their satisfaction (seed 002)."));
  add(real("customers.switching_cost", &S::customers, &CustomerParameters::switching_cost, 0.0, "value points", 0,
           100, "What moving to a rival costs a customer (contracts, data, habits): it lowers the rival's utility."));
  add(real("customers.life_event_churn_share", &S::customers, &CustomerParameters::life_event_churn_share, 0.5,
           "fraction", 0, 1, "Share of life events that end the relationship; the rest cost the firm a service."));

  // --- firm
  add(text("firm.name", &S::firm, &FirmParameters::name, "Focal", "Name shown in summaries and reports."));
  add(real("firm.initial_active_share", &S::firm, &FirmParameters::initial_active_share, 0.0, "fraction", 0, 1,
           "Probability that a potential customer is this firm's customer at quarter 0 (shares of all firms sum to "
           "at most 1)."));
  add(real("firm.price", &S::firm, &FirmParameters::price, 20.0, "currency per unit", 0, 1.0e6,
           "List price per unit."));
  add(real("firm.unit_cost", &S::firm, &FirmParameters::unit_cost, 8.0, "currency per unit", 0, 1.0e6,
           "Cost to serve one unit (deliver what you promised)."));
  add(real("firm.fixed_cost", &S::firm, &FirmParameters::fixed_cost, 10000.0, "currency per quarter", 0, 1.0e12,
           "Fixed operating cost per quarter."));
  add(real("firm.initial_cash", &S::firm, &FirmParameters::initial_cash, 1.0e6, "currency", -1.0e12, 1.0e12,
           "Cash at quarter 0."));
  add(real("firm.value_delivered", &S::firm, &FirmParameters::value_delivered, 7.0, "value points (0-10)", 0, 10,
           "Value a customer experiences from the product each quarter."));
  add(real("firm.promise", &S::firm, &FirmParameters::promise, 7.5, "value points (0-10)", 0, 10,
           "Value the firm's communication promises; expectations drift toward it."));
  add(real("firm.life_event_service_cost", &S::firm, &FirmParameters::life_event_service_cost, 15.0,
           "currency per event", 0, 1.0e6,
           "Cost of handling a life event that does not end the relationship (handle changes customers make)."));

  // --- finance; 2.4% a quarter is about 10% a year, a common weighted cost of capital.
  add(real("finance.discount_rate", &S::finance, &FinanceParameters::discount_rate, 0.024, "per quarter", 0, 1,
           "Discount rate for net present values (profit_npv): a quarter-t amount counts 1/(1+rate)^t."));

  // --- network
  add(choice("network.kind", &S::network, &NetworkParameters::kind,
             {"complete", "erdos_renyi", "watts_strogatz", "barabasi_albert", "stochastic_block", "edge_list"},
             "complete",
             "Social graph: complete (mean field: everyone hears everyone), Erdos-Renyi, Watts-Strogatz small "
             "world, Barabasi-Albert scale-free, stochastic block model (blocks = segments), or an edge list."));
  add(integer("network.mean_degree", &S::network, &NetworkParameters::mean_degree, 10, "neighbours", 1, 10000,
              "Mean number of neighbours (Watts-Strogatz: the even ring degree k, at least 2; Barabasi-Albert: 2m)."));
  add(real("network.rewiring", &S::network, &NetworkParameters::rewiring, 0.1, "probability", 0, 1,
           "Watts-Strogatz: probability that each ring edge is rewired to a uniform vertex."));
  add(real("network.within_block_share", &S::network, &NetworkParameters::within_block_share, 0.8, "fraction", 0,
           1, "Stochastic block model: share of a customer's edges inside its own segment."));
  add(integer("network.seed", &S::network, &NetworkParameters::seed, 1, "", 0, 4.0e18,
              "The graph's own seed: one graph serves every replicate, so replicates differ in behaviour only."));
  auto edge_list = text("network.edge_list_file", &S::network, &NetworkParameters::edge_list_file, "",
                        "Edge list for network.kind = \"edge_list\": one \"a b\" pair of 0-based customer ids per "
                        "line, '#' comments; relative to the scenario file that names it.");
  edge_list.is_file_path = true;
  add(std::move(edge_list));
  add(choice("network.order", &S::network, &NetworkParameters::order, {"rcm", "bfs", "none", "random"}, "none",
             "Vertex relabelling: reverse Cuthill-McKee, breadth-first, as generated, or random (no locality "
             "at all). With the incremental word-of-mouth kernel the order no longer changes the step's "
             "speed measurably (docs/performance.md), so the default skips the relabelling's set-up time."));

  // --- word of mouth; negative word of mouth weighs about three times positive (seed 004, citing an
  // LSE study): 0.6 * 1.5 = 3 * (0.3 * 1.0).
  add(real("word_of_mouth.positive_reach", &S::word_of_mouth, &WordOfMouthParameters::positive_reach, 0.3,
           "fraction per quarter", 0, 1, "Share of their neighbours a promoter (NPS 9-10) tells each quarter."));
  add(real("word_of_mouth.positive_weight", &S::word_of_mouth, &WordOfMouthParameters::positive_weight, 1.0,
           "exposures", 0, 100, "Effect of one positive message, in units of the plain exposure of one adopter."));
  add(real("word_of_mouth.negative_reach", &S::word_of_mouth, &WordOfMouthParameters::negative_reach, 0.6,
           "fraction per quarter", 0, 1, "Share of their neighbours a detractor (NPS 0-6) tells each quarter."));
  add(real("word_of_mouth.negative_weight", &S::word_of_mouth, &WordOfMouthParameters::negative_weight, 1.5,
           "exposures", 0, 100, "Effect of one negative message, in units of the plain exposure of one adopter."));
  add(real("word_of_mouth.lapsed_voice", &S::word_of_mouth, &WordOfMouthParameters::lapsed_voice, 1.0,
           "fraction", 0, 10, "Weight of a former customer's word relative to a current customer's."));
  add(real("word_of_mouth.satisfaction_influence", &S::word_of_mouth,
           &WordOfMouthParameters::satisfaction_influence, 1.0, "points per unit signal", 0, 10,
           "Shift of a customer's satisfaction target per unit of net word of mouth heard (promoters minus "
           "detractors, per neighbour)."));

  // --- interventions: what-if programmes on the NPS mix
  add(integer("interventions.start_quarter", &S::interventions, &InterventionParameters::start_quarter, 1,
              "quarter", 1, 400, "First quarter in which the programmes below act."));
  add(real("interventions.detractor_recovery", &S::interventions, &InterventionParameters::detractor_recovery, 0.0,
           "fraction of active customers per quarter", 0, 0.5,
           "Service recovery: each quarter this share of the active customers, chosen among detractors, is "
           "brought to satisfaction 6.5 (a passive, NPS 7)."));
  add(real("interventions.passive_delight", &S::interventions, &InterventionParameters::passive_delight, 0.0,
           "fraction of active customers per quarter", 0, 0.5,
           "Delight: each quarter this share of the active customers, chosen among passives, is brought to "
           "satisfaction 8.5 (a promoter, NPS 9)."));

  // --- departments: the plan (seed 004: customer-facing and non-customer-facing groups)
  add(real("departments.product_innovation", &S::departments, &DepartmentBudgets::product_innovation, 8000.0,
           "currency per quarter", 0, 1.0e12, "Product/engineering spend on needs-based innovation: raises value delivered."));
  add(real("departments.prevention", &S::departments, &DepartmentBudgets::prevention, 4000.0, "currency per quarter",
           0, 1.0e12, "Product/engineering spend on removing issue root causes for good, multiplied by insights usage."));
  add(real("departments.operations", &S::departments, &DepartmentBudgets::operations, 8000.0, "currency per quarter",
           0, 1.0e12, "Operations spend keeping delivery reliable; a shortfall against the plan limits value delivered."));
  add(real("departments.marketing", &S::departments, &DepartmentBudgets::marketing, 10000.0, "currency per quarter",
           0, 1.0e12, "Marketing spend on awareness: scales the innovation coefficient p."));
  add(real("departments.sales", &S::departments, &DepartmentBudgets::sales, 4000.0, "currency per quarter", 0,
           1.0e12, "Sales spend on conversion: scales the whole adoption hazard."));
  add(real("departments.support_coverage", &S::departments, &DepartmentBudgets::support_coverage, 0.9, "fraction", 0,
           2, "Support is staffed for this share of the quarter's expected tickets; what it cannot handle stays unresolved."));
  add(real("departments.success", &S::departments, &DepartmentBudgets::success, 4000.0, "currency per quarter", 0,
           1.0e12, "Customer success spend: lowers churn."));
  add(real("departments.insights", &S::departments, &DepartmentBudgets::insights, 2000.0, "currency per quarter", 0,
           1.0e12, "CX insights function: decides how much of what support learns reaches product (insights usage)."));
  add(real("departments.retention_incentive", &S::departments, &DepartmentBudgets::retention_incentive, 0.0,
           "currency per detractor per quarter", 0, 1.0e6,
           "Incentives paid to detractors to stay: props up a weak product; a bad cost (react to broken promises)."));

  // --- effects of spending
  add(real("effects.innovation_cost_per_point", &S::effects, &DepartmentEffects::innovation_cost_per_point, 1.0e6,
           "currency per value point", 1, 1.0e15, "Product innovation spend that raises value delivered by one point."));
  add(real("effects.insights_innovation_boost", &S::effects, &DepartmentEffects::insights_innovation_boost, 1.0, "",
           0, 10, "Innovation is multiplied by (1 + boost * insights usage): needs-based innovation is faster."));
  add(real("effects.obsolescence", &S::effects, &DepartmentEffects::obsolescence, 0.01, "value points per quarter",
           0, 1, "Value lost each quarter as customers' needs move on."));
  add(real("effects.prevention_cost_per_root_cause", &S::effects, &DepartmentEffects::prevention_cost_per_root_cause,
           5000.0, "currency", 1, 1.0e12, "Prevention spend (at full insights usage) that removes one root cause."));
  add(real("effects.operations_value_limit", &S::effects, &DepartmentEffects::operations_value_limit, 1.0,
           "value points", 0, 10, "Value customers lose at a 100% shortfall of operations against the plan."));
  add(real("effects.insights_scale", &S::effects, &DepartmentEffects::insights_scale, 2000.0, "currency per quarter",
           1, 1.0e12, "Insights usage = max_usage * (1 - exp(-insights budget / scale))."));
  add(real("effects.insights_max_usage", &S::effects, &DepartmentEffects::insights_max_usage, 0.9, "fraction", 0, 1,
           "The most of what support learns that can reach product."));
  add(real("effects.marketing_elasticity", &S::effects, &DepartmentEffects::marketing_elasticity, 0.5, "", 0, 5,
           "p scales with (marketing budget / plan)^elasticity."));
  add(real("effects.sales_elasticity", &S::effects, &DepartmentEffects::sales_elasticity, 0.3, "", 0, 5,
           "The adoption hazard scales with (sales budget / plan)^elasticity."));
  add(real("effects.success_elasticity", &S::effects, &DepartmentEffects::success_elasticity, 0.3, "", 0, 5,
           "The churn hazard scales with (success budget / plan)^-elasticity."));
  add(real("effects.retention_effect", &S::effects, &DepartmentEffects::retention_effect, 0.5, "fraction", 0, 1,
           "An incentivised detractor's churn hazard is multiplied by 1 - effect."));

  // --- issues and root causes
  add(real("issues.initial_root_causes", &S::issues, &IssueParameters::initial_root_causes, 20.0, "root causes", 0,
           1.0e6, "Issue root causes in the product and processes at quarter 0."));
  add(real("issues.root_causes_per_quarter", &S::issues, &IssueParameters::root_causes_per_quarter, 1.0,
           "root causes per quarter", 0, 1.0e6, "New root causes that ongoing development creates whatever the budgets."));
  add(real("issues.rate_per_root_cause", &S::issues, &IssueParameters::rate_per_root_cause, 0.004,
           "issues per customer per quarter", 0, 1, "Each root cause makes each active customer meet issues at this rate (Poisson)."));
  add(real("issues.cost_per_ticket", &S::issues, &IssueParameters::cost_per_ticket, 25.0, "currency", 0, 1.0e6,
           "Support cost of handling one ticket: the remedial cost of a broken promise."));
  add(real("issues.unresolved_impact", &S::issues, &IssueParameters::unresolved_impact, 1.5, "value points", 0, 10,
           "Experience lost to an issue support could not resolve."));
  add(real("issues.resolved_impact", &S::issues, &IssueParameters::resolved_impact, 0.3, "value points", 0, 10,
           "Experience still lost to an issue support resolved."));
  add(real("issues.recovery_trust", &S::issues, &IssueParameters::recovery_trust, 0.02, "trust per issue", 0, 1,
           "Trust gained from a well-resolved issue (service recovery)."));
  add(real("issues.jenga_root_causes", &S::issues, &IssueParameters::jenga_root_causes, 4.0, "root causes per quarter",
           0, 1.0e6, "Root causes thrown over the fence per quarter at a 100% cut of the non-customer-facing budgets "
           "(product innovation, prevention, operations) against the plan: Jenga management (seed 004)."));
  add(integer("issues.jenga_lag", &S::issues, &IssueParameters::jenga_lag, 2, "quarters", 0, 40,
              "Quarters before a cut shows up as new root causes."));

  // --- management policy
  add(choice("policy.kind", &S::policy, &PolicyParameters::kind,
             {"fixed_shares", "growth_target", "balanced_scorecard", "cx_led"}, "fixed_shares",
             "How management turns the plan into budgets: the plan as is; growth-target (cuts what does not pay this "
             "quarter when revenue growth misses the target); balanced scorecard (weights on the four perspectives); "
             "CX-led (prevention and insights first)."));
  add(real("policy.growth_target", &S::policy, &PolicyParameters::growth_target, 0.03, "per quarter", -1, 10,
           "Growth-target: revenue growth per quarter management aims at."));
  add(real("policy.cut_rate", &S::policy, &PolicyParameters::cut_rate, 0.25, "fraction per miss", 0, 1,
           "Growth-target: share cut from prevention, insights, operations, product innovation and success at each miss."));
  add(real("policy.cut_floor", &S::policy, &PolicyParameters::cut_floor, 0.2, "fraction of plan", 0, 1,
           "Growth-target: budgets never fall below this share of the plan."));
  add(real("policy.weight_customer", &S::policy, &PolicyParameters::weight_customer, 0.25, "weight", 0, 1,
           "Balanced scorecard (Kaplan & Norton 1992, seed 001): customer perspective (marketing, sales, support, success)."));
  add(real("policy.weight_financial", &S::policy, &PolicyParameters::weight_financial, 0.25, "weight", 0, 1,
           "Balanced scorecard: financial perspective; above 0.25 it trims every budget, below it loosens them."));
  add(real("policy.weight_internal", &S::policy, &PolicyParameters::weight_internal, 0.25, "weight", 0, 1,
           "Balanced scorecard: internal process perspective (operations, prevention)."));
  add(real("policy.weight_learning", &S::policy, &PolicyParameters::weight_learning, 0.25, "weight", 0, 1,
           "Balanced scorecard: innovation and learning perspective (product innovation, insights)."));
  add(real("policy.cx_boost", &S::policy, &PolicyParameters::cx_boost, 2.0, "multiple of plan", 1, 10,
           "CX-led: prevention and insights get this multiple of the plan; support is staffed for every ticket."));

  // --- a one-off prevention programme
  add(real("prevention_programme.budget", &S::prevention_programme, &PreventionProgramme::budget, 0.0,
           "currency per quarter", 0, 1.0e12, "Extra prevention spend per quarter while the programme runs."));
  add(integer("prevention_programme.start_quarter", &S::prevention_programme, &PreventionProgramme::start_quarter, 1,
              "quarter", 1, 400, "First quarter of the programme."));
  add(integer("prevention_programme.quarters", &S::prevention_programme, &PreventionProgramme::quarters, 4,
              "quarters", 0, 400, "How many quarters the programme runs."));

  // --- pricing
  add(choice("pricing.kind", &S::pricing, &PricingParameters::kind, {"constant", "stepped", "subsidy"}, "constant",
             "Price schedule: firm.price throughout; a step to step_price at step_quarter; or a subsidy below cost "
             "until its duration, its share target or the investors' funding ends, then post_subsidy_price."));
  add(integer("pricing.step_quarter", &S::pricing, &PricingParameters::step_quarter, 1, "quarter", 1, 400,
              "Stepped: the quarter the price changes."));
  add(real("pricing.step_price", &S::pricing, &PricingParameters::step_price, 20.0, "currency per unit", 0, 1.0e6,
           "Stepped: the price from step_quarter on."));
  add(real("pricing.subsidy_price", &S::pricing, &PricingParameters::subsidy_price, 10.0, "currency per unit", 0,
           1.0e6, "Subsidy: the price while subsidising, typically below firm.unit_cost (seed 003: Uber)."));
  add(integer("pricing.subsidy_quarters", &S::pricing, &PricingParameters::subsidy_quarters, 12, "quarters", 0, 400,
              "Subsidy: the longest it lasts."));
  add(real("pricing.subsidy_share_target", &S::pricing, &PricingParameters::subsidy_share_target, 1.0, "fraction", 0,
           1, "Subsidy: it ends once the firm's market share reaches this (1: never)."));
  add(real("pricing.post_subsidy_price", &S::pricing, &PricingParameters::post_subsidy_price, 24.0,
           "currency per unit", 0, 1.0e6, "Subsidy: the price once the subsidy ends."));
  add(boolean("pricing.match_price_war", &S::pricing, &PricingParameters::match_price_war, false,
              "Answer a cheaper rival by matching its price, never below unit cost."));
  add(real("pricing.network_effect", &S::pricing, &PricingParameters::network_effect, 0.0,
           "value points per unit of share", 0, 20,
           "Network effect: value customers get rises by this times the firm's market share (0: none)."));

  // --- investors
  add(choice("investor.kind", &S::investor, &InvestorParameters::kind, {"none", "growth", "short_termist", "patient"},
             "none",
             "Who funds losses: nobody; growth investors (rounds against revenue-growth milestones); public-market "
             "short-termists (quarterly growth target; misses push management to cut costs); patient investors "
             "(judge customer equity)."));
  add(real("investor.capital", &S::investor, &InvestorParameters::capital, 0.0, "currency", 0, 1.0e15,
           "Capital the investors can put in over the whole run."));
  add(real("investor.round_size", &S::investor, &InvestorParameters::round_size, 1.0e6, "currency", 0, 1.0e15,
           "Size of one funding round."));
  add(real("investor.cash_floor", &S::investor, &InvestorParameters::cash_floor, 100000.0, "currency", -1.0e15,
           1.0e15, "A round is raised when cash falls below this, while the investors keep faith."));
  add(real("investor.growth_milestone", &S::investor, &InvestorParameters::growth_milestone, 0.05, "per quarter", -1,
           10, "Growth and short-termist investors expect at least this revenue growth per quarter."));
  add(integer("investor.patience", &S::investor, &InvestorParameters::patience, 4, "quarters", 0, 400,
              "Missed milestones (quarters) the investors tolerate before turning the tap off."));
  add(real("investor.revenue_multiple", &S::investor, &InvestorParameters::revenue_multiple, 3.0, "times", 0, 1000,
           "Valuation by revenue multiple: annualised revenue times this."));

  // Customers and churn can differ by segment: these two tables may be set under segments.<name>.
  // Firm-level tables can differ by competitor: competitors.<name>.<path>.
  constexpr std::string_view kFirmTables[] = {"firm.",   "departments.", "effects.", "issues.",
                                              "policy.", "prevention_programme.", "pricing.", "investor."};
  for (auto& spec : registry) {
    spec.per_segment = spec.path.starts_with("customers.") || spec.path.starts_with("churn.");
    spec.per_firm = std::any_of(std::begin(kFirmTables), std::end(kFirmTables),
                                [&](std::string_view table) { return spec.path.starts_with(table); });
  }
  return registry;
}


std::string format_number(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text = fmt::format("{}", value);
  // TOML needs a decimal point or exponent to read a float back as a float.
  if (text.find_first_of(".eE") == std::string::npos && text.find("nan") == std::string::npos) text += ".0";
  return text;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string_view type_name(ParameterType type) {
  switch (type) {
    case ParameterType::real: return "real";
    case ParameterType::integer: return "integer";
    case ParameterType::boolean: return "boolean";
    case ParameterType::choice: return "choice";
    case ParameterType::text: return "text";
  }
  return "?";
}

std::string ParameterSpec::allowed_range() const {
  if (type == ParameterType::choice) {
    std::string joined;
    for (const auto& option : choices) joined += (joined.empty() ? "" : " | ") + option;
    return joined;
  }
  if (!minimum && !maximum) return "";
  const auto bound = [this](const std::optional<double>& value, double infinite) {
    const double shown = value.value_or(infinite);
    return type == ParameterType::integer && std::isfinite(shown) ? fmt::format("{}", std::int64_t(shown))
                                                                   : format_number(shown);
  };
  return fmt::format("{}{}, {}]", minimum_exclusive ? "(" : "[", bound(minimum, -kInfinity),
                     bound(maximum, kInfinity));
}

std::string ParameterSpec::check(const ParameterValue& value) const {
  double number = 0;
  if (type == ParameterType::real) number = std::get<double>(value);
  else if (type == ParameterType::integer) number = static_cast<double>(std::get<std::int64_t>(value));
  else if (type == ParameterType::choice) {
    const auto& name = std::get<std::string>(value);
    if (std::find(choices.begin(), choices.end(), name) != choices.end()) return "";
    return fmt::format("\"{}\" is not one of the allowed choices: {}", name, allowed_range());
  } else {
    return "";
  }
  if (!std::isfinite(number)) return fmt::format("{} is not a finite number", format_value(value));
  const bool below = minimum && (minimum_exclusive ? number <= *minimum : number < *minimum);
  const bool above = maximum && number > *maximum;
  if (below || above) {
    return fmt::format("{} is outside the allowed range {}{}", format_value(value), allowed_range(),
                       unit.empty() ? "" : fmt::format(" ({})", unit));
  }
  return "";
}

const std::vector<ParameterSpec>& parameter_registry() {
  static const std::vector<ParameterSpec> registry = build_registry();
  return registry;
}

const ParameterSpec* find_parameter(std::string_view path) {
  for (const auto& spec : parameter_registry()) {
    if (spec.path == path) return &spec;
  }
  return nullptr;
}

std::string closest_parameter(std::string_view path) {
  // Inside a segment or a competitor, the candidates are what such a member may set.
  const bool in_segment = path.starts_with("segments.");
  const bool in_competitor = path.starts_with("competitors.");
  std::string member_prefix;
  if (in_segment || in_competitor) {
    const auto dot = path.find('.', in_segment ? 9 : 12);
    member_prefix = std::string(path.substr(0, dot == std::string_view::npos ? path.size() : dot)) + ".";
  }
  std::vector<std::string> candidates;
  if (in_segment) candidates.push_back(member_prefix + "share");
  for (const auto& spec : parameter_registry()) {
    if (member_prefix.empty()) candidates.push_back(spec.path);
    else if (in_segment ? spec.per_segment : spec.per_firm) candidates.push_back(member_prefix + spec.path);
  }
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(path, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

bool is_parameter_table(std::string_view prefix) {
  const std::string with_dot = std::string(prefix) + ".";
  return std::any_of(parameter_registry().begin(), parameter_registry().end(),
                     [&](const ParameterSpec& spec) { return spec.path.starts_with(with_dot); });
}

const ParameterSpec& segment_share_parameter() {
  static const ParameterSpec share{.path = "segments.<name>.share",
                                   .type = ParameterType::real,
                                   .default_value = 1.0,
                                   .unit = "fraction",
                                   .minimum = 0.0,
                                   .maximum = 1.0,
                                   .minimum_exclusive = true,
                                   .description = "Share of the population in the segment; required for every "
                                                  "segment, and the shares must sum to 1. Any customers.* or "
                                                  "churn.* parameter can be set per segment as "
                                                  "segments.<name>.customers.<key> or segments.<name>.churn.<key>."};
  return share;
}

std::vector<Scenario> firm_scenarios(const Scenario& scenario) {
  std::vector<Scenario> firms{scenario};
  for (const CompetitorDefinition& competitor : scenario.competitors) {
    Scenario firm = scenario;
    firm.firm.name = competitor.name;  // unless the competitor names itself
    for (const auto& [path, value] : competitor.overrides) find_parameter(path)->assign(firm, value);
    firms.push_back(std::move(firm));
  }
  return firms;
}

Scenario counterfactual_of(const Scenario& scenario) {
  Scenario alternative = scenario;
  for (const auto& [path, value] : scenario.counterfactual) find_parameter(path)->assign(alternative, value);
  alternative.counterfactual.clear();
  return alternative;
}

std::vector<Segment> resolve_segments(const Scenario& scenario) {
  if (scenario.segments.empty()) return {Segment{"all", 1.0, scenario.customers, scenario.churn}};
  std::vector<Segment> segments;
  for (const SegmentDefinition& definition : scenario.segments) {
    Scenario scratch = scenario;  // the market-wide values, then the segment's own
    for (const auto& [path, value] : definition.overrides) find_parameter(path)->assign(scratch, value);
    segments.push_back({definition.name, definition.share, scratch.customers, scratch.churn});
  }
  return segments;
}

Scenario default_scenario() {
  Scenario scenario{};
  for (const auto& spec : parameter_registry()) spec.assign(scenario, spec.default_value);
  return scenario;
}

std::string format_value(const ParameterValue& value) {
  return std::visit(
      [](const auto& held) -> std::string {
        using T = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<T, double>) return format_number(held);
        else if constexpr (std::is_same_v<T, std::int64_t>) return fmt::format("{}", held);
        else if constexpr (std::is_same_v<T, bool>) return held ? "true" : "false";
        else return quoted(held);
      },
      value);
}

std::string scenario_as_toml(const Scenario& scenario) {
  std::string out = "# Resolved scenario: every parameter, after extends, overrides and defaults.\n";
  std::string current_table;
  for (const auto& spec : parameter_registry()) {
    const auto dot = spec.path.rfind('.');
    const std::string table = spec.path.substr(0, dot);
    if (table != current_table) {
      out += fmt::format("\n[{}]\n", table);
      current_table = table;
    }
    out += fmt::format("{} = {}\n", spec.path.substr(dot + 1), format_value(spec.read(scenario)));
  }
  for (const SegmentDefinition& segment : scenario.segments) {
    out += fmt::format("\n[segments.{}]\nshare = {}\n", segment.name, format_value(segment.share));
    for (const auto& [path, value] : segment.overrides) out += fmt::format("{} = {}\n", path, format_value(value));
  }
  for (const CompetitorDefinition& competitor : scenario.competitors) {
    out += fmt::format("\n[competitors.{}]\n", competitor.name);
    for (const auto& [path, value] : competitor.overrides) out += fmt::format("{} = {}\n", path, format_value(value));
  }
  if (!scenario.counterfactual.empty()) out += "\n[counterfactual]\n";
  for (const auto& [path, value] : scenario.counterfactual) out += fmt::format("{} = {}\n", path, format_value(value));
  return out;
}

std::string scenario_as_json(const Scenario& scenario) {
  std::string out = "{";
  for (const auto& spec : parameter_registry()) {
    if (out.size() > 1) out += ", ";
    ParameterValue value = spec.read(scenario);
    std::string shown = format_value(value);
    if (const auto* number = std::get_if<double>(&value); number && !std::isfinite(*number)) shown = "null";
    out += fmt::format("{}: {}", quoted(spec.path), shown);
  }
  for (const SegmentDefinition& segment : scenario.segments) {
    out += fmt::format(", {}: {}", quoted("segments." + segment.name + ".share"), format_value(segment.share));
    for (const auto& [path, value] : segment.overrides) {
      out += fmt::format(", {}: {}", quoted("segments." + segment.name + "." + path), format_value(value));
    }
  }
  for (const CompetitorDefinition& competitor : scenario.competitors) {
    for (const auto& [path, value] : competitor.overrides) {
      out += fmt::format(", {}: {}", quoted("competitors." + competitor.name + "." + path), format_value(value));
    }
  }
  for (const auto& [path, value] : scenario.counterfactual) {
    out += fmt::format(", {}: {}", quoted("counterfactual." + path), format_value(value));
  }
  return out + "}";
}

void check_consistency(const Scenario& scenario, const std::string& source) {
  for (const Segment& segment : resolve_segments(scenario)) {
    const auto& customers = segment.customers;
    const std::string prefix = scenario.segments.empty() ? "" : "segments." + segment.name + ".";
    if (customers.expectation_to_promise + customers.expectation_to_experience > 1.0) {
      throw InputError({source}, prefix + "customers.expectation_to_promise + " + prefix + "customers.expectation_to_experience",
                       fmt::format("the two drift rates sum to {} but must not exceed 1 (fraction per quarter), "
                                   "or expectations would overshoot",
                                   format_number(customers.expectation_to_promise +
                                                 customers.expectation_to_experience)));
    }
  }
  const PolicyParameters& policy = scenario.policy;
  const double weights = policy.weight_customer + policy.weight_financial + policy.weight_internal + policy.weight_learning;
  if (std::fabs(weights - 1.0) > 1e-9) {
    throw InputError({source}, "policy.weight_*",
                     fmt::format("the balanced-scorecard weights must sum to 1, but customer {} + financial {} + "
                                 "internal {} + learning {} = {}",
                                 format_number(policy.weight_customer), format_number(policy.weight_financial),
                                 format_number(policy.weight_internal), format_number(policy.weight_learning),
                                 format_number(weights)));
  }
  double initial_shares = 0;
  for (const Scenario& firm : firm_scenarios(scenario)) initial_shares += firm.firm.initial_active_share;
  if (initial_shares > 1.0 + 1e-12) {
    throw InputError({source}, "firm.initial_active_share",
                     fmt::format("the firms' initial shares of the market sum to {}, more than the whole market",
                                 format_number(initial_shares)));
  }
  if (scenario.network.kind == NetworkKind::watts_strogatz && scenario.network.mean_degree < 2) {
    throw InputError({source}, "network.mean_degree",
                     fmt::format("a Watts-Strogatz ring links each customer to mean_degree / 2 neighbours on each "
                                 "side, so it needs at least 2, not {}",
                                 scenario.network.mean_degree));
  }
  if (scenario.competitors.size() + 1 > 1000) {
    throw InputError({source}, "competitors", "at most 999 competitors are allowed");
  }
  if (scenario.segments.empty()) return;
  if (scenario.segments.size() > kMaxSegments) {
    throw InputError({source}, "segments", fmt::format("{} segments, but at most {} are allowed",
                                                       scenario.segments.size(), kMaxSegments));
  }
  double total = 0;
  std::string listed;
  for (const SegmentDefinition& segment : scenario.segments) {
    total += segment.share;
    listed += fmt::format("{}{} = {}", listed.empty() ? "" : ", ", segment.name, format_number(segment.share));
  }
  if (std::fabs(total - 1.0) > 1e-9) {
    throw InputError({source}, "segments.*.share",
                     fmt::format("segment shares must sum to 1, but {} sum to {}", listed, format_number(total)));
  }
}

}  // namespace fulcrum
