#pragma once
// The social network word of mouth travels on. Generated once per ensemble from its own seed (the same
// graph for every replicate), stored in compressed-sparse-row form (or, for a Watts-Strogatz market whose
// totals are kept, as a RingOutline), in the generator's vertex order or relabelled (reverse
// Cuthill-McKee, breadth-first, random) when the scenario asks.
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <boost/random/taus88.hpp>

#include "sim/prefetch.hpp"
#include "sim/scenario.hpp"
#include "sim/uninitialised_allocator.hpp"

namespace fulcrum {

// A Watts-Strogatz ring in the generator's vertex order, kept as the ring it is rather than as rows:
// for each vertex, which of its 2 half ring neighbours are still its neighbours (a bit each) and its
// rewired neighbours (one on average at the usual rewiring), in a 16-byte record. Spreading a voice
// change through rows read the row's offsets and the row (two or three lines at places of their own,
// at 10^7 customers 480 MB of them, each a page walk away); through its record it reads one line, and
// the ring neighbours' totals it adds to are beside its own. Only for networks whose totals are kept
// (the gather reads rows); keep_rows builds the rows when something needs them.
struct RingOutline {
  static constexpr std::uint32_t kMaxHalf = 12;  // the ring bits fit a record's low 24 bits
  static constexpr std::uint32_t kInline = 3;    // rewired neighbours held in the record itself
  struct alignas(16) Record {
    // Bit b < 2 half set: vertex v + ring_step(b) is a neighbour; the top 8 bits count the rewired ones.
    std::uint32_t ring_and_count;
    // The rewired neighbours, ascending: all of them when there are up to kInline, otherwise the first
    // two and, in the last, where the others start in `overflow`.
    std::array<std::uint32_t, kInline> rewired;
  };
  static constexpr std::uint32_t kRingMask = (1U << 24) - 1;  // the top 8 bits: degrees are under 255

  std::uint32_t half = 0;
  std::vector<Record, UninitialisedAllocator<Record>> records;
  std::vector<std::uint32_t> overflow;
  std::uint64_t directed_edges = 0;

  // The ring neighbour bit b stands for: v - half .. v - 1 for b < half, then v + 1 .. v + half.
  [[nodiscard]] std::int64_t ring_step(int b) const {
    return b < static_cast<int>(half) ? b - static_cast<std::int64_t>(half) : b - static_cast<std::int64_t>(half) + 1;
  }
  [[nodiscard]] static std::uint32_t rewired_count(const Record& record) { return record.ring_and_count >> 24; }
  [[nodiscard]] static std::int64_t degree(const Record& record) {
    return std::popcount(record.ring_and_count & kRingMask) + rewired_count(record);
  }
  // Calls visit(u) for each neighbour u of v, the ring's first (in no particular order).
  template <class Visit>
  void visit_neighbours(std::uint32_t v, std::int64_t n, Visit&& visit) const {
    const Record& record = records[v];
    for (std::uint32_t ring = record.ring_and_count & kRingMask; ring != 0; ring &= ring - 1) {
      std::int64_t u = static_cast<std::int64_t>(v) + ring_step(std::countr_zero(ring));
      u += u < 0 ? n : (u >= n ? -n : 0);
      visit(static_cast<std::uint32_t>(u));
    }
    visit_rewired(record, visit);
  }
  // Writes v's neighbours to `row` in ascending order, as its CSR row holds them; returns how many.
  std::size_t write_row(std::uint32_t v, std::int64_t n, std::uint32_t* row) const {
    std::uint32_t* end = row;
    visit_neighbours(v, n, [&end](std::uint32_t u) { *end++ = u; });
    std::sort(row, end);
    return static_cast<std::size_t>(end - row);
  }
  template <class Visit>
  void visit_rewired(const Record& record, Visit&& visit) const {
    const std::uint32_t count = rewired_count(record);
    if (count <= kInline) {
      for (std::uint32_t i = 0; i < count; ++i) visit(record.rewired[i]);
      return;
    }
    visit(record.rewired[0]);
    visit(record.rewired[1]);
    const std::uint32_t* rest = overflow.data() + record.rewired[2];
    for (std::uint32_t i = 0; i + 2 < count; ++i) visit(rest[i]);
  }
};

struct SocialNetwork {
  bool mean_field = true;       // complete graph: everyone hears everyone; no edges stored
  std::int64_t vertices = 0;
  std::vector<std::uint64_t> offsets;     // CSR row starts, vertices + 1 of them (none with an outline)
  // CSR column indices, each undirected edge stored both ways.
  std::vector<std::uint32_t, UninitialisedAllocator<std::uint32_t>> neighbours;
  // Instead of the rows, for a Watts-Strogatz market whose rows nothing needs (see RingOutline).
  RingOutline outline;
  // Each vertex's degree in a byte, kManyNeighbours standing for that many or more (read from the
  // offsets then). What a listed prospect or an active customer hears is its neighbours' total over its
  // degree, and a byte a customer stays in cache (1 MB at 10^6 customers) where the offsets (8 MB) do
  // not: they were a cache miss of their own for each of the 6 million adoption decisions of a run at
  // 10^6. Three bytes more at the end: the perception kernel reads four at a time.
  std::vector<std::uint8_t> degree_bytes;
  static constexpr std::uint8_t kManyNeighbours = 255;

  [[nodiscard]] bool outlined() const { return !outline.records.empty(); }
  [[nodiscard]] std::int64_t degree(std::int64_t vertex) const {
    if (mean_field) return vertices - 1;
    if (outlined()) return RingOutline::degree(outline.records[static_cast<std::size_t>(vertex)]);
    return static_cast<std::int64_t>(offsets[vertex + 1] - offsets[vertex]);
  }
  // Calls visit(u) for each neighbour u of `vertex`: in row order, or in no particular order when
  // outlined (for what does not depend on the order).
  template <class Visit>
  void visit_neighbours(std::int64_t vertex, Visit&& visit) const {
    if (outlined()) {
      outline.visit_neighbours(static_cast<std::uint32_t>(vertex), vertices, visit);
      return;
    }
    for (const std::uint32_t u : neighbours_of(vertex)) visit(u);
  }
  [[nodiscard]] std::span<const std::uint32_t> neighbours_of(std::int64_t vertex) const {
    return {neighbours.data() + offsets[vertex], neighbours.data() + offsets[vertex + 1]};
  }
  // Asks for the neighbour list of `vertex` to be brought into cache. A pass over the customers reads
  // the lists in order but skips those it has no use for, which hides the stream from the hardware
  // prefetcher: a pass calls this a fixed distance ahead of where it reads.
  void prefetch_neighbours(std::int64_t vertex) const {
    if (mean_field || outlined() || vertex >= vertices) return;
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
    if (mean_field) return static_cast<std::uint64_t>(vertices) * static_cast<std::uint64_t>(vertices - 1);
    return outlined() ? outline.directed_edges : neighbours.size();
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
// With `outline`, the same network as a RingOutline without rows, where the ring allows (half at most
// RingOutline::kMaxHalf, no vertex of 255 neighbours or more): the same neighbours and degree bytes.
SocialNetwork watts_strogatz_network(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine,
                                     int threads = 1, bool outline = false);

// The same network with rows (and offsets) instead of an outline: the very rows watts_strogatz_network
// would have built. A copy of a network with rows.
SocialNetwork with_rows(const SocialNetwork& network, int threads = 1);
// The network's outline replaced by its rows (with_rows); nothing for a network with rows.
void keep_rows(SocialNetwork& network, int threads = 1);

// The network of a scenario's market. `block_of` gives each vertex's block (its segment) for the
// stochastic block model; it is relabelled along with the vertices when a locality order is applied.
// With `outline_allowed`, a Watts-Strogatz network in the generator's order comes as a RingOutline
// (for a market whose word of mouth keeps totals: see keep_rows).
SocialNetwork generate_network(const NetworkParameters& parameters, std::int64_t vertices,
                               std::vector<std::uint16_t>& block_of, int threads = 1, bool outline_allowed = false);

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
