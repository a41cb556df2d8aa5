#pragma once
// What runs produce: one Trajectory per replicate, gathered into EnsembleResults, which the HDF5 writer
// and the summary read.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/census.hpp"
#include "sim/scenario.hpp"
#include "sim/series.hpp"

namespace fulcrum {

// Something that happened to a firm: a funding round, the tap turned off, a price change, bankruptcy.
struct Event {
  std::int64_t quarter;
  std::int64_t firm;
  std::string kind;
  double amount;  // currency, or the new price
  std::string text;
};

// One replicate's recorded series, quarter 0 (initial state) to the horizon.
class Trajectory {
 public:
  Trajectory(std::int64_t quarters_recorded, std::int64_t firms, std::int64_t segments);

  double& firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index);
  [[nodiscard]] double firm(FirmSeries series, std::int64_t quarter, std::int64_t firm_index) const;
  double& market(MarketSeries series, std::int64_t quarter);
  [[nodiscard]] double market(MarketSeries series, std::int64_t quarter) const;
  // `series_index` indexes kSegmentSeries.
  double& segment(std::size_t series_index, std::int64_t quarter, std::int64_t firm_index, std::int64_t segment_index);
  [[nodiscard]] double segment(std::size_t series_index, std::int64_t quarter, std::int64_t firm_index,
                               std::int64_t segment_index) const;
  double& decile(std::int64_t quarter, std::int64_t firm_index, std::size_t decile_index);
  [[nodiscard]] double decile(std::int64_t quarter, std::int64_t firm_index, std::size_t decile_index) const;
  double& cohort(std::int64_t firm_index, std::int64_t cohort_quarter, std::int64_t quarter);
  [[nodiscard]] double cohort(std::int64_t firm_index, std::int64_t cohort_quarter, std::int64_t quarter) const;

  // Every value NaN: a run that has not been done (an interrupted sweep).
  void mark_missing();

  [[nodiscard]] std::int64_t quarters_recorded() const { return quarters_recorded_; }
  [[nodiscard]] std::int64_t firms() const { return firms_; }
  [[nodiscard]] std::int64_t segments() const { return segments_; }

  std::vector<Event> events;

 private:
  std::int64_t quarters_recorded_;
  std::int64_t firms_;
  std::int64_t segments_;
  std::vector<double> firm_values_;     // [series][quarter][firm]
  std::vector<double> market_values_;   // [series][quarter]
  std::vector<double> segment_values_;  // [series][quarter][firm][segment]
  std::vector<double> deciles_;         // [quarter][firm][decile]
  std::vector<double> cohorts_;         // [firm][cohort][quarter]
};

struct EnsembleResults {
  Scenario scenario;
  std::int64_t points = 1;
  std::int64_t replicates = 0;
  std::int64_t quarters_recorded = 0;
  std::vector<std::string> point_names;  // "scenario", and "counterfactual" when there is one
  std::vector<std::string> firm_names;
  std::vector<std::string> segment_names;
  std::vector<Trajectory> runs;  // index point * replicates + replicate
  // Sweeps: the design (kind, swept parameter paths, values[point][parameter]); empty for a single run.
  std::string design_kind;
  std::vector<std::string> design_parameters;
  std::vector<std::vector<double>> design_values;
  // Sweeps in progress: 1 for each finished run [point * replicates + replicate]; empty when all are.
  std::vector<std::uint8_t> runs_finished;

  [[nodiscard]] const Trajectory& run(std::int64_t point, std::int64_t replicate) const {
    return runs.at(static_cast<std::size_t>(point * replicates + replicate));
  }
};

// Counterfactual minus scenario, paired replicate by replicate (they share random numbers): the mean
// and its 95% confidence interval (Student t over replicates; NaN bounds with a single replicate).
struct PairedDifference {
  double mean;
  double low;
  double high;
};
PairedDifference paired_difference(const EnsembleResults& results, FirmSeries series, std::int64_t quarter,
                                   std::int64_t firm);

}  // namespace fulcrum
