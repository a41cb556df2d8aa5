#pragma once
// Word of mouth (seed 004): customers are promoters, passives or detractors by the NPS convention;
// every adopter exposes its neighbours to the product (the Bass imitation term), promoters add positive
// word of mouth and detractors negative word of mouth, each with its own reach and weight.
#include <cstdint>
#include <span>

#include "models/network.hpp"
#include "sim/customer_state.hpp"
#include "sim/scenario.hpp"

namespace fulcrum {

enum class NpsCategory : std::uint8_t { detractor, passive, promoter };

// The 0-10 "would you recommend us" score is satisfaction rounded to a whole point: promoters answer
// 9-10, passives 7-8, detractors 0-6 (Reichheld 2003).
NpsCategory nps_category(double satisfaction);

// What one customer's word does to a neighbour, in units of one adopter's plain exposure.
struct Voice {
  float exposure;   // 1 for a current customer (seen using the product), 0 otherwise
  float sentiment;  // +reach*weight for a promoter, -reach*weight for a detractor, scaled for lapsed
};

Voice voice_of(std::uint8_t status, double satisfaction, const WordOfMouthParameters& word_of_mouth);

// Fills, for a block of customers, what each says to prospects (exposure + sentiment) and to customers
// (sentiment), and returns the block's totals of both, for the complete graph.
struct VoiceTotals {
  double to_prospects = 0;
  double to_customers = 0;
};
VoiceTotals voice_block(const CustomerState& customers, CustomerRange range,
                        const WordOfMouthParameters& word_of_mouth, std::span<float> to_prospects,
                        std::span<float> to_customers);

// Mean of `values` over the customer's neighbours; on the complete graph, the mean over the whole
// market, `market_total / vertices` (the Bass adopted fraction when values are exposures).
double neighbour_mean(const SocialNetwork& network, std::span<const float> values, std::int64_t customer,
                      double market_total);

}  // namespace fulcrum
