#include "models/interventions.hpp"

namespace fulcrum {

float category_floor(NpsCategory category) {
  switch (category) {
    case NpsCategory::promoter: return static_cast<float>(kPromoterFrom);
    case NpsCategory::passive: return static_cast<float>(kDetractorBelow);
    case NpsCategory::detractor: return 0.0f;
  }
  return 0.0f;
}

std::int64_t convert_block(CustomerState& customers, CustomerRange range, NpsCategory from, NpsCategory to,
                           double probability, RandomEngine& engine) {
  std::int64_t moved = 0;
  for (Eigen::Index i = range.begin; i < range.end; ++i) {
    const double draw = uniform01(engine);
    if (customers.status[i] != customer_status::active || nps_category(customers.satisfaction[i]) != from) continue;
    if (draw < probability) {
      customers.satisfaction[i] = category_floor(to);
      ++moved;
    }
  }
  return moved;
}

}  // namespace fulcrum
