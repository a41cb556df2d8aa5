#include "models/network.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/graph/small_world_generator.hpp>
#include <boost/random/taus88.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>

#include "sim/error.hpp"
#include "sim/populate.hpp"
#include "sim/rng.hpp"
#include "sim/team.hpp"

namespace fulcrum {
namespace {

// Graph generators draw one number per edge; taus88's three words of state keep that cheap where the
// Mersenne Twister would be copied whole by BGL's small_world_iterator at every draw.
using GraphEngine = boost::random::taus88;

// Streams of the graph engine: the network kinds' own values, and these.
constexpr std::uint64_t kShuffleStream = 100;

GraphEngine graph_engine(std::int64_t seed, std::uint64_t purpose) {
  std::uint64_t h = mix64(mix64(static_cast<std::uint64_t>(seed)) ^ purpose);
  std::array<std::uint32_t, 6> words{};
  for (std::size_t i = 0; i < words.size(); i += 2) {
    h = mix64(h);
    words[i] = static_cast<std::uint32_t>(h) | 0x100u;  // taus88 needs seeds above small bounds
    words[i + 1] = static_cast<std::uint32_t>(h >> 32) | 0x100u;
  }
  boost::random::seed_seq sequence(words.begin(), words.end());
  return GraphEngine(sequence);
}

using BoostUndirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
std::vector<Edge> erdos_renyi_edges(std::int64_t n, double mean_degree, GraphEngine& engine, int threads) {
  const double p = n > 1 ? std::min(1.0, mean_degree / static_cast<double>(n - 1)) : 0.0;
  using Iterator = boost::sorted_erdos_renyi_iterator<GraphEngine, BoostUndirected>;
  std::vector<Edge> edges;
  reserve_populated(edges, static_cast<std::size_t>(static_cast<double>(n) * mean_degree / 2 * 1.05), threads);
  for (Iterator it(engine, static_cast<std::size_t>(n), p), end; it != end; ++it) {
    edges.push_back({static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second)});
  }
  return edges;
}

}  // namespace

std::vector<Edge> watts_strogatz_edges(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine,
                                       int threads) {
  // BGL's small_world_iterator, kept from the two cases where it fails: a ring of k < 2 is no ring (it
  // went round the whole ring from every vertex: n^2 edges), and a ring whose window of k/2 either side
  // covers every vertex leaves nowhere to rewire to (it drew forever). Such a ring keeps its edges.
  using Iterator = boost::small_world_iterator<boost::random::taus88, BoostUndirected>;
  std::vector<Edge> edges;
  const std::int64_t half = k / 2;
  if (n < 2 || half < 1) return edges;
  const bool can_rewire = 2 * half + 1 < n;
  reserve_populated(edges, static_cast<std::size_t>(n * half), threads);
  for (Iterator it(engine, static_cast<std::size_t>(n), static_cast<std::size_t>(k), can_rewire ? rewiring : 0.0), end;
       it != end; ++it) {
    edges.push_back({static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second)});
  }
  return edges;
}

std::vector<Edge> barabasi_albert_edges(std::int64_t n, std::int64_t m, boost::random::taus88& engine, int threads) {
  std::vector<Edge> edges;
  std::vector<std::uint32_t> endpoints;
  const std::int64_t seed_vertices = std::min(n, m + 1);
  const std::int64_t seed_edges = seed_vertices * (seed_vertices - 1) / 2;
  const auto edge_count = static_cast<std::size_t>(seed_edges + (n - seed_vertices) * m);
  reserve_populated(edges, edge_count, threads);
  reserve_populated(endpoints, 2 * edge_count, threads);
  for (std::int64_t a = 0; a < seed_vertices; ++a) {
    for (std::int64_t b = a + 1; b < seed_vertices; ++b) {
      edges.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
      endpoints.push_back(static_cast<std::uint32_t>(a));
      endpoints.push_back(static_cast<std::uint32_t>(b));
    }
  }
  // Every pick reads the endpoints at a random place (800 MB of them at 10^7 customers of degree 10):
  // a cache miss, and the next vertex's picks wait for this one's. Yet the picks of the vertices ahead
  // are known: a copy of the engine draws them, so long as no vertex picks a target twice (a repeat
  // draws again, and every pick after it differs), and asks for their endpoints early. After a repeat
  // the copy starts again from the engine. The picks themselves are the engine's, as they always were.
  constexpr std::int64_t kVerticesAhead = 8;
  const auto endpoints_before = [&](std::int64_t v) { return static_cast<std::size_t>(2 * (seed_edges + (v - seed_vertices) * m)); };
  GraphEngine ahead = engine;
  std::int64_t next_ahead = seed_vertices;  // the vertex `ahead` draws for next
  bool in_step = true;                      // ahead has drawn what the engine will draw
  std::vector<std::uint32_t> chosen;
  for (std::int64_t v = seed_vertices; v < n; ++v) {
    if (!in_step) {
      ahead = engine;
      next_ahead = v;
      in_step = true;
    }
    for (; next_ahead < std::min(n, v + kVerticesAhead); ++next_ahead) {
      boost::random::uniform_int_distribution<std::size_t> pick_ahead(0, endpoints_before(next_ahead) - 1);
      for (std::int64_t j = 0; j < m; ++j) {
        const std::size_t at = pick_ahead(ahead);
        if (at < endpoints.size()) prefetch(endpoints.data() + at);
      }
    }
    boost::random::uniform_int_distribution<std::size_t> pick(0, endpoints.size() - 1);
    chosen.clear();
    std::int64_t picks = 0;
    while (static_cast<std::int64_t>(chosen.size()) < m) {
      const std::uint32_t target = endpoints[pick(engine)];
      ++picks;
      if (std::find(chosen.begin(), chosen.end(), target) == chosen.end()) chosen.push_back(target);
    }
    in_step = picks == m;
    for (const std::uint32_t target : chosen) {
      edges.push_back({static_cast<std::uint32_t>(v), target});
      endpoints.push_back(static_cast<std::uint32_t>(v));
      endpoints.push_back(target);
    }
  }
  return edges;
}

namespace {

// A stochastic block model with blocks = segments: each vertex draws mean_degree / 2 edges, a share
// `within` of them to a uniform vertex of its own block, the rest to a uniform vertex of another block.
std::vector<Edge> stochastic_block_edges(std::int64_t n, double mean_degree, double within,
                                         std::span<const std::uint16_t> block_of, GraphEngine& engine, int threads) {
  std::uint16_t blocks = 0;
  for (const auto block : block_of) blocks = std::max<std::uint16_t>(blocks, static_cast<std::uint16_t>(block + 1));
  std::vector<std::vector<std::uint32_t>> members(blocks);
  for (std::int64_t v = 0; v < n; ++v) members[block_of[static_cast<std::size_t>(v)]].push_back(static_cast<std::uint32_t>(v));
  std::vector<Edge> edges;
  const double stubs = mean_degree / 2.0;
  const auto whole_stubs = static_cast<std::int64_t>(std::floor(stubs));
  // Mapped ahead, so not more than the edges expected (more is a reallocation, not an error).
  reserve_populated(edges, static_cast<std::size_t>(static_cast<double>(n) * stubs * 1.01) + 1024, threads);
  boost::random::uniform_01<double> uniform;
  for (std::int64_t v = 0; v < n; ++v) {
    const std::uint16_t own = block_of[static_cast<std::size_t>(v)];
    const std::int64_t count = whole_stubs + (uniform(engine) < stubs - static_cast<double>(whole_stubs) ? 1 : 0);
    for (std::int64_t s = 0; s < count; ++s) {
      const bool inside = blocks == 1 || uniform(engine) < within;
      std::uint32_t target = 0;
      if (inside) {
        boost::random::uniform_int_distribution<std::size_t> pick(0, members[own].size() - 1);
        target = members[own][pick(engine)];
      } else {
        // A uniform vertex outside the own block: draw among all others, skipping the own block.
        boost::random::uniform_int_distribution<std::int64_t> pick(0, n - static_cast<std::int64_t>(members[own].size()) - 1);
        std::int64_t index = pick(engine);
        for (std::uint16_t b = 0; b < blocks; ++b) {
          if (b == own) continue;
          if (index < static_cast<std::int64_t>(members[b].size())) {
            target = members[b][static_cast<std::size_t>(index)];
            break;
          }
          index -= static_cast<std::int64_t>(members[b].size());
        }
      }
      edges.push_back({static_cast<std::uint32_t>(v), target});
    }
  }
  return edges;
}

// Breadth-first searches that write their queue into `queue` from `tail` on, vertex by vertex in the
// order they are reached, each vertex's unvisited neighbours in row order. A search of a large network
// waits on memory at every vertex: its row, and the marks of its neighbours, are anywhere. The queue
// says which vertices come next, so their misses are started ahead, in three stages (the row's offsets,
// then the row, then the neighbours' marks, each found by the stage before), and overlap.
class Search {
 public:
  // Marks: a vertex is `unvisited` until a search reaches it and marks it `reached`.
  Search(const SocialNetwork& network, std::uint8_t* marks, std::uint32_t* queue)
      : network_(network), marks_(marks), queue_(queue) {}

  // Appends `source` to the queue and marks it; false if it was not `unvisited`.
  bool start(std::uint32_t source, std::uint8_t unvisited, std::uint8_t reached) {
    if (marks_[source] != unvisited) return false;
    marks_[source] = reached;
    queue_[tail_++] = source;
    return true;
  }
  // Takes the vertex at the head of the queue and appends its neighbours marked `unvisited` (marking
  // them `reached`); returns it.
  std::uint32_t visit_next(std::uint8_t unvisited, std::uint8_t reached) {
    constexpr std::size_t kOffsetsAhead = 24;
    constexpr std::size_t kRowsAhead = 12;
    constexpr std::size_t kMarksAhead = 6;
    if (head_ + kOffsetsAhead < tail_) prefetch(network_.offsets.data() + queue_[head_ + kOffsetsAhead]);
    if (head_ + kRowsAhead < tail_) network_.prefetch_neighbours(queue_[head_ + kRowsAhead]);
    if (head_ + kMarksAhead < tail_) {
      for (const std::uint32_t neighbour : network_.neighbours_of(queue_[head_ + kMarksAhead])) prefetch(marks_ + neighbour);
    }
    const std::uint32_t vertex = queue_[head_++];
    for (const std::uint32_t neighbour : network_.neighbours_of(vertex)) {
      if (marks_[neighbour] != unvisited) continue;
      marks_[neighbour] = reached;
      queue_[tail_++] = neighbour;
    }
    return vertex;
  }
  [[nodiscard]] bool done() const { return head_ == tail_; }
  [[nodiscard]] std::size_t head() const { return head_; }
  [[nodiscard]] std::size_t tail() const { return tail_; }
  // Starts the queue afresh at `tail`.
  void restart_at(std::size_t tail) { head_ = tail_ = tail; }

 private:
  const SocialNetwork& network_;
  std::uint8_t* marks_;
  std::uint32_t* queue_;
  std::size_t head_ = 0;
  std::size_t tail_ = 0;
};

// Vertices breadth first from the lowest unvisited vertex of each component.
std::vector<std::uint32_t> breadth_first_order(const SocialNetwork& network) {
  const auto n = static_cast<std::size_t>(network.vertices);
  std::vector<std::uint8_t> marks(n, 0);
  std::vector<std::uint32_t> order(n);
  Search search(network, marks.data(), order.data());
  for (std::size_t lowest = 0; lowest < n; ++lowest) {
    if (!search.start(static_cast<std::uint32_t>(lowest), 0, 1)) continue;
    while (!search.done()) search.visit_next(0, 1);
  }
  return order;
}

// Reverse Cuthill-McKee, vertex for vertex the order Boost's cuthill_mckee_ordering(graph, ...) writes
// through a reverse iterator with out-degrees (Cuthill-McKee's first vertex last), in time linear in the
// network whatever its number of components. Boost marks every vertex anew at each search for a component's
// start vertex, so a network of many components (isolated customers of a sparse random graph) took
// time quadratic in them: at 80,000 customers of mean degree 1, 2 s, hours at 10^7. It also wanted a
// copy of the network in its own form (8 bytes a vertex and 4 an edge more at the peak).
// Each component is taken from its lowest vertex, as Boost's depth-first entry point finds them; the
// searches for its start vertex write their queues into the part of the order the component will fill.
class CuthillMcKee {
 public:
  explicit CuthillMcKee(const SocialNetwork& network)
      : network_(network), marks_(static_cast<std::size_t>(network.vertices), kUnvisited),
        order_(static_cast<std::size_t>(network.vertices)), search_(network, marks_.data(), order_.data()) {}

  std::vector<std::uint32_t> reversed() && {
    const auto n = static_cast<std::size_t>(network_.vertices);
    for (std::size_t lowest = 0; lowest < n; ++lowest) {
      if (marks_[lowest] == kPlaced) continue;
      place_component(starting_vertex(static_cast<std::uint32_t>(lowest)));
    }
    std::reverse(order_.begin(), order_.end());
    return std::move(order_);
  }

 private:
  static constexpr std::uint8_t kUnvisited = 0;
  static constexpr std::uint8_t kReached = 1;  // by a search for a start vertex
  static constexpr std::uint8_t kPlaced = 2;

  [[nodiscard]] std::uint64_t degree(std::uint32_t vertex) const {
    return network_.offsets[vertex + 1] - network_.offsets[vertex];
  }

  struct FarthestLevel {
    std::uint32_t lowest_degree;  // the first vertex of least degree in it
    std::int64_t eccentricity;    // its distance from the search's source
  };
  // Boost's pseudo_peripheral_pair: a breadth-first search from `source`, level by level.
  FarthestLevel farthest_level(std::uint32_t source) {
    const std::size_t first = placed_;
    search_.restart_at(first);
    search_.start(source, kUnvisited, kReached);
    std::int64_t eccentricity = -1;
    std::size_t level_begin = first;
    while (!search_.done()) {
      level_begin = search_.head();
      const std::size_t level_end = search_.tail();
      while (search_.head() < level_end) search_.visit_next(kUnvisited, kReached);
      ++eccentricity;
    }
    std::uint32_t lowest_degree = order_[level_begin];
    for (std::size_t i = level_begin + 1; i < search_.tail(); ++i) {
      if (degree(order_[i]) < degree(lowest_degree)) lowest_degree = order_[i];
    }
    for (std::size_t i = first; i < search_.tail(); ++i) marks_[order_[i]] = kUnvisited;
    return {lowest_degree, eccentricity};
  }

  // Boost's find_starting_node: a pseudo-peripheral vertex of `lowest`'s component.
  std::uint32_t starting_vertex(std::uint32_t lowest) {
    FarthestLevel from_r = farthest_level(lowest);
    std::uint32_t x = from_r.lowest_degree;
    FarthestLevel from_x = farthest_level(x);
    while (from_x.eccentricity > from_r.eccentricity) {
      from_r = from_x;
      x = from_x.lowest_degree;
      from_x = farthest_level(x);
    }
    return x;
  }

  // Boost's breadth-first search with its bfs_rcm_visitor: each vertex's newly reached neighbours sorted
  // by degree with std::sort, as Boost's visitor sorts them (not a stable sort: the same call on the same
  // sequence, for the same order).
  void place_component(std::uint32_t start) {
    search_.restart_at(placed_);
    search_.start(start, kUnvisited, kPlaced);
    const auto by_degree = [this](std::uint32_t a, std::uint32_t b) { return degree(a) < degree(b); };
    while (!search_.done()) {
      const std::size_t children = search_.tail();
      search_.visit_next(kUnvisited, kPlaced);
      std::sort(order_.begin() + static_cast<std::ptrdiff_t>(children), order_.begin() + static_cast<std::ptrdiff_t>(search_.tail()),
                by_degree);
    }
    placed_ = search_.tail();
  }

  const SocialNetwork& network_;
  std::vector<std::uint8_t> marks_;
  std::vector<std::uint32_t> order_;
  Search search_;
  std::size_t placed_ = 0;
};

// The vertices the calling thread of an OpenMP team owns, as {first, count}: the team's share of n.
std::pair<std::size_t, std::size_t> owned_vertices(std::size_t n) {
  const Share share = team_share(n, omp_get_thread_num(), omp_get_num_threads());
  return {share.first, share.end - share.first};
}

// A network of `vertices` (not the complete graph) whose rows are still to be built.
SocialNetwork network_without_rows(std::int64_t vertices) {
  SocialNetwork network;
  network.mean_field = false;
  network.vertices = vertices;
  return network;
}

// Sets network.degree_bytes from its offsets.
void keep_degree_bytes(SocialNetwork& network) {
  const auto n = static_cast<std::size_t>(network.vertices);
  network.degree_bytes.assign(n + 3, 0);
  for (std::size_t v = 0; v < n; ++v) {
    network.degree_bytes[v] = static_cast<std::uint8_t>(
        std::min<std::uint64_t>(network.offsets[v + 1] - network.offsets[v], SocialNetwork::kManyNeighbours));
  }
}

}  // namespace

SocialNetwork network_from_edges(std::int64_t vertices, std::vector<Edge> edges, int threads) {
  // At 10^7 customers the edges are 400 MB and so are the rows: every extra array or pass over them
  // costs this machine's page faults more than the work. So there is no cursor array (each row fills
  // from its end down, the offsets themselves counting), no zeroing of the rows before they are filled,
  // no pass of its own for self-loops, and no copy to shrink the rows unless duplicates were many.
  // Threads each own a range of vertices and read every edge, counting and filling only their own
  // vertices' rows: no two write the same counter or row, and each row gets its neighbours in the same
  // order as with one thread, so the network is the same whatever the threads.
  SocialNetwork network = network_without_rows(vertices);
  const auto n = static_cast<std::size_t>(vertices);
  const int team = std::max(1, threads);
  std::vector<std::uint64_t>& offsets = network.offsets;
  reserve_populated(offsets, n + 1, team);
  offsets.assign(n + 1, 0);
  // Generators give edges by source, so e.a's row is near the last one touched; e.b's is far where an
  // edge was rewired (and everywhere on a scale-free graph): its counter is asked for ahead, when the
  // thread owns it. Far enough ahead to have several far ends in flight where one edge in ten is
  // rewired: 128 edges ahead filled the rows at 10^7 in 1.0 s against 1.18 s 16 ahead.
  constexpr std::size_t kAhead = 128;
  const std::size_t count = edges.size();
#pragma omp parallel num_threads(team)
  {
    const auto [first, size] = owned_vertices(n);
    for (std::size_t k = 0; k < count; ++k) {
      if (k + kAhead < count && edges[k + kAhead].b - first < size) prefetch(offsets.data() + edges[k + kAhead].b + 1);
      const Edge& e = edges[k];
      if (e.a == e.b) continue;  // self-loops are dropped
      if (e.a - first < size) ++offsets[e.a + 1];  // unsigned: below `first` wraps around too
      if (e.b - first < size) ++offsets[e.b + 1];
    }
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());  // offsets[v + 1]: where row v ends
  const std::uint64_t filled = offsets[n];
  reserve_populated(network.neighbours, filled);
  network.neighbours.resize(filled);
  std::uint32_t* neighbours = network.neighbours.data();
  // Last edge first: filling each row from its end down then leaves it in the generator's order, which
  // for most rows is already sorted (the sort below then costs a comparison per neighbour). The far row's
  // counter is asked for 2 * kAhead edges ahead, and the place it points to kAhead ahead (only for a
  // thread's own rows: another's counter is being written).
#pragma omp parallel num_threads(team)
  {
    const auto [first, size] = owned_vertices(n);
    for (std::size_t k = count; k-- > 0;) {
      if (k >= 2 * kAhead && edges[k - 2 * kAhead].b - first < size) prefetch(offsets.data() + edges[k - 2 * kAhead].b + 1);
      if (k >= kAhead && edges[k - kAhead].a != edges[k - kAhead].b && edges[k - kAhead].b - first < size) {
        // Not a self-loop: its row still has a place for it, so the counter is above the row's start.
        prefetch(neighbours + offsets[edges[k - kAhead].b + 1] - 1);
      }
      const Edge& e = edges[k];
      if (e.a == e.b) continue;
      if (e.a - first < size) neighbours[--offsets[e.a + 1]] = e.b;
      if (e.b - first < size) neighbours[--offsets[e.b + 1]] = e.a;
    }
  }
  edges.clear();
  edges.shrink_to_fit();
  // Now offsets[v + 1] is where row v starts. Each row is sorted, and its duplicate edges are dropped:
  // the row's tail after std::unique is marked (no vertex has that number), by the threads side by side;
  // then one pass compacts the rows in place, setting offsets[v] to row v's new start (row v is read
  // from offsets[v + 1] to offsets[v + 2] before either is overwritten).
  constexpr std::uint32_t kDropped = std::numeric_limits<std::uint32_t>::max();
  const auto row_end = [&](std::size_t v) { return v + 1 < n ? offsets[v + 2] : filled; };
#pragma omp parallel for num_threads(team) schedule(static)
  for (std::size_t v = 0; v < n; ++v) {
    std::uint32_t* begin = neighbours + offsets[v + 1];
    std::uint32_t* end = neighbours + row_end(v);
    std::sort(begin, end);
    std::fill(std::unique(begin, end), end, kDropped);
  }
  std::uint64_t write = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint64_t end = row_end(v);
    std::uint64_t read = offsets[v + 1];
    offsets[v] = write;
    while (read < end && neighbours[read] != kDropped) neighbours[write++] = neighbours[read++];
  }
  offsets[n] = write;
  network.neighbours.resize(write);
  // Duplicates are rare in generated graphs (a rewired edge landing on an existing one): their slack is
  // not worth a second copy of every row. An edge list with many repeats is shrunk.
  if (network.neighbours.capacity() - write > write / 16) network.neighbours.shrink_to_fit();
  keep_degree_bytes(network);
  return network;
}

namespace {

// A Watts-Strogatz ring as small_world_iterator draws it, kept compactly: edge (a, a + j mod n) of every
// vertex a and j = 1..half is there unless it was rewired; the rewired ones (one in ten at the usual
// rewiring) are listed with where they went, by a, as drawn. A rewired edge lands outside its source's
// window of half either side, so no rewired edge is a ring edge and none is a self-loop; only rewired
// edges can repeat one another (a to b more than once, b to a too), on small rings above all.
struct RewiredRing {
  std::uint32_t vertices = 0;
  std::uint32_t half = 0;
  std::vector<std::uint64_t> rewired_bits;  // bit a * half + j - 1: edge (a, a + j) was rewired
  std::vector<Edge> rewired;                // {a, where it went}, by a

  [[nodiscard]] bool was_rewired(std::uint64_t a, std::uint64_t j) const {
    const std::uint64_t bit = a * half + j - 1;
    return ((rewired_bits[bit / 64] >> (bit % 64)) & 1U) != 0;
  }
};

RewiredRing draw_rewired_ring(std::uint32_t n, std::uint32_t half, double rewiring, GraphEngine& engine) {
  using Iterator = boost::small_world_iterator<GraphEngine, BoostUndirected>;
  RewiredRing ring{n, half, {}, {}};
  const std::uint64_t edges = std::uint64_t{n} * half;
  ring.rewired_bits.assign((edges + 63) / 64, 0);
  ring.rewired.reserve(static_cast<std::size_t>(static_cast<double>(edges) * rewiring * 1.05) + 64);
  // The iterator gives the edges by source, j = 1..half each: the ring's own target is worked out
  // alongside, and a different one means the edge was rewired.
  std::uint64_t edge = 0;
  std::uint32_t j = 1;
  std::uint32_t ring_target = 1;
  for (Iterator it(engine, n, std::size_t{2} * half, rewiring), end; it != end; ++it, ++edge) {
    const auto target = static_cast<std::uint32_t>(it->second);
    if (target != ring_target) {
      ring.rewired_bits[edge / 64] |= std::uint64_t{1} << (edge % 64);
      ring.rewired.push_back({static_cast<std::uint32_t>(it->first), target});
    }
    if (j == half) {
      j = 1;
      ring_target = static_cast<std::uint32_t>((it->first + 2) % n);
    } else {
      ++j;
      ring_target = ring_target + 1 == n ? 0 : ring_target + 1;
    }
  }
  return ring;
}

// The rewired edges landing on a thread's vertices [first, first + count), as {target, source}, in
// buckets of 256 vertices (bucket b's from bucket_starts[b]), the buckets in vertex order and each
// bucket's entries in target order.
struct LandedEdges {
  static constexpr unsigned kBucketShift = 8;  // 256 vertices a bucket
  std::vector<std::uint64_t> bucket_starts;
  std::vector<Edge> landed;  // {target, source}
};

LandedEdges landed_on(const RewiredRing& ring, std::uint32_t first, std::uint32_t count) {
  LandedEdges result;
  const std::size_t buckets = (std::size_t{count} >> LandedEdges::kBucketShift) + 2;
  result.bucket_starts.assign(buckets, 0);
  for (const Edge& e : ring.rewired) {
    if (e.b - first < count) ++result.bucket_starts[((e.b - first) >> LandedEdges::kBucketShift) + 1];
  }
  std::partial_sum(result.bucket_starts.begin(), result.bucket_starts.end(), result.bucket_starts.begin());
  result.landed.resize(result.bucket_starts.back());
  std::vector<std::uint64_t> cursor(result.bucket_starts.begin(), result.bucket_starts.end() - 1);
  for (const Edge& e : ring.rewired) {
    if (e.b - first < count) result.landed[cursor[(e.b - first) >> LandedEdges::kBucketShift]++] = {e.b, e.a};
  }
  for (std::size_t b = 0; b + 1 < buckets; ++b) {
    std::sort(result.landed.begin() + result.bucket_starts[b], result.landed.begin() + result.bucket_starts[b + 1],
              [](const Edge& x, const Edge& y) { return x.a < y.a; });
  }
  return result;
}

// Vertex v's rewired edges, leaving and landing, appended to `row`: `out` and `in` walk the thread's
// rewired edges leaving and landing, in vertex order.
struct RewiredWalk {
  const Edge* out;
  const Edge* out_end;
  const Edge* in;
  const Edge* in_end;

  void append(std::uint32_t v, std::vector<std::uint32_t>& row) {
    for (; out != out_end && out->a == v; ++out) row.push_back(out->b);
    for (; in != in_end && in->a == v; ++in) row.push_back(in->b);
  }
};

// Vertex v's row, sorted, without duplicates, into `row`; returns its length.
std::size_t ring_row(const RewiredRing& ring, std::uint32_t v, RewiredWalk& walk, std::vector<std::uint32_t>& row) {
  const std::uint32_t n = ring.vertices;
  row.clear();
  for (std::uint32_t j = ring.half; j >= 1; --j) {  // the left side, ascending where it does not wrap
    const std::uint32_t u = v >= j ? v - j : v + n - j;
    if (!ring.was_rewired(u, j)) row.push_back(u);
  }
  for (std::uint32_t j = 1; j <= ring.half; ++j) {
    if (!ring.was_rewired(v, j)) row.push_back(v + j < n ? v + j : v + j - n);
  }
  const std::size_t ring_part = row.size();
  walk.append(v, row);
  // Insertion sort: the ring part is sorted but where it wraps, and the rewired few go into place.
  for (std::size_t k = v < ring.half || v + ring.half >= n ? 1 : ring_part; k < row.size(); ++k) {
    const std::uint32_t x = row[k];
    std::size_t at = k;
    for (; at > 0 && row[at - 1] > x; --at) row[at] = row[at - 1];
    row[at] = x;
  }
  return static_cast<std::size_t>(std::unique(row.begin(), row.end()) - row.begin());
}

// Vertex v's rewired neighbours, leaving and landing, sorted and each once, into `rewired` (none of
// them is a ring neighbour).
void rewired_neighbours(std::uint32_t v, RewiredWalk& walk, std::vector<std::uint32_t>& rewired) {
  rewired.clear();
  walk.append(v, rewired);
  if (rewired.size() > 1) {
    std::sort(rewired.begin(), rewired.end());
    rewired.erase(std::unique(rewired.begin(), rewired.end()), rewired.end());
  }
}

// Whether ring edge (u, u + j mod n) of vertex v's window is still there, for the j-th neighbour on its
// left (`left`) or right.
bool ring_neighbour_kept(const RewiredRing& ring, std::uint32_t v, std::uint32_t j, bool left) {
  if (!left) return !ring.was_rewired(v, j);
  return !ring.was_rewired(v >= j ? v - j : v + ring.vertices - j, j);
}

// The length ring_row gives, without the row: its ring edges counted, and only its rewired ones (none
// of which is a ring edge) sorted, to count each pair once.
std::size_t ring_degree(const RewiredRing& ring, std::uint32_t v, RewiredWalk& walk, std::vector<std::uint32_t>& rewired) {
  std::size_t degree = 0;
  for (std::uint32_t j = 1; j <= ring.half; ++j) {
    degree += ring_neighbour_kept(ring, v, j, false) ? 1 : 0;
    degree += ring_neighbour_kept(ring, v, j, true) ? 1 : 0;
  }
  rewired_neighbours(v, walk, rewired);
  return degree + rewired.size();
}

// Each thread's share of a ring's vertices and the rewired edges landing on them: its walk over the
// rewired edges leaving and landing on its vertices, in vertex order.
struct RingShares {
  const RewiredRing& ring;
  int team;
  std::vector<LandedEdges> landed;

  RingShares(const RewiredRing& ring_, int team_) : ring(ring_), team(team_), landed(static_cast<std::size_t>(team_)) {}
  [[nodiscard]] Share share(int thread) const { return team_share(ring.vertices, thread, team); }
  void land(int thread) {
    const Share of = share(thread);
    landed[static_cast<std::size_t>(thread)] =
        landed_on(ring, static_cast<std::uint32_t>(of.first), static_cast<std::uint32_t>(of.end - of.first));
  }
  [[nodiscard]] RewiredWalk walk(int thread) const {
    const Edge* rewired = ring.rewired.data();
    const LandedEdges& in = landed[static_cast<std::size_t>(thread)];
    return RewiredWalk{std::lower_bound(rewired, rewired + ring.rewired.size(), static_cast<std::uint32_t>(share(thread).first),
                                        [](const Edge& e, std::uint32_t v) { return e.a < v; }),
                       rewired + ring.rewired.size(), in.landed.data(), in.landed.data() + in.landed.size()};
  }
};

// Vertex v's ring bits as a RingOutline record holds them (bit half - j: v - j is still a neighbour;
// bit half - 1 + j: v + j is), j = 1..half. Its right-hand edges are `half` bits in a row.
std::uint32_t kept_ring_bits(const RewiredRing& ring, std::uint32_t v) {
  const std::uint32_t half = ring.half;
  const std::uint64_t first = std::uint64_t{v} * half;
  const std::uint64_t* words = ring.rewired_bits.data();
  std::uint64_t right = words[first / 64] >> (first % 64);
  if (first % 64 + half > 64) right |= words[first / 64 + 1] << (64 - first % 64);
  const std::uint32_t half_mask = (1U << half) - 1;
  std::uint32_t bits = (~static_cast<std::uint32_t>(right) & half_mask) << half;
  for (std::uint32_t j = 1; j <= half; ++j) {
    if (ring_neighbour_kept(ring, v, j, true)) bits |= 1U << (half - j);
  }
  return bits;
}

// Writes the outline of `ring` into network (whose records have room for every vertex) and its degree
// bytes; false, leaving the network to be built with rows, if some vertex has a degree its byte cannot
// hold or the overflow more entries than a record's 32-bit slot can index.
bool outline_ring(const RewiredRing& ring, SocialNetwork& network, int team) {
  RingOutline& outline = network.outline;
  outline.half = ring.half;
  const std::size_t n = ring.vertices;
  outline.records.resize(n);  // within the room mapped
  network.degree_bytes.assign(n + 3, 0);
  RingShares shares(ring, team);
  std::vector<std::vector<std::uint32_t>> overflow(static_cast<std::size_t>(team));
  std::vector<std::vector<std::uint32_t>> overflowing(static_cast<std::size_t>(team));  // vertices using it
  std::vector<std::uint64_t> edges(static_cast<std::size_t>(team), 0);
  std::atomic<bool> fits = true;
  // Each thread's counts and overflow are its own locals until its share is done: the threads' slots of
  // `edges` share a cache line, and adding to them at every vertex took 60 % of this loop's time.
#pragma omp parallel for num_threads(team) schedule(static)
  for (int thread = 0; thread < team; ++thread) {
    shares.land(thread);
    RewiredWalk walk = shares.walk(thread);
    std::vector<std::uint32_t> rewired;
    std::vector<std::uint32_t> own_overflow;
    std::vector<std::uint32_t> own_overflowing;
    std::uint64_t own_edges = 0;
    RingOutline::Record* records = outline.records.data();
    std::uint8_t* degree_bytes = network.degree_bytes.data();
    const Share share = shares.share(thread);
    for (std::size_t v = share.first; v < share.end; ++v) {
      const auto vertex = static_cast<std::uint32_t>(v);
      const std::uint32_t ring_bits = kept_ring_bits(ring, vertex);
      rewired_neighbours(vertex, walk, rewired);
      const std::size_t count = rewired.size();
      const std::size_t degree = static_cast<std::size_t>(std::popcount(ring_bits)) + count;
      // Degrees under 255 only: the hearing reads a degree byte of 255 as "look at the offsets", and an
      // outline has none. The record's 8-bit count of rewired neighbours then holds them too.
      if (degree >= SocialNetwork::kManyNeighbours) {
        fits = false;
        break;
      }
      RingOutline::Record record{ring_bits | static_cast<std::uint32_t>(count) << 24, {}};
      if (count <= RingOutline::kInline) {
        for (std::size_t i = 0; i < count; ++i) record.rewired[i] = rewired[i];
      } else {
        record.rewired = {rewired[0], rewired[1], static_cast<std::uint32_t>(own_overflow.size())};
        own_overflow.insert(own_overflow.end(), rewired.begin() + 2, rewired.end());
        own_overflowing.push_back(vertex);
      }
      records[v] = record;
      degree_bytes[v] = static_cast<std::uint8_t>(degree);
      own_edges += degree;
    }
    const auto t = static_cast<std::size_t>(thread);
    overflow[t] = std::move(own_overflow);
    overflowing[t] = std::move(own_overflowing);
    edges[t] = own_edges;
  }
  std::uint64_t overflowing_entries = 0;  // indexed by the records' 32-bit last slot
  for (const std::vector<std::uint32_t>& entries : overflow) overflowing_entries += entries.size();
  if (!fits || overflowing_entries > std::numeric_limits<std::uint32_t>::max()) {
    network.outline = RingOutline{};
    network.degree_bytes.clear();
    return false;
  }
  for (std::size_t t = 0; t < overflow.size(); ++t) {
    const auto base = static_cast<std::uint32_t>(outline.overflow.size());
    for (const std::uint32_t v : overflowing[t]) outline.records[v].rewired[2] += base;
    outline.overflow.insert(outline.overflow.end(), overflow[t].begin(), overflow[t].end());
    outline.directed_edges += edges[t];
  }
  return true;
}

}  // namespace

SocialNetwork watts_strogatz_network(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine,
                                     int threads, bool outline) {
  const std::int64_t half = k / 2;
  // The rings watts_strogatz_edges keeps unrewired (or cannot draw) and any beyond 32-bit ids.
  if (n < 2 || half < 1 || 2 * half + 1 >= n || n > std::numeric_limits<std::uint32_t>::max() / 2) {
    return network_from_edges(n, watts_strogatz_edges(n, k, rewiring, engine, threads), threads);
  }
  SocialNetwork network = network_without_rows(n);
  const auto vertices = static_cast<std::size_t>(n);
  const int team = std::max(1, threads);
  const bool outlined = outline && half <= static_cast<std::int64_t>(RingOutline::kMaxHalf);
  std::vector<std::uint64_t>& offsets = network.offsets;
  // The ring is drawn on one thread (one stream); meanwhile a second maps and touches the pages of the
  // outline's records, or of the offsets and of the rows, which rewiring does not make longer than
  // 2 n half in all.
  RewiredRing ring;
  const auto room = [&] {
    if (outlined) {
      network.outline.records.reserve(vertices);
      populate_and_touch_pages(network.outline.records.data(), vertices * sizeof(RingOutline::Record));
      return;
    }
    offsets.reserve(vertices + 1);
    network.neighbours.reserve(2 * vertices * static_cast<std::size_t>(half));
    populate_and_touch_pages(offsets.data(), offsets.capacity() * sizeof(std::uint64_t));
    populate_and_touch_pages(network.neighbours.data(), network.neighbours.capacity() * sizeof(std::uint32_t));
  };
#pragma omp parallel num_threads(std::min(team, 2))
  {
    if (omp_get_thread_num() == 0) {
      ring = draw_rewired_ring(static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(half), rewiring, engine);
    }
    if (omp_get_thread_num() == omp_get_num_threads() - 1) room();
  }
  if (outlined && outline_ring(ring, network, team)) return network;
  offsets.assign(vertices + 1, 0);
  RingShares shares(ring, team);
  // One share of the vertices per thread asked for, each taken whole by one of the threads there are.
  // Each counts its own vertices' rows, then (after the offsets are summed) fills them: the rows are
  // sorted and unique, so the network is network_from_edges' for any team.
#pragma omp parallel for num_threads(team) schedule(static)
  for (int thread = 0; thread < team; ++thread) {
    shares.land(thread);
    RewiredWalk walk = shares.walk(thread);
    std::vector<std::uint32_t> rewired;
    const Share share = shares.share(thread);
    for (std::size_t v = share.first; v < share.end; ++v) offsets[v + 1] = ring_degree(ring, static_cast<std::uint32_t>(v), walk, rewired);
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  network.neighbours.resize(offsets[vertices]);  // within the room mapped, unless an outline was tried
  std::uint32_t* neighbours = network.neighbours.data();
#pragma omp parallel for num_threads(team) schedule(static)
  for (int thread = 0; thread < team; ++thread) {
    const Share share = shares.share(thread);
    RewiredWalk walk = shares.walk(thread);
    std::vector<std::uint32_t> row;
    row.reserve(4 * ring.half + 16);
    for (std::size_t v = share.first; v < share.end; ++v) {
      const std::size_t length = ring_row(ring, static_cast<std::uint32_t>(v), walk, row);
      std::copy(row.data(), row.data() + length, neighbours + offsets[v]);
    }
  }
  keep_degree_bytes(network);
  return network;
}

SocialNetwork with_rows(const SocialNetwork& network, int threads) {
  if (!network.outlined()) return network;
  const auto n = static_cast<std::size_t>(network.vertices);
  const int team = std::max(1, threads);
  SocialNetwork rows = network_without_rows(network.vertices);
  rows.degree_bytes = network.degree_bytes;
  std::vector<std::uint64_t>& offsets = rows.offsets;
  offsets.assign(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] = offsets[v] + static_cast<std::uint64_t>(network.degree(static_cast<std::int64_t>(v)));
  reserve_populated(rows.neighbours, offsets[n], team);
  rows.neighbours.resize(offsets[n]);
  std::uint32_t* neighbours = rows.neighbours.data();
#pragma omp parallel for num_threads(team) schedule(static)
  for (std::size_t v = 0; v < n; ++v) {
    network.outline.write_row(static_cast<std::uint32_t>(v), network.vertices, neighbours + offsets[v]);
  }
  return rows;
}

void keep_rows(SocialNetwork& network, int threads) {
  if (network.outlined()) network = with_rows(network, threads);
}

std::vector<Edge> read_edge_list(const std::string& path, std::int64_t vertices) {
  std::ifstream stream(path);
  if (!stream) throw InputError({path}, "network.edge_list_file", "cannot read the edge list file");
  std::vector<Edge> edges;
  std::string line;
  int line_number = 0;
  while (std::getline(stream, line)) {
    ++line_number;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream fields(line);
    long long a = -1, b = -1;
    std::string rest;
    if (!(fields >> a >> b) || (fields >> rest)) {
      throw InputError({path, line_number, 1}, "network.edge_list_file",
                       "expected two vertex ids separated by white space, e.g. \"0 17\"");
    }
    if (a < 0 || b < 0 || a >= vertices || b >= vertices) {
      throw InputError({path, line_number, 1}, "network.edge_list_file",
                       fmt::format("vertex id out of range: ids must lie in [0, {}] (market.population - 1)",
                                   vertices - 1));
    }
    edges.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
  }
  return edges;
}

SocialNetwork generate_network(const NetworkParameters& parameters, std::int64_t vertices,
                               std::vector<std::uint16_t>& block_of, int threads, bool outline_allowed) {
  if (parameters.kind == NetworkKind::complete) {
    SocialNetwork network;
    network.vertices = vertices;
    return network;
  }
  GraphEngine engine = graph_engine(parameters.seed, static_cast<std::uint64_t>(parameters.kind));
  const auto degree = static_cast<double>(parameters.mean_degree);
  std::vector<Edge> edges;
  switch (parameters.kind) {
    case NetworkKind::erdos_renyi: edges = erdos_renyi_edges(vertices, degree, engine, threads); break;
    case NetworkKind::watts_strogatz: break;  // below, without an edge list
    case NetworkKind::barabasi_albert:
      edges = barabasi_albert_edges(vertices, std::max<std::int64_t>(1, parameters.mean_degree / 2), engine, threads);
      break;
    case NetworkKind::stochastic_block:
      edges = stochastic_block_edges(vertices, degree, parameters.within_block_share, block_of, engine, threads);
      break;
    case NetworkKind::edge_list: edges = read_edge_list(parameters.edge_list_file, vertices); break;
    case NetworkKind::complete: break;
  }
  SocialNetwork network =
      parameters.kind == NetworkKind::watts_strogatz
          ? watts_strogatz_network(vertices, std::min(parameters.mean_degree, vertices - 1), parameters.rewiring, engine, threads,
                                   outline_allowed && parameters.order == VertexOrder::as_generated)
          : network_from_edges(vertices, std::move(edges), threads);
  // Relabelling holds two networks and the ordering's arrays at once: the freed pages kept
  // (keep_freed_memory), holes too small for any of them, would only add to that peak, so they are
  // handed back at each step of it, the network relabelled from included (the customers' columns fit
  // in far less).
  if (parameters.order != VertexOrder::as_generated) release_freed_memory();
  const std::vector<std::uint32_t> order = locality_order(network, parameters.order, parameters.seed);
  if (order.empty()) return network;
  const std::vector<std::uint16_t> generated_blocks = block_of;
  for (std::size_t i = 0; i < order.size(); ++i) block_of[i] = generated_blocks[order[i]];
  release_freed_memory();
  SocialNetwork relabelled = relabel(network, order, threads);
  network = SocialNetwork{};
  release_freed_memory();
  return relabelled;
}

std::vector<std::uint32_t> locality_order(const SocialNetwork& network, VertexOrder order, std::int64_t seed) {
  if (network.mean_field || order == VertexOrder::as_generated) return {};
  if (network.outlined()) return locality_order(with_rows(network), order, seed);  // the searches read rows
  const auto n = static_cast<std::size_t>(network.vertices);
  if (order == VertexOrder::random) {  // Fisher-Yates
    std::vector<std::uint32_t> result(n);
    std::iota(result.begin(), result.end(), 0U);
    GraphEngine engine = graph_engine(seed, kShuffleStream);
    // Each swap reaches a random place (40 MB at 10^7 customers): a copy of the engine draws the places
    // of the swaps ahead, which are asked for early. 10^7 customers: 0.30-0.32 s before, 0.21 s after.
    constexpr std::size_t kSwapsAhead = 16;
    GraphEngine ahead = engine;
    for (std::size_t i = n; i > 1 && i + kSwapsAhead > n; --i) prefetch(result.data() + ahead() % i);
    for (std::size_t i = n; i > 1; --i) {
      if (i > kSwapsAhead + 1) prefetch(result.data() + ahead() % (i - kSwapsAhead));
      std::swap(result[i - 1], result[static_cast<std::size_t>(engine() % i)]);
    }
    return result;
  }
  if (order == VertexOrder::reverse_cuthill_mckee) return CuthillMcKee(network).reversed();
  return breadth_first_order(network);
}

SocialNetwork relabel(const SocialNetwork& network, std::span<const std::uint32_t> order, int threads) {
  if (network.outlined()) return relabel(with_rows(network, threads), order, threads);
  // Every new row is an old one from anywhere in memory. Each thread takes a range of old rows, read in
  // order with their neighbours (near each other in the old order), and writes each, relabelled, where
  // its new row starts, asking ahead for those places (the new offsets, then the rows): a store that
  // misses does not hold up the loads behind it as a load would. Each new row is sorted after.
  // 10^7 customers on 2 threads: random order 2.4-2.5 s reading the new rows' old ones ahead, 1.4 s
  // writing them so; reverse Cuthill-McKee 2.0-2.4 s, 1.3-1.7 s (8.4 s on one thread before both).
  const auto n = static_cast<std::size_t>(network.vertices);
  std::vector<std::uint32_t, UninitialisedAllocator<std::uint32_t>> new_label(n);
  SocialNetwork result = network_without_rows(network.vertices);
  const int team = std::max(1, threads);
  reserve_populated(result.offsets, n + 1, team);
  result.offsets.resize(n + 1);
  reserve_populated(result.neighbours, network.neighbours.size(), team);
  result.neighbours.resize(network.neighbours.size());
  std::vector<std::uint64_t> edges_before(static_cast<std::size_t>(team) + 1, 0);  // by thread
  std::uint64_t* offsets = result.offsets.data();
#pragma omp parallel num_threads(team)
  {
    const auto [first, count] = owned_vertices(n);
    const std::size_t end = first + count;
    constexpr std::size_t kOffsetsAhead = 24;
    constexpr std::size_t kRowsAhead = 12;
    std::uint64_t edges = 0;
    for (std::size_t i = first; i < end; ++i) {  // new labels, and each new row's length after its start
      if (i + kOffsetsAhead < end) {
        prefetch(network.offsets.data() + order[i + kOffsetsAhead]);
        prefetch(new_label.data() + order[i + kOffsetsAhead]);
      }
      new_label[order[i]] = static_cast<std::uint32_t>(i);
      const std::uint64_t degree = network.offsets[order[i] + 1] - network.offsets[order[i]];
      offsets[i + 1] = degree;
      edges += degree;
    }
    edges_before[static_cast<std::size_t>(omp_get_thread_num()) + 1] = edges;
#pragma omp barrier
#pragma omp single
    std::partial_sum(edges_before.begin(), edges_before.end(), edges_before.begin());
    // (the single's barrier: every thread's count is in)
    std::uint64_t running = edges_before[static_cast<std::size_t>(omp_get_thread_num())];
    if (first == 0) offsets[0] = 0;
    for (std::size_t i = first; i < end; ++i) {
      running += offsets[i + 1];
      offsets[i + 1] = running;
    }
#pragma omp barrier
    for (std::size_t v = first; v < end; ++v) {
      if (v + kOffsetsAhead < end) prefetch(offsets + new_label[v + kOffsetsAhead]);
      if (v + kRowsAhead < end) prefetch(result.neighbours.data() + offsets[new_label[v + kRowsAhead]]);
      std::uint32_t* write = result.neighbours.data() + offsets[new_label[v]];
      for (const std::uint32_t u : network.neighbours_of(static_cast<std::int64_t>(v))) *write++ = new_label[u];
    }
#pragma omp barrier
    for (std::size_t i = first; i < end; ++i) std::sort(result.neighbours.data() + offsets[i], result.neighbours.data() + offsets[i + 1]);
  }
  keep_degree_bytes(result);
  return result;
}

NetworkStatistics measure_network(const SocialNetwork& network, std::span<const std::uint16_t> block_of,
                                  std::int64_t path_sources, std::uint64_t seed, int threads) {
  if (network.outlined()) return measure_network(with_rows(network, threads), block_of, path_sources, seed, threads);
  NetworkStatistics stats;
  const std::int64_t n = network.vertices;
  stats.vertices = n;
  stats.edges = network.directed_edges() / 2;
  if (network.mean_field) {
    stats.mean_degree = static_cast<double>(n - 1);
    stats.min_degree = stats.max_degree = n - 1;
    stats.clustering = n > 2 ? 1.0 : 0.0;
    stats.mean_path_length = n > 1 ? 1.0 : 0.0;
    stats.largest_component_share = 1.0;
    return stats;
  }
  double sum = 0, sum_squares = 0;
  stats.min_degree = n > 0 ? network.degree(0) : 0;
  for (std::int64_t v = 0; v < n; ++v) {
    const auto d = network.degree(v);
    sum += static_cast<double>(d);
    sum_squares += static_cast<double>(d) * static_cast<double>(d);
    stats.min_degree = std::min(stats.min_degree, d);
    stats.max_degree = std::max(stats.max_degree, d);
  }
  stats.mean_degree = sum / static_cast<double>(n);
  stats.degree_sd = std::sqrt(std::max(0.0, sum_squares / static_cast<double>(n) - stats.mean_degree * stats.mean_degree));
  stats.degree_histogram.assign(static_cast<std::size_t>(stats.max_degree) + 1, 0);
  for (std::int64_t v = 0; v < n; ++v) ++stats.degree_histogram[static_cast<std::size_t>(network.degree(v))];

  // Local clustering: closed pairs among each vertex's neighbours, by merging sorted rows. Summed by
  // fixed runs of vertices, then run after run: the same mean whatever the threads.
  constexpr std::int64_t kRun = 4096;
  std::vector<double> run_sums(static_cast<std::size_t>((n + kRun - 1) / kRun), 0.0);
  const int team = std::max(1, threads);
#pragma omp parallel for num_threads(team) schedule(dynamic)
  for (std::int64_t run = 0; run < static_cast<std::int64_t>(run_sums.size()); ++run) {
    double run_sum = 0;
    for (std::int64_t v = run * kRun; v < std::min(n, (run + 1) * kRun); ++v) {
      const auto row = network.neighbours_of(v);
      const auto d = static_cast<double>(row.size());
      if (row.size() < 2) continue;
      std::uint64_t links = 0;
      for (const auto u : row) {
        const auto other = network.neighbours_of(u);
        auto a = row.begin();
        auto b = other.begin();
        while (a != row.end() && b != other.end()) {
          if (*a < *b) ++a;
          else if (*b < *a) ++b;
          else { ++links; ++a; ++b; }
        }
      }
      run_sum += static_cast<double>(links) / (d * (d - 1));  // each link counted from both ends
    }
    run_sums[static_cast<std::size_t>(run)] = run_sum;
  }
  double clustering_sum = 0;
  for (const double run_sum : run_sums) clustering_sum += run_sum;
  stats.clustering = clustering_sum / static_cast<double>(n);

  // Path length by BFS from sampled sources, side by side; components from the same searches. Distances
  // are whole numbers whose sums stay far below 2^53: exact in doubles, in any order.
  std::vector<std::int64_t> sources;
  if (path_sources >= n) {
    sources.resize(static_cast<std::size_t>(n));
    std::iota(sources.begin(), sources.end(), 0);
  } else {
    RandomEngine engine = make_stream({seed, 0, StreamPurpose::network_statistics, 0, 0, 0});
    boost::random::uniform_int_distribution<std::int64_t> pick(0, n - 1);
    for (std::int64_t i = 0; i < path_sources; ++i) sources.push_back(pick(engine));
  }
  double path_sum = 0;
  double reachable_pairs = 0;
  std::int64_t largest = 0;
#pragma omp parallel num_threads(std::min<int>(team, static_cast<int>(std::max<std::size_t>(1, sources.size())))) \
    reduction(+ : path_sum, reachable_pairs) reduction(max : largest)
  {
    std::vector<std::int32_t> distance(static_cast<std::size_t>(n));
    std::vector<std::uint32_t> queue(static_cast<std::size_t>(n));
#pragma omp for schedule(dynamic)
    for (std::size_t s = 0; s < sources.size(); ++s) {
      const auto source = sources[s];
      std::fill(distance.begin(), distance.end(), -1);
      std::size_t head = 0, tail = 0;
      queue[tail++] = static_cast<std::uint32_t>(source);
      distance[static_cast<std::size_t>(source)] = 0;
      while (head < tail) {
        const auto v = queue[head++];
        for (const auto u : network.neighbours_of(v)) {
          if (distance[u] < 0) {
            distance[u] = distance[v] + 1;
            path_sum += distance[u];
            reachable_pairs += 1;
            queue[tail++] = u;
          }
        }
      }
      largest = std::max<std::int64_t>(largest, static_cast<std::int64_t>(tail));
    }
  }
  stats.path_sources = static_cast<std::int64_t>(sources.size());
  stats.mean_path_length = reachable_pairs > 0 ? path_sum / reachable_pairs : 0.0;
  stats.largest_component_share = static_cast<double>(largest) / static_cast<double>(n);

  if (!block_of.empty()) {
    std::uint64_t within = 0;
    for (std::int64_t v = 0; v < n; ++v) {
      for (const auto u : network.neighbours_of(v)) within += block_of[static_cast<std::size_t>(v)] == block_of[u];
    }
    stats.within_block_edge_share = network.neighbours.empty() ? 0.0 : static_cast<double>(within) / static_cast<double>(network.neighbours.size());
  }
  return stats;
}

}  // namespace fulcrum
