#pragma once
// Gamma and Beta variates for the set-up's draws (the customers' churn propensities), by Marsaglia and
// Tsang's method ("A simple method for generating gamma variables", ACM TOMS 26(3), 2000): a normal and
// a uniform per try, a log only where the squeeze does not already accept (a few tries in a hundred),
// and at least 95 % of tries accepted for any shape of 1 or more. A shape below 1 takes a Gamma(shape + 1)
// variate times U^(1 / shape). Boost's gamma_distribution, used before, spends a tan, an exp and a log
// on every try, and an exp more each time beta_distribution builds one (at every draw): some 120 ns a
// Beta draw, the largest part of a market's customers' set-up.
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "sim/rng.hpp"

namespace fulcrum {

// A uniform in (0, 1), never 0: what a log or a power may take.
inline double open_uniform01(RandomEngine& engine) { return (engine() + 0.5) * 0x1p-32; }

// Gamma(shape, 1) for any shape above 0.
class GammaVariate {
 public:
  explicit GammaVariate(double shape)
      : boosted_(shape < 1.0), inverse_shape_(1.0 / shape), d_((boosted_ ? shape + 1.0 : shape) - 1.0 / 3.0),
        c_(1.0 / std::sqrt(9.0 * d_)) {}

  // A variate as core * e^log_boost: a shape far below 1 makes variates too small for a double
  // (U^(1 / shape) underflows), and a ratio of two of them is then taken over their logs.
  struct Draw {
    double core;
    double log_boost;  // 0 for a shape of 1 or more
    [[nodiscard]] double value() const { return log_boost == 0.0 ? core : core * std::exp(log_boost); }
    [[nodiscard]] double log() const { return std::log(core) + log_boost; }
  };

  [[nodiscard]] Draw draw(RandomEngine& engine) const {
    boost::random::normal_distribution<double> standard_normal;
    for (;;) {
      double x = 0.0;
      double v = 0.0;
      do {
        x = standard_normal(engine);
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = open_uniform01(engine);
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d_ * (1.0 - v + std::log(v))) {
        return {d_ * v, boosted_ ? std::log(open_uniform01(engine)) * inverse_shape_ : 0.0};
      }
    }
  }

  double operator()(RandomEngine& engine) const { return draw(engine).value(); }

 private:
  bool boosted_;
  double inverse_shape_;
  double d_;
  double c_;
};

// Beta(alpha, beta) for any shapes above 0, as X / (X + Y) of X ~ Gamma(alpha) and Y ~ Gamma(beta).
class BetaVariate {
 public:
  BetaVariate(double alpha, double beta) : x_(alpha), y_(beta), mean_(alpha / (alpha + beta)) {}

  double operator()(RandomEngine& engine) const {
    const GammaVariate::Draw x = x_.draw(engine);
    const GammaVariate::Draw y = y_.draw(engine);
    if (x.log_boost > kLowestExactBoost && y.log_boost > kLowestExactBoost) {
      const double x_value = x.value();
      return x_value / (x_value + y.value());
    }
    // A variate near or below the smallest doubles (shapes far below 1): the ratio from the logs, and
    // where both are -inf (shapes near the smallest doubles), the distribution's limit, 0 or 1 with
    // the mean's odds.
    const double difference = y.log() - x.log();
    if (std::isnan(difference)) return open_uniform01(engine) < mean_ ? 1.0 : 0.0;
    return 1.0 / (1.0 + std::exp(difference));
  }

 private:
  // Down to e^-600 (1e-261) a variate is a double as precise as its core; below it may be subnormal
  // or 0, and a ratio of its value, with a partner as small, anything from 0 to 1.
  static constexpr double kLowestExactBoost = -600.0;
  GammaVariate x_;
  GammaVariate y_;
  double mean_;
};

}  // namespace fulcrum
