#include "models/word_of_mouth.hpp"

#include <cmath>

namespace fulcrum {

NpsCategory nps_category(double satisfaction) {
  const double score = std::round(satisfaction);
  if (score >= 9.0) return NpsCategory::promoter;
  if (score <= 6.0) return NpsCategory::detractor;
  return NpsCategory::passive;
}

Voice voice_of(std::uint8_t status, double satisfaction, const WordOfMouthParameters& word_of_mouth) {
  if (status == customer_status::prospect) return {0.0f, 0.0f};
  double sentiment = 0.0;
  switch (nps_category(satisfaction)) {
    case NpsCategory::promoter: sentiment = word_of_mouth.positive_reach * word_of_mouth.positive_weight; break;
    case NpsCategory::detractor: sentiment = -word_of_mouth.negative_reach * word_of_mouth.negative_weight; break;
    case NpsCategory::passive: break;
  }
  if (status == customer_status::lapsed) return {0.0f, static_cast<float>(sentiment * word_of_mouth.lapsed_voice)};
  return {1.0f, static_cast<float>(sentiment)};
}

VoiceTotals voice_block(const CustomerState& customers, CustomerRange range,
                        const WordOfMouthParameters& word_of_mouth, std::span<float> to_prospects,
                        std::span<float> to_customers) {
  VoiceTotals totals;
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const Voice voice = voice_of(customers.status[i], customers.satisfaction[i], word_of_mouth);
    const auto index = static_cast<std::size_t>(i);
    to_prospects[index] = voice.exposure + voice.sentiment;
    to_customers[index] = voice.sentiment;
    totals.to_prospects += to_prospects[index];
    totals.to_customers += to_customers[index];
  }
  return totals;
}

double neighbour_mean(const SocialNetwork& network, std::span<const float> values, std::int64_t customer,
                      double market_total) {
  if (network.mean_field) return market_total / static_cast<double>(network.vertices);
  const auto neighbours = network.neighbours_of(customer);
  if (neighbours.empty()) return 0.0;
  double sum = 0.0;
  for (const auto neighbour : neighbours) sum += values[neighbour];
  return sum / static_cast<double>(neighbours.size());
}

}  // namespace fulcrum
