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
  X(nps, "points (-100 to 100)", "Net promoter score: 100 * (promoters - detractors) / active customers")

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
