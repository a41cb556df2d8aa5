#pragma once
// What-if programmes that move customers between NPS categories directly: service recovery lifts
// detractors to passives, delight lifts passives to promoters. They let users ask which point of NPS is
// worth more (seed 004: negative word of mouth weighs about three times positive).
#include "models/word_of_mouth.hpp"
#include "sim/customer_state.hpp"
#include "sim/rng.hpp"

namespace fulcrum {

// The lowest satisfaction a customer of `category` can have: 6.5 for a passive, 8.5 for a promoter
// (scores 7 and 9 once rounded).
float category_floor(NpsCategory category);

// Every active customer in `from` is moved to `to` (its satisfaction raised to category_floor(to)) with
// `probability`. One uniform per customer, whatever its status. Returns how many moved.
std::int64_t convert_block(CustomerState& customers, CustomerRange range, NpsCategory from, NpsCategory to,
                           double probability, RandomEngine& engine);

}  // namespace fulcrum
