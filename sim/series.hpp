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
  X(churned, "customers per quarter", "Customers of the firm who lapsed during the quarter")                 \
  X(units_sold, "units per quarter", "Units bought by the firm's active customers")                          \
  X(revenue, "currency per quarter", "Units sold times price")                                               \
  X(costs_total, "currency per quarter", "All costs of the quarter: cost to serve plus fixed cost")          \
  X(profit, "currency per quarter", "Revenue minus costs_total")                                             \
  X(cash, "currency", "Cash at the end of the quarter")                                                      \
  X(profit_npv, "currency", "Profit from quarter 1 to this quarter, discounted at finance.discount_rate")   \
  X(penetration, "fraction", "Active customers of the firm over the market population")                     \
  X(satisfaction_mean, "points (0-10)", "Mean satisfaction of active customers; NaN when there are none")   \
  X(expectation_mean, "value points (0-10)", "Mean expectation of active customers; NaN when there are none")

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

#undef FULCRUM_SERIES_ENUMERATOR
#undef FULCRUM_SERIES_SPEC

}  // namespace fulcrum
