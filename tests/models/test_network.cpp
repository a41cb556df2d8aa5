#include <unistd.h>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/taus88.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <queue>
#include <tuple>

#include "models/network.hpp"
#include "sim/error.hpp"
#include "sim/parameters.hpp"

using namespace fulcrum;

namespace {

NetworkParameters network_of(NetworkKind kind, std::int64_t mean_degree, double rewiring = 0.0) {
  NetworkParameters parameters = default_scenario().network;
  parameters.kind = kind;
  parameters.mean_degree = mean_degree;
  parameters.rewiring = rewiring;
  parameters.seed = 11;
  return parameters;
}

const std::vector<std::uint16_t> kNoBlocks;

// A generator's vertex blocks, all one block; kept alive for generate_network to relabel.
std::vector<std::uint16_t>& one_block(std::int64_t n) {
  static std::vector<std::uint16_t> blocks;
  blocks.assign(static_cast<std::size_t>(n), 0);
  return blocks;
}

bool symmetric_sorted_simple(const SocialNetwork& network) {
  for (std::int64_t v = 0; v < network.vertices; ++v) {
    const auto row = network.neighbours_of(v);
    if (!std::is_sorted(row.begin(), row.end())) return false;
    if (std::adjacent_find(row.begin(), row.end()) != row.end()) return false;
    for (const auto u : row) {
      if (u == v) return false;
      const auto back = network.neighbours_of(u);
      if (!std::binary_search(back.begin(), back.end(), static_cast<std::uint32_t>(v))) return false;
    }
  }
  return true;
}

std::int64_t bandwidth(const SocialNetwork& network) {
  std::int64_t widest = 0;
  for (std::int64_t v = 0; v < network.vertices; ++v) {
    for (const auto u : network.neighbours_of(v)) widest = std::max(widest, std::abs(static_cast<std::int64_t>(u) - v));
  }
  return widest;
}

}  // namespace

TEST_CASE("edges become a symmetric CSR without self-loops or duplicates", "[network]") {
  const SocialNetwork network = network_from_edges(5, {{0, 1}, {1, 0}, {2, 2}, {3, 4}, {1, 3}, {0, 1}});
  CHECK(network.neighbours.size() == 6);  // {0-1, 3-4, 1-3} both ways
  CHECK(network.degree(0) == 1);
  CHECK(network.degree(1) == 2);
  CHECK(network.degree(2) == 0);
  CHECK(symmetric_sorted_simple(network));
}

TEST_CASE("the CSR is the same however many threads build it", "[network]") {
  // Threads own ranges of vertices and fill only their rows: any team, with more threads than
  // vertices too, must give one thread's offsets and rows, from edges with self-loops, repeats (some in
  // both directions) and a hub whose row every thread's edges reach.
  boost::random::mt19937 engine(5);
  for (const std::int64_t n : {1, 2, 7, 300, 5000}) {
    std::vector<Edge> edges;
    for (std::int64_t e = 0; e < 4 * n; ++e) {
      const auto a = static_cast<std::uint32_t>(engine() % n);
      const auto b = static_cast<std::uint32_t>(engine() % n);
      edges.push_back({a, b});
      if (e % 5 == 0) edges.push_back({b, a});
      if (e % 7 == 0) edges.push_back({a, a});
      if (e % 3 == 0) edges.push_back({0, b});
    }
    const SocialNetwork one = network_from_edges(n, edges, 1);
    CHECK(symmetric_sorted_simple(one));
    for (const int threads : {2, 3, 8}) {
      const SocialNetwork many = network_from_edges(n, edges, threads);
      CHECK(many.offsets == one.offsets);
      CHECK(many.neighbours == one.neighbours);
    }
  }
  // No vertices, no edges, only self-loops, only repeats of one edge.
  for (const auto& [n, edges] : std::vector<std::pair<std::int64_t, std::vector<Edge>>>{
           {0, {}}, {5, {}}, {3, std::vector<Edge>(40, Edge{1, 1})}, {4, std::vector<Edge>(40, Edge{2, 3})}}) {
    const SocialNetwork one = network_from_edges(n, edges, 1);
    CHECK(one.offsets.size() == static_cast<std::size_t>(n) + 1);
    CHECK(one.neighbours.size() == (edges.empty() || edges[0].a == edges[0].b ? 0U : 2U));
    for (const int threads : {2, 8}) {
      const SocialNetwork many = network_from_edges(n, edges, threads);
      CHECK(many.offsets == one.offsets);
      CHECK(many.neighbours == one.neighbours);
    }
  }
}

TEST_CASE("the complete graph is mean field, with its closed-form statistics", "[network]") {
  const SocialNetwork network = generate_network(network_of(NetworkKind::complete, 10), 500, one_block(500));
  CHECK(network.mean_field);
  const NetworkStatistics stats = measure_network(network, kNoBlocks, 50, 1);
  CHECK(stats.mean_degree == 499);
  CHECK(stats.clustering == 1.0);
  CHECK(stats.mean_path_length == 1.0);
  CHECK(stats.edges == 500 * 499 / 2);
}

TEST_CASE("Erdos-Renyi: Poisson degrees, clustering p, paths about ln N / ln k", "[network]") {
  const std::int64_t n = 6000;
  const double k = 12;
  const SocialNetwork network = generate_network(network_of(NetworkKind::erdos_renyi, 12), n, one_block(n));
  REQUIRE(symmetric_sorted_simple(network));
  const NetworkStatistics stats = measure_network(network, kNoBlocks, 200, 1);
  // The mean degree of G(n, p) has standard error sqrt(2 k / n) (each edge counts twice).
  CHECK(std::abs(stats.mean_degree - k) < 5 * std::sqrt(2 * k / static_cast<double>(n)));
  CHECK(stats.degree_sd == Approx(std::sqrt(k)).epsilon(0.05));  // Poisson: variance = mean
  const double p = k / static_cast<double>(n - 1);
  CHECK(stats.clustering < 3 * p);
  CHECK(stats.mean_path_length == Approx(std::log(static_cast<double>(n)) / std::log(k)).epsilon(0.1));
}

TEST_CASE("Watts-Strogatz: ring clustering 3(k-2)/4(k-1), lowered by (1-beta)^3 when rewired", "[network]") {
  const std::int64_t n = 6000;
  const double k = 10;
  const SocialNetwork ring = generate_network(network_of(NetworkKind::watts_strogatz, 10, 0.0), n, one_block(n));
  const NetworkStatistics ring_stats = measure_network(ring, kNoBlocks, 50, 1);
  const double ring_clustering = 3 * (k - 2) / (4 * (k - 1));
  CHECK(ring_stats.min_degree == 10);
  CHECK(ring_stats.max_degree == 10);
  CHECK(ring_stats.clustering == Approx(ring_clustering));
  CHECK(ring_stats.mean_path_length == Approx(static_cast<double>(n) / (2 * k)).epsilon(0.02));

  const SocialNetwork small_world = generate_network(network_of(NetworkKind::watts_strogatz, 10, 0.1), n, one_block(n));
  REQUIRE(symmetric_sorted_simple(small_world));
  const NetworkStatistics stats = measure_network(small_world, kNoBlocks, 100, 1);
  CHECK(stats.mean_degree == Approx(k).epsilon(0.01));
  // Barrat & Weigt (2000): C(beta) ~ C(0) (1 - beta)^3.
  CHECK(stats.clustering == Approx(ring_clustering * std::pow(0.9, 3)).epsilon(0.05));
  CHECK(stats.mean_path_length < 0.1 * ring_stats.mean_path_length);  // the small-world effect
}

TEST_CASE("Watts-Strogatz edges neither hang nor fill the memory on rings Boost's iterator cannot draw", "[network]") {
  // k < 2 went round the whole ring from every vertex (n^2 edges: minutes at 20,000 customers), and a
  // ring window covering every vertex drew forever for a vertex outside it.
  for (const auto& [n, k] : {std::pair{1, 0}, std::pair{3, 1}, std::pair{20000, 1}, std::pair{3, 2}, std::pair{5, 4},
                             std::pair{2, 2}, std::pair{6, 4}}) {
    CAPTURE(n, k);
    boost::random::taus88 engine(7);
    const std::vector<Edge> edges = watts_strogatz_edges(n, k, 1.0, engine);
    CHECK(edges.size() == static_cast<std::size_t>(n >= 2 ? n * (k / 2) : 0));
    std::size_t rewired = 0;
    for (const Edge& edge : edges) {
      REQUIRE(edge.a < static_cast<std::uint32_t>(n));
      REQUIRE(edge.b < static_cast<std::uint32_t>(n));
      const std::uint32_t ring_distance = std::min<std::uint32_t>((edge.b + n - edge.a) % n, (edge.a + n - edge.b) % n);
      rewired += ring_distance > static_cast<std::uint32_t>(k / 2) ? 1 : 0;
    }
    CHECK((rewired > 0) == (n == 6));  // only a ring of 6 has a vertex outside a window of 2 either side
    CHECK(symmetric_sorted_simple(network_from_edges(n, edges)));
  }
}

TEST_CASE("a Watts-Strogatz network built from its rewired edges alone is the one its edge list gives", "[network]") {
  // Rings of every size around the smallest that rewires (2k/2 + 1 < n), odd k, rewiring from none to
  // all (every edge rewired, so many land twice on one pair), wrapping rows, and 1 to 3 threads.
  for (const auto& [n, k, rewiring] : {std::tuple{6, 4, 1.0}, std::tuple{7, 4, 0.5}, std::tuple{8, 5, 1.0},
                                       std::tuple{40, 6, 0.3}, std::tuple{257, 10, 0.1}, std::tuple{1000, 10, 0.0},
                                       std::tuple{1000, 2, 0.9}, std::tuple{5000, 12, 1.0}, std::tuple{30000, 10, 0.1},
                                       std::tuple{5, 4, 0.5}, std::tuple{3, 2, 1.0}, std::tuple{100, 1, 0.5}}) {
    for (const int threads : {1, 2, 3}) {
      CAPTURE(n, k, rewiring, threads);
      boost::random::taus88 engine(11), same(11);
      const SocialNetwork built = watts_strogatz_network(n, k, rewiring, engine, threads);
      const SocialNetwork listed = network_from_edges(n, watts_strogatz_edges(n, k, rewiring, same), 1);
      REQUIRE(built.offsets == listed.offsets);
      REQUIRE(std::equal(built.neighbours.begin(), built.neighbours.end(), listed.neighbours.begin(),
                         listed.neighbours.end()));
      CHECK(built.degree_bytes == listed.degree_bytes);
      CHECK(engine() == same());  // the engine left where the edge list leaves it
    }
  }
}

TEST_CASE("a Watts-Strogatz ring outline has the rows' neighbours, degrees and degree bytes", "[network]") {
  // Rings as above, and halves up to the outline's limit (12) and past it (13: rows instead); heavy
  // rewiring gives vertices more rewired neighbours than a record holds (its overflow).
  bool overflowed = false;
  bool inline_only = false;
  for (const auto& [n, k, rewiring] : {std::tuple{6, 4, 1.0}, std::tuple{8, 5, 1.0}, std::tuple{40, 6, 0.3},
                                       std::tuple{257, 10, 0.1}, std::tuple{1000, 10, 0.0}, std::tuple{1000, 2, 0.9},
                                       std::tuple{5000, 24, 1.0}, std::tuple{5000, 25, 0.5}, std::tuple{5000, 26, 0.5},
                                       std::tuple{30000, 10, 0.1}, std::tuple{5, 4, 0.5}, std::tuple{100, 1, 0.5}}) {
    for (const int threads : {1, 2, 3}) {
      CAPTURE(n, k, rewiring, threads);
      boost::random::taus88 engine(11), same(11);
      SocialNetwork outlined = watts_strogatz_network(n, k, rewiring, engine, threads, true);
      const SocialNetwork rows = watts_strogatz_network(n, k, rewiring, same, threads);
      CHECK(engine() == same());
      const bool can_outline = k / 2 <= static_cast<int>(RingOutline::kMaxHalf) && 2 * (k / 2) + 1 < n && k >= 2;
      REQUIRE(outlined.outlined() == can_outline);
      CHECK(outlined.directed_edges() == rows.directed_edges());
      CHECK(outlined.degree_bytes == rows.degree_bytes);
      for (std::int64_t v = 0; v < n; ++v) {
        std::vector<std::uint32_t> heard;
        outlined.visit_neighbours(v, [&](std::uint32_t u) { heard.push_back(u); });
        std::sort(heard.begin(), heard.end());
        const auto row = rows.neighbours_of(v);
        REQUIRE(std::equal(heard.begin(), heard.end(), row.begin(), row.end()));
        CHECK(outlined.degree(v) == rows.degree(v));
        if (outlined.outlined()) {
          const std::uint32_t count = RingOutline::rewired_count(outlined.outline.records[static_cast<std::size_t>(v)]);
          overflowed = overflowed || count > RingOutline::kInline;
          inline_only = inline_only || (count > 0 && count <= RingOutline::kInline);
        }
      }
      keep_rows(outlined, threads);  // the very rows built without the outline
      CHECK_FALSE(outlined.outlined());
      CHECK(outlined.offsets == rows.offsets);
      CHECK(std::equal(outlined.neighbours.begin(), outlined.neighbours.end(), rows.neighbours.begin(), rows.neighbours.end()));
      CHECK(outlined.degree_bytes == rows.degree_bytes);
    }
  }
  CHECK(overflowed);
  CHECK(inline_only);
}

TEST_CASE("an outlined market is measured as its rows are", "[network]") {
  const std::int64_t n = 5000;
  std::vector<std::uint16_t> blocks(static_cast<std::size_t>(n), 0);
  const SocialNetwork outlined = generate_network(network_of(NetworkKind::watts_strogatz, 10, 0.2), n, blocks, 2, true);
  const SocialNetwork rows = generate_network(network_of(NetworkKind::watts_strogatz, 10, 0.2), n, blocks, 2);
  REQUIRE(outlined.outlined());
  REQUIRE_FALSE(rows.outlined());
  const NetworkStatistics a = measure_network(outlined, kNoBlocks, 40, 3, 2);
  const NetworkStatistics b = measure_network(rows, kNoBlocks, 40, 3, 2);
  CHECK(a.edges == b.edges);
  CHECK(a.degree_histogram == b.degree_histogram);
  CHECK(a.clustering == b.clustering);
  CHECK(a.mean_path_length == b.mean_path_length);
  // A vertex order other than the generator's relabels rows: no outline then.
  NetworkParameters ordered = network_of(NetworkKind::watts_strogatz, 10, 0.2);
  ordered.order = VertexOrder::random;
  CHECK_FALSE(generate_network(ordered, n, blocks, 2, true).outlined());
}

TEST_CASE("network statistics are the same however many threads measure them", "[network]") {
  const std::int64_t n = 20000;  // five runs of vertices for the clustering sums
  for (const NetworkKind kind : {NetworkKind::watts_strogatz, NetworkKind::barabasi_albert}) {
    const SocialNetwork network = generate_network(network_of(kind, 8, 0.2), n, one_block(n));
    const NetworkStatistics one = measure_network(network, kNoBlocks, 40, 3, 1);
    for (const int threads : {2, 3}) {
      const NetworkStatistics many = measure_network(network, kNoBlocks, 40, 3, threads);
      CHECK(many.clustering == one.clustering);
      CHECK(many.mean_path_length == one.mean_path_length);
      CHECK(many.largest_component_share == one.largest_component_share);
      CHECK(many.path_sources == one.path_sources);
    }
  }
}

TEST_CASE("Barabasi-Albert edges are the plain algorithm's, pick for pick", "[network]") {
  // The generator asks for the endpoints of the picks ahead with a copy of the engine; the picks must be
  // the engine's own. The plain algorithm, written out: repeats (many among the first, small-degree
  // vertices with m = 5; few later) put the copy out of step, and it must start again.
  for (const auto& [n, m] : {std::pair{1, 1}, std::pair{4, 5}, std::pair{3000, 1}, std::pair{5000, 5}, std::pair{2000, 12}}) {
    CAPTURE(n, m);
    boost::random::taus88 engine(11);
    boost::random::taus88 plain_engine = engine;
    const std::vector<Edge> edges = barabasi_albert_edges(n, m, engine);
    std::vector<Edge> plain;
    std::vector<std::uint32_t> endpoints;
    const std::int64_t seeds = std::min<std::int64_t>(n, m + 1);
    for (std::int64_t a = 0; a < seeds; ++a) {
      for (std::int64_t b = a + 1; b < seeds; ++b) {
        plain.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
        endpoints.insert(endpoints.end(), {static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
      }
    }
    std::int64_t repeats = 0;
    for (std::int64_t v = seeds; v < n; ++v) {
      std::vector<std::uint32_t> chosen;
      while (static_cast<std::int64_t>(chosen.size()) < m) {
        boost::random::uniform_int_distribution<std::size_t> pick(0, endpoints.size() - 1);
        const std::uint32_t target = endpoints[pick(plain_engine)];
        if (std::find(chosen.begin(), chosen.end(), target) == chosen.end()) {
          chosen.push_back(target);
        } else {
          ++repeats;
        }
      }
      for (const std::uint32_t target : chosen) {
        plain.push_back({static_cast<std::uint32_t>(v), target});
        endpoints.insert(endpoints.end(), {static_cast<std::uint32_t>(v), target});
      }
    }
    REQUIRE(edges.size() == plain.size());
    for (std::size_t e = 0; e < edges.size(); ++e) {
      REQUIRE(edges[e].a == plain[e].a);
      REQUIRE(edges[e].b == plain[e].b);
    }
    CHECK(engine() == plain_engine());  // and the engine left where the plain algorithm leaves it
    if (n >= 2000 && m > 1) CHECK(repeats > 0);
  }
}

TEST_CASE("Barabasi-Albert: mean degree 2m, minimum m, a power-law tail of exponent 3", "[network]") {
  const std::int64_t n = 20000;
  const std::int64_t m = 4;
  const SocialNetwork network = generate_network(network_of(NetworkKind::barabasi_albert, 2 * m), n, one_block(n));
  REQUIRE(symmetric_sorted_simple(network));
  const NetworkStatistics stats = measure_network(network, kNoBlocks, 20, 1);
  CHECK(stats.mean_degree == Approx(2.0 * m).epsilon(0.01));
  CHECK(stats.min_degree == m);
  CHECK(stats.max_degree > 20 * m);  // hubs
  // Discrete power-law maximum likelihood (Clauset, Shalizi & Newman 2009) on the tail k >= 3m.
  const double k_min = 3.0 * m;
  double log_sum = 0;
  std::int64_t tail = 0;
  for (std::int64_t v = 0; v < n; ++v) {
    const auto d = static_cast<double>(network.degree(v));
    if (d >= k_min) {
      log_sum += std::log(d / (k_min - 0.5));
      ++tail;
    }
  }
  const double exponent = 1.0 + static_cast<double>(tail) / log_sum;
  const double standard_error = (exponent - 1.0) / std::sqrt(static_cast<double>(tail));
  INFO("exponent " << exponent << " +- " << standard_error << " from " << tail << " vertices");
  CHECK(std::abs(exponent - 3.0) < 0.3);
}

TEST_CASE("stochastic block model keeps the chosen share of edges inside blocks", "[network]") {
  const std::int64_t n = 8000;
  std::vector<std::uint16_t> blocks(static_cast<std::size_t>(n));
  for (std::int64_t v = 0; v < n; ++v) blocks[static_cast<std::size_t>(v)] = static_cast<std::uint16_t>(v % 4);
  NetworkParameters parameters = network_of(NetworkKind::stochastic_block, 10);
  parameters.within_block_share = 0.8;
  parameters.order = VertexOrder::as_generated;
  const SocialNetwork network = generate_network(parameters, n, blocks);
  REQUIRE(symmetric_sorted_simple(network));
  const NetworkStatistics stats = measure_network(network, blocks, 20, 1);
  CHECK(stats.mean_degree == Approx(10).epsilon(0.03));
  CHECK(stats.within_block_edge_share == Approx(0.8).epsilon(0.02));
}

TEST_CASE("locality orders relabel the same graph and narrow its bandwidth", "[network]") {
  const std::int64_t n = 3000;
  NetworkParameters parameters = network_of(NetworkKind::watts_strogatz, 6, 0.0);
  parameters.order = VertexOrder::as_generated;
  const SocialNetwork ring = generate_network(parameters, n, one_block(n));
  // Scramble the labels, then let each order repair them.
  std::vector<std::uint32_t> scramble(static_cast<std::size_t>(n));
  std::iota(scramble.begin(), scramble.end(), 0u);
  for (std::size_t i = scramble.size() - 1; i > 0; --i) std::swap(scramble[i], scramble[(i * 7919) % (i + 1)]);
  const SocialNetwork scrambled = relabel(ring, scramble);
  REQUIRE(symmetric_sorted_simple(scrambled));
  for (const auto order : {VertexOrder::reverse_cuthill_mckee, VertexOrder::breadth_first}) {
    const auto labels = locality_order(scrambled, order);
    REQUIRE(labels.size() == static_cast<std::size_t>(n));
    std::vector<std::uint32_t> sorted(labels);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i) REQUIRE(sorted[i] == i);  // a permutation
    const SocialNetwork ordered = relabel(scrambled, labels);
    CHECK(ordered.neighbours.size() == scrambled.neighbours.size());
    CHECK(symmetric_sorted_simple(ordered));
    CHECK(bandwidth(ordered) < bandwidth(scrambled) / 20);
  }
}

namespace {

// `pieces` side by side as one network (vertex ids offset piece after piece), labels scrambled.
SocialNetwork side_by_side(std::initializer_list<std::tuple<NetworkKind, std::int64_t, std::int64_t>> pieces) {
  std::vector<Edge> edges;
  std::uint32_t offset = 0;
  for (const auto& [kind, n, degree] : pieces) {
    NetworkParameters parameters = network_of(kind, degree, 0.2);
    parameters.order = VertexOrder::as_generated;
    const SocialNetwork piece = generate_network(parameters, n, one_block(n));
    for (std::int64_t v = 0; v < piece.vertices; ++v) {
      for (const auto u : piece.neighbours_of(v)) {
        if (u > v) edges.push_back({static_cast<std::uint32_t>(v) + offset, u + offset});
      }
    }
    offset += static_cast<std::uint32_t>(n);
  }
  std::vector<std::uint32_t> scramble(offset);
  std::iota(scramble.begin(), scramble.end(), 0u);
  for (std::size_t i = scramble.size() - 1; i > 0; --i) std::swap(scramble[i], scramble[(i * 7919) % (i + 1)]);
  return relabel(network_from_edges(offset, edges), scramble);
}

// A path of n vertices, labelled from its middle outwards: the start vertex search must walk to an end.
SocialNetwork path_from_the_middle(std::uint32_t n) {
  std::vector<std::uint32_t> position(n);  // position[label] along the path
  for (std::uint32_t label = 0; label < n; ++label) position[label] = label % 2 == 0 ? n / 2 + label / 2 : n / 2 - 1 - label / 2;
  std::vector<std::uint32_t> at(n);
  for (std::uint32_t label = 0; label < n; ++label) at[position[label]] = label;
  std::vector<Edge> edges;
  for (std::uint32_t p = 0; p + 1 < n; ++p) edges.push_back({at[p], at[p + 1]});
  return network_from_edges(n, edges);
}

std::vector<std::uint32_t> boost_reverse_cuthill_mckee(const SocialNetwork& network) {
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, std::uint32_t, std::uint64_t>;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::int64_t v = 0; v < network.vertices; ++v) {
    for (const auto u : network.neighbours_of(v)) pairs.emplace_back(static_cast<std::uint32_t>(v), u);
  }
  const auto n = static_cast<std::uint32_t>(network.vertices);
  const Csr graph(boost::edges_are_sorted, pairs.begin(), pairs.end(), n);
  std::vector<std::uint32_t> order(n);
  boost::cuthill_mckee_ordering(graph, order.rbegin());
  return order;
}

// Breadth first the plain way: the order VertexOrder::breadth_first promises.
std::vector<std::uint32_t> plain_breadth_first(const SocialNetwork& network) {
  const auto n = static_cast<std::size_t>(network.vertices);
  std::vector<bool> seen(n, false);
  std::vector<std::uint32_t> order;
  for (std::size_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    seen[start] = true;
    std::queue<std::uint32_t> queue;
    queue.push(static_cast<std::uint32_t>(start));
    while (!queue.empty()) {
      const std::uint32_t v = queue.front();
      queue.pop();
      order.push_back(v);
      for (const auto u : network.neighbours_of(v)) {
        if (!seen[u]) {
          seen[u] = true;
          queue.push(u);
        }
      }
    }
  }
  return order;
}

}  // namespace

TEST_CASE("reverse Cuthill-McKee gives Boost's own order, breadth first the plain one", "[network]") {
  // The orders are written here without Boost (its search for start vertices took time quadratic in the
  // components): they must not change. Several Barabasi-Albert and Erdos-Renyi pieces side by side
  // (sparse enough to leave isolated vertices), a rewired ring, and paths whose start vertex search
  // takes several rounds, labels scrambled.
  const SocialNetwork pieces = side_by_side({{NetworkKind::barabasi_albert, 700, 4}, {NetworkKind::erdos_renyi, 900, 1},
                                             {NetworkKind::watts_strogatz, 500, 4}, {NetworkKind::erdos_renyi, 400, 2}});
  REQUIRE(measure_network(pieces, kNoBlocks, 1, 1).min_degree == 0);  // isolated vertices: components of one
  const SocialNetwork ring = side_by_side({{NetworkKind::watts_strogatz, 5000, 10}});
  const SocialNetwork hubs = side_by_side({{NetworkKind::barabasi_albert, 5000, 6}});
  const SocialNetwork path = path_from_the_middle(301);
  for (const SocialNetwork* network : {&pieces, &ring, &hubs, &path}) {
    CHECK(locality_order(*network, VertexOrder::reverse_cuthill_mckee) == boost_reverse_cuthill_mckee(*network));
    CHECK(locality_order(*network, VertexOrder::breadth_first) == plain_breadth_first(*network));
  }
  SECTION("in time linear in the components") {
    // 300,000 customers of mean degree 1: over 100,000 components, each a search for its start vertex.
    // Boost's marks were reset over all 300,000 for each: minutes.
    NetworkParameters parameters = network_of(NetworkKind::erdos_renyi, 1);
    parameters.order = VertexOrder::reverse_cuthill_mckee;
    const std::int64_t n = 300'000;
    const SocialNetwork sparse = generate_network(parameters, n, one_block(n));
    CHECK(sparse.vertices == n);
    CHECK(symmetric_sorted_simple(sparse));
    CHECK(measure_network(sparse, kNoBlocks, 1, 1).largest_component_share < 0.5);
  }
}

TEST_CASE("relabelling gives the same network whatever the threads", "[network]") {
  const SocialNetwork hubs = side_by_side({{NetworkKind::barabasi_albert, 20000, 6}, {NetworkKind::erdos_renyi, 3001, 1}});
  const auto order = locality_order(hubs, VertexOrder::random, 3);
  const SocialNetwork one = relabel(hubs, order, 1);
  CHECK(symmetric_sorted_simple(one));
  CHECK(one.neighbours.size() == hubs.neighbours.size());
  for (std::size_t i = 0; i < order.size(); i += 97) CHECK(one.degree(static_cast<std::int64_t>(i)) == hubs.degree(order[i]));
  for (const int threads : {2, 3, 7}) {
    const SocialNetwork many = relabel(hubs, order, threads);
    CHECK(many.offsets == one.offsets);
    CHECK(std::equal(many.neighbours.begin(), many.neighbours.end(), one.neighbours.begin(), one.neighbours.end()));
    CHECK(many.degree_bytes == one.degree_bytes);
  }
}

TEST_CASE("a random order is a seeded permutation that destroys locality", "[network]") {
  const std::int64_t n = 3000;
  NetworkParameters parameters = network_of(NetworkKind::watts_strogatz, 6, 0.0);
  parameters.order = VertexOrder::as_generated;
  const SocialNetwork ring = generate_network(parameters, n, one_block(n));
  const auto labels = locality_order(ring, VertexOrder::random, 5);
  CHECK(labels == locality_order(ring, VertexOrder::random, 5));  // the same seed, the same order
  CHECK(labels != locality_order(ring, VertexOrder::random, 6));
  std::vector<std::uint32_t> sorted(labels);
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) REQUIRE(sorted[i] == i);
  const SocialNetwork shuffled = relabel(ring, labels);
  CHECK(symmetric_sorted_simple(shuffled));
  CHECK(bandwidth(shuffled) > n / 2);  // a ring's bandwidth is 3 (wrapping aside)
}

TEST_CASE("a random order is the permutation it always was", "[network]") {
  // Golden digests of the Fisher-Yates shuffle as first written (one engine, no draws ahead): the
  // shuffle's prefetching must not change which permutation a seed gives, nor so the results of any
  // scenario in random order. Sizes below and above the number of swaps drawn ahead.
  for (const auto& [n, digest] : {std::pair<std::int64_t, std::uint64_t>{10, 165912444915453489ULL},
                                  {17, 8878458891779380140ULL}, {3000, 5593266572544352484ULL},
                                  {100000, 17591868146201642624ULL}}) {
    SocialNetwork vertices_only;
    vertices_only.mean_field = false;
    vertices_only.vertices = n;
    const auto order = locality_order(vertices_only, VertexOrder::random, 5);
    std::uint64_t seen = 0;
    for (const std::uint32_t label : order) seen = seen * 1000003 + label;
    CAPTURE(n);
    CHECK(seen == digest);
  }
}

TEST_CASE("an edge list is read with clear errors", "[network]") {
  const auto path = std::filesystem::temp_directory_path() / ("fulcrum-test-edges-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << "# a triangle and a tail\n0 1\n1 2\n2 0   # closing\n\n2 3\n";
  const auto edges = read_edge_list(path.string(), 4);
  CHECK(edges.size() == 4);
  std::ofstream(path) << "0 1\n1 x\n";
  try {
    read_edge_list(path.string(), 4);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where().line == 2);
    CHECK_THAT(error.what(), Catch::Contains("two vertex ids"));
  }
  std::ofstream(path) << "0 1\n1 9\n";
  CHECK_THROWS_WITH(read_edge_list(path.string(), 4), Catch::Contains(":2:1") && Catch::Contains("[0, 3]"));
  std::filesystem::remove(path);
}
