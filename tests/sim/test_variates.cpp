#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <vector>

#include "sim/variates.hpp"

using namespace fulcrum;

namespace {

// The Kolmogorov-Smirnov distance between the sample and the distribution function `cdf`.
double ks_distance(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const auto n = static_cast<double>(sample.size());
  double distance = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    distance = std::max({distance, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return distance;
}

// The distance a sample of n from the very distribution exceeds once in a thousand.
double ks_critical(std::size_t n) { return 1.95 / std::sqrt(static_cast<double>(n)); }

template <class Variate>
std::vector<double> sample_of(const Variate& variate, std::size_t n, std::uint64_t seed) {
  RandomEngine engine = make_stream({seed, 0, StreamPurpose::churn_propensity, 0, 0, 0});
  std::vector<double> sample(n);
  for (double& x : sample) x = variate(engine);
  return sample;
}

}  // namespace

TEST_CASE("gamma variates follow Gamma(shape, 1) for shapes below, at and above 1", "[rng][variates]") {
  constexpr std::size_t n = 20000;
  std::uint64_t seed = 1;
  for (const double shape : {0.05, 0.3, 0.668, 1.0, 1.5, 3.806, 40.0, 1.0e4}) {
    INFO("shape " << shape);
    const std::vector<double> sample = sample_of(GammaVariate(shape), n, seed++);
    CHECK(std::all_of(sample.begin(), sample.end(), [](double x) { return x >= 0.0 && std::isfinite(x); }));
    CHECK(ks_distance(sample, [&](double x) { return boost::math::gamma_p(shape, x); }) < ks_critical(n));
    double sum = 0;
    for (const double x : sample) sum += x;
    // Mean and standard deviation are both the shape's (root).
    CHECK(std::abs(sum / n - shape) < 5.0 * std::sqrt(shape / n));
  }
}

TEST_CASE("beta variates follow Beta(alpha, beta)", "[rng][variates]") {
  constexpr std::size_t n = 20000;
  std::uint64_t seed = 100;
  const std::vector<std::pair<double, double>> shapes{{0.668, 3.806}, {1.0, 19.0}, {3.0, 7.0}, {0.5, 0.5},
                                                      {0.05, 0.2},    {1.0, 1.0},  {2000.0, 50.0}};
  for (const auto& [alpha, beta] : shapes) {
    INFO("Beta(" << alpha << ", " << beta << ")");
    const std::vector<double> sample = sample_of(BetaVariate(alpha, beta), n, seed++);
    CHECK(std::all_of(sample.begin(), sample.end(), [](double x) { return x >= 0.0 && x <= 1.0; }));
    CHECK(ks_distance(sample, [&](double x) { return boost::math::ibeta(alpha, beta, x); }) < ks_critical(n));
  }
}

TEST_CASE("beta variates of shapes far below 1 keep their tails where both gammas underflow", "[rng][variates]") {
  // At shapes 0.002 and 0.004 either gamma variate is below 1e-261 (U^500) in a quarter of the draws
  // or more, and the ratio is taken over their logs: the probabilities of values below 1e-300,
  // 1e-100, ... must still be the distribution's (a ratio of the values themselves put 22 % of the
  // draws below 1e-300, against 16.7 %). A Kolmogorov-Smirnov test would not do here: a third of
  // the draws are within 1e-16 of 1, which doubles round to 1.
  constexpr std::size_t n = 40000;
  const double alpha = 0.002, beta = 0.004;
  const std::vector<double> sample = sample_of(BetaVariate(alpha, beta), n, 7);
  for (const double threshold : {1e-300, 1e-100, 1e-10, 0.5, 1.0 - 1e-10}) {
    const double expected = boost::math::ibeta(alpha, beta, threshold);
    const double observed =
        static_cast<double>(std::count_if(sample.begin(), sample.end(), [&](double x) { return x <= threshold; })) / n;
    INFO("P(X <= " << threshold << "): " << observed << " against " << expected);
    CHECK(std::abs(observed - expected) < 5.0 * std::sqrt(expected * (1.0 - expected) / n));
  }
}

TEST_CASE("beta variates of shapes near the smallest doubles are 0 or 1 with the mean's odds", "[rng][variates]") {
  constexpr std::size_t n = 20000;
  const std::vector<double> sample = sample_of(BetaVariate(1e-320, 3e-320), n, 8);
  CHECK(std::all_of(sample.begin(), sample.end(), [](double x) { return x == 0.0 || x == 1.0; }));
  const double ones = static_cast<double>(std::count(sample.begin(), sample.end(), 1.0)) / n;
  CHECK(std::abs(ones - 0.25) < 5.0 * std::sqrt(0.25 * 0.75 / n));
}

TEST_CASE("a variate is fixed by its stream", "[rng][variates]") {
  CHECK(sample_of(BetaVariate(0.668, 3.806), 1000, 3) == sample_of(BetaVariate(0.668, 3.806), 1000, 3));
  CHECK(sample_of(BetaVariate(0.668, 3.806), 1000, 3) != sample_of(BetaVariate(0.668, 3.806), 1000, 4));
}
