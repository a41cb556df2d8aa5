#pragma once
// The social network word of mouth travels on. Generated once per ensemble from its own seed (the same
// graph for every replicate), stored in compressed-sparse-row form, in the generator's vertex order or
// relabelled (reverse Cuthill-McKee, breadth-first, random) when the scenario asks.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/random/taus88.hpp>

#include "sim/prefetch.hpp"
#include "sim/scenario.hpp"
#include "sim/uninitialised_allocator.hpp"

namespace fulcrum {

struct SocialNetwork {
  bool mean_field = true;       // complete graph: everyone hears everyone; no edges stored
  std::int64_t vertices = 0;
  std::vector<std::uint64_t> offsets;     // CSR row starts, vertices + 1 of them
  // CSR column indices, each undirected edge stored both ways.
  std::vector<std::uint32_t, UninitialisedAllocator<std::uint32_t>> neighbours;
  // Each vertex's degree in a byte, kManyNeighbours standing for that many or more (read from the
  // offsets then). What a listed prospect or an active customer hears is its neighbours' total over its
  // degree, and a byte a customer stays in cache (1 MB at 10^6 customers) where the offsets (8 MB) do
  // not: they were a cache miss of their own for each of the 6 million adoption decisions of a run at
  // 10^6. Three bytes more at the end: the perception kernel reads four at a time.
  std::vector<std::uint8_t> degree_bytes;
  static constexpr std::uint8_t kManyNeighbours = 255;

  [[nodiscard]] std::int64_t degree(std::int64_t vertex) const {
    return mean_field ? vertices - 1 : static_cast<std::int64_t>(offsets[vertex + 1] - offsets[vertex]);
  }
  [[nodiscard]] std::span<const std::uint32_t> neighbours_of(std::int64_t vertex) const {
    return {neighbours.data() + offsets[vertex], neighbours.data() + offsets[vertex + 1]};
  }
  // Asks for the neighbour list of `vertex` to be brought into cache. A pass over the customers reads
  // the lists in order but skips those it has no use for, which hides the stream from the hardware
  // prefetcher: a pass calls this a fixed distance ahead of where it reads.
  void prefetch_neighbours(std::int64_t vertex) const {
    if (mean_field || vertex >= vertices) return;
    const auto v = static_cast<std::size_t>(vertex);
    prefetch_row(neighbours.data() + offsets[v], neighbours.data() + offsets[v + 1]);
  }
  // The same for the row [first, end), for a pass that holds the CSR's arrays itself.
  static void prefetch_row(const std::uint32_t* first, const std::uint32_t* end) {
    // A row of ten neighbours is 40 bytes: more often than not it straddles two cache lines.
    prefetch(first);
    if (end > first + 1) prefetch(end - 1);
  }
  static constexpr std::int64_t kPrefetchDistance = 32;

  [[nodiscard]] std::uint64_t directed_edges() const {
    return mean_field ? static_cast<std::uint64_t>(vertices) * static_cast<std::uint64_t>(vertices - 1)
                      : neighbours.size();
  }
};

struct Edge {
  std::uint32_t a;
  std::uint32_t b;
};

// The Watts-Strogatz edges of `n` vertices on a ring of degree `k` (k/2 each side), each rewired with
// probability `rewiring` to a vertex outside its source's ring window, as Boost's small_world_iterator
// draws them; none when k < 2, and none rewired when the window covers every vertex. Some are
// duplicates when k/2 either side wraps round a small ring. Their pages are mapped by `threads`.
std::vector<Edge> watts_strogatz_edges(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine,
                                       int threads = 1);

// The Barabasi-Albert edges of `n` vertices: a complete seed of m + 1, then each new vertex links to m
// distinct earlier ones, each picked with probability proportional to its degree (uniformly among the
// ends of the edges so far, drawing again on a repeat). Their pages are mapped by `threads`.
std::vector<Edge> barabasi_albert_edges(std::int64_t n, std::int64_t m, boost::random::taus88& engine, int threads = 1);

// Symmetric CSR from undirected edges, whose ids must be below `vertices` (read_edge_list checks a
// file's); self-loops and duplicate edges are dropped. The same network for any number of `threads`.
SocialNetwork network_from_edges(std::int64_t vertices, std::vector<Edge> edges, int threads = 1);

// The same network as network_from_edges(n, watts_strogatz_edges(n, k, rewiring, engine), threads), the
// engine drawing the same numbers, built from the ring and the edges rewired alone: every edge listed
// (400 MB at 10^7 customers of degree 10) cost more in first touches of its pages and in the build's
// reads of it than drawing the ring. Rings too small to rewire go the generic way.
SocialNetwork watts_strogatz_network(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine,
                                     int threads = 1);

// The network of a scenario's market. `block_of` gives each vertex's block (its segment) for the
// stochastic block model; it is relabelled along with the vertices when a locality order is applied.
SocialNetwork generate_network(const NetworkParameters& parameters, std::int64_t vertices,
                               std::vector<std::uint16_t>& block_of, int threads = 1);

// A vertex order, order[new_label] = old_label: locality-improving, or a random permutation drawn with
// `seed` (VertexOrder::random); empty for as_generated.
std::vector<std::uint32_t> locality_order(const SocialNetwork& network, VertexOrder order, std::int64_t seed = 0);
// The same network with vertex `order[i]` relabelled i, built by `threads` (the same for any number).
SocialNetwork relabel(const SocialNetwork& network, std::span<const std::uint32_t> order, int threads = 1);

// Reads "a b" pairs of 0-based vertex ids, one edge per line; '#' starts a comment. InputError with
// the file and line for anything else, or an id outside [0, vertices).
std::vector<Edge> read_edge_list(const std::string& path, std::int64_t vertices);

struct NetworkStatistics {
  std::int64_t vertices = 0;
  std::uint64_t edges = 0;  // undirected
  double mean_degree = 0;
  double degree_sd = 0;
  std::int64_t min_degree = 0;
  std::int64_t max_degree = 0;
  std::vector<std::int64_t> degree_histogram;  // [degree] -> vertices; capped at max_degree
  double clustering = 0;         // mean local clustering coefficient (vertices of degree < 2 count 0)
  double mean_path_length = 0;   // over reachable pairs from the sampled sources
  std::int64_t path_sources = 0; // BFS sources used (all vertices when small)
  double largest_component_share = 0;
  double within_block_edge_share = 0;  // share of edges inside a block (SBM check)
};

// Degree distribution, clustering and path length. Path length uses BFS from `path_sources` vertices
// chosen with `seed` (every vertex when there are no more than that). The same statistics for any
// number of `threads`.
NetworkStatistics measure_network(const SocialNetwork& network, std::span<const std::uint16_t> block_of,
                                  std::int64_t path_sources, std::uint64_t seed, int threads = 1);

}  // namespace fulcrum
