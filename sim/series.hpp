#pragma once
// The results schema: every recorded series, declared once with its unit and meaning. The recorder,
// the HDF5 writer, the text summary and the docs all read these tables.
#include <array>
#include <string_view>

namespace fulcrum {

inline constexpr int kSchemaVersion = 1;

struct SeriesSpec {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
};

// Per firm: /series/<name>, shaped [point, replicate, quarter, firm].
#define FULCRUM_FIRM_SERIES(X)                                                                               \
  X(customers_active, "customers", "Active customers of the firm at the end of the quarter")                 \
  X(acquired, "customers per quarter", "Prospects who became customers of the firm during the quarter")      \
  X(churned, "customers per quarter", "Customers of the firm who lapsed during the quarter, for any reason")  \
  X(churned_by_life_event, "customers per quarter", "Customers lost to life events, whatever their satisfaction") \
  X(life_events, "events per quarter", "Life events of active customers (moves, deaths, reorganisations)")   \
  X(units_sold, "units per quarter", "Units bought by the firm's active customers")                          \
  X(revenue, "currency per quarter", "Units sold times price")                                               \
  X(costs_total, "currency per quarter", "All costs of the quarter: cost to serve plus fixed cost")          \
  X(profit, "currency per quarter", "Revenue minus costs_total")                                             \
  X(cash, "currency", "Cash at the end of the quarter")                                                      \
  X(profit_npv, "currency", "Profit from quarter 1 to this quarter, discounted at finance.discount_rate")   \
  X(penetration, "fraction", "Active customers of the firm over the market population")                     \
  X(satisfaction_mean, "points (0-10)", "Mean satisfaction of active customers; NaN when there are none")   \
  X(expectation_mean, "value points (0-10)", "Mean expectation of active customers; NaN when there are none") \
  X(trust_mean, "0-1", "Mean trust of active customers; NaN when there are none")                           \
  X(reference_price_mean, "currency per unit", "Mean reference price of active customers; NaN when none")   \
  X(promoters, "customers", "Active customers who would answer 9-10 (satisfaction rounded)")                \
  X(passives, "customers", "Active customers who would answer 7-8")                                         \
  X(detractors, "customers", "Active customers who would answer 0-6")                                       \
  X(nps, "points (-100 to 100)", "Net promoter score: 100 * (promoters - detractors) / active customers")      \
  X(cost_deliver, "currency per quarter", "Costs of delivering what was promised (seed 002): serving, fixed, departments") \
  X(cost_react, "currency per quarter", "Costs of reacting to promises broken: support and retention incentives") \
  X(cost_changes, "currency per quarter", "Costs of handling changes customers make: life events")               \
  X(cost_good, "currency per quarter", "Good costs: delivering promises and serving customers' changes")         \
  X(cost_bad, "currency per quarter", "Bad costs: reacting to broken promises")                                   \
  X(remedial_cost, "currency per quarter", "Support staffed for the quarter's tickets: the remedial cost of issues") \
  X(retention_incentive_cost, "currency per quarter", "Incentives paid to detractors to stay (a bad cost)")       \
  X(prevention_spend, "currency per quarter", "Product spend on removing root causes")                           \
  X(tickets_raised, "tickets per quarter", "Issues customers met (each raises a ticket)")                        \
  X(tickets_resolved, "tickets per quarter", "Tickets support resolved")                                          \
  X(root_causes, "root causes", "Issue root causes at the end of the quarter's planning")                         \
  X(root_causes_removed, "root causes per quarter", "Root causes prevention removed for good")                    \
  X(root_causes_added, "root causes per quarter", "New root causes: ongoing development plus Jenga management")   \
  X(insights_usage, "fraction", "Share of what support learns that reaches product")                             \
  X(value_delivered, "value points (0-10)", "Value customers get: product value less any operations limit")       \
  X(promise, "value points (0-10)", "Value the firm's communication promises")                                    \
  X(budget_product_innovation, "currency per quarter", "Product innovation budget after management policy")     \
  X(budget_prevention, "currency per quarter", "Prevention budget after management policy")                      \
  X(budget_operations, "currency per quarter", "Operations budget after management policy")                      \
  X(budget_marketing, "currency per quarter", "Marketing budget after management policy")                        \
  X(budget_sales, "currency per quarter", "Sales budget after management policy")                                \
  X(budget_success, "currency per quarter", "Customer success budget after management policy")                   \
  X(budget_insights, "currency per quarter", "CX insights budget after management policy")                       \
  X(support_capacity, "tickets per quarter", "Tickets support was staffed for")                                   \
  X(cx_annuity, "currency per quarter", "Remedial cost that root causes removed earlier would have caused this quarter") \
  X(cx_annuity_cumulative, "currency", "CX annuity summed since quarter 1")                                       \
  X(cx_annuity_npv, "currency", "CX annuity discounted to quarter 0 at finance.discount_rate")                    \
  X(prevention_spend_cumulative, "currency", "Prevention spend summed since quarter 1")                          \
  X(scorecard_customer, "0-1", "Balanced scorecard, customer perspective: (NPS + 100) / 200")                     \
  X(scorecard_financial, "fraction", "Balanced scorecard, financial perspective: profit / revenue")               \
  X(scorecard_internal, "0-1", "Balanced scorecard, internal process: tickets resolved / tickets raised")         \
  X(scorecard_learning, "0-1", "Balanced scorecard, innovation and learning: insights usage")                \
  X(price, "currency per unit", "Price charged this quarter")                                                   \
  X(market_share, "fraction", "The firm's active customers over all firms' active customers")                   \
  X(switched_in, "customers per quarter", "Rivals' churners who joined the firm")                               \
  X(switched_out, "customers per quarter", "The firm's churners who moved to a rival (counted in churned)")     \
  X(funding, "currency per quarter", "Capital the investors put in this quarter")                               \
  X(capital_raised, "currency", "Capital raised since quarter 0")                                                \
  X(investor_confidence, "0-1", "The investors' confidence: rises with met milestones, falls with misses")      \
  X(funding_active, "0 or 1", "1 while the investors keep funding")                                              \
  X(customer_equity, "currency", "Sum of the active customers' expected lifetime values")                       \
  X(valuation_revenue_multiple, "currency", "Valuation: annualised revenue times investor.revenue_multiple")    \
  X(bankrupt, "0 or 1", "1 once the firm has run out of cash with no funding")

// Per market: /market/<name>, shaped [point, replicate, quarter].
#define FULCRUM_MARKET_SERIES(X)                                                     \
  X(prospects, "customers", "Potential customers who have never been a customer")    \
  X(lapsed, "customers", "Former customers who are no firm's customer now")

#define FULCRUM_SERIES_ENUMERATOR(name, unit, description) name,
#define FULCRUM_SERIES_SPEC(name, unit, description) SeriesSpec{#name, unit, description},

enum class FirmSeries : int { FULCRUM_FIRM_SERIES(FULCRUM_SERIES_ENUMERATOR) };
enum class MarketSeries : int { FULCRUM_MARKET_SERIES(FULCRUM_SERIES_ENUMERATOR) };

inline constexpr std::array kFirmSeries{FULCRUM_FIRM_SERIES(FULCRUM_SERIES_SPEC)};
inline constexpr std::array kMarketSeries{FULCRUM_MARKET_SERIES(FULCRUM_SERIES_SPEC)};

// Per firm and segment: /series_by_segment/<name>, shaped [point, replicate, quarter, firm, segment].
// The firm series that can be split by segment; name, unit and description are the firm series'.
inline constexpr std::array kSegmentSeries{
    FirmSeries::customers_active, FirmSeries::acquired,  FirmSeries::churned,  FirmSeries::units_sold,
    FirmSeries::revenue,          FirmSeries::satisfaction_mean, FirmSeries::trust_mean, FirmSeries::promoters,
    FirmSeries::passives,         FirmSeries::detractors, FirmSeries::nps};

// /distributions/satisfaction_deciles, shaped [point, replicate, quarter, firm, decile].
inline constexpr SeriesSpec kSatisfactionDeciles{
    "satisfaction_deciles", "points (0-10)",
    "Satisfaction of the firm's active customers at the 10%, 20%, ..., 90% quantiles; NaN when there are none"};

// /cohorts/active, shaped [point, replicate, firm, cohort, quarter].
inline constexpr SeriesSpec kCohortsActive{
    "active", "customers",
    "Customers acquired in quarter `cohort` (0: customers at the start) still active at quarter `quarter`"};

#undef FULCRUM_SERIES_ENUMERATOR
#undef FULCRUM_SERIES_SPEC

}  // namespace fulcrum
