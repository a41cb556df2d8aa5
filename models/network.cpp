#include "models/network.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/graph/small_world_generator.hpp>
#include <boost/random/taus88.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <deque>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <queue>
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
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, std::uint32_t, std::uint64_t>;

// A CSR's edges as (source, target) pairs, read in place: Boost builds its own CSR for reverse
// Cuthill-McKee from these without a copy of every edge as a pair (8 bytes per directed edge at the
// memory peak).
class CsrEdges {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<std::uint32_t, std::uint32_t>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  CsrEdges(const SocialNetwork& network, std::uint64_t edge) : network_(&network), edge_(edge) { settle(); }
  const value_type& operator*() const { return current_; }
  pointer operator->() const { return &current_; }
  CsrEdges& operator++() {
    ++edge_;
    settle();
    return *this;
  }
  CsrEdges operator++(int) {
    CsrEdges before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CsrEdges& other) const { return edge_ == other.edge_; }
  bool operator!=(const CsrEdges& other) const { return edge_ != other.edge_; }

 private:
  void settle() {  // the source is the vertex whose row holds edge_
    while (static_cast<std::int64_t>(source_) < network_->vertices && network_->offsets[source_ + 1] <= edge_) ++source_;
    if (edge_ < network_->neighbours.size()) current_ = {source_, network_->neighbours[edge_]};
  }
  const SocialNetwork* network_;
  std::uint64_t edge_;
  std::uint32_t source_ = 0;
  value_type current_{};
};

std::vector<Edge> erdos_renyi_edges(std::int64_t n, double mean_degree, GraphEngine& engine) {
  const double p = n > 1 ? std::min(1.0, mean_degree / static_cast<double>(n - 1)) : 0.0;
  using Iterator = boost::sorted_erdos_renyi_iterator<GraphEngine, BoostUndirected>;
  std::vector<Edge> edges;
  reserve_populated(edges, static_cast<std::size_t>(static_cast<double>(n) * mean_degree / 2 * 1.05));
  for (Iterator it(engine, static_cast<std::size_t>(n), p), end; it != end; ++it) {
    edges.push_back({static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second)});
  }
  return edges;
}

}  // namespace

std::vector<Edge> watts_strogatz_edges(std::int64_t n, std::int64_t k, double rewiring, boost::random::taus88& engine) {
  // BGL's small_world_iterator, kept from the two cases where it fails: a ring of k < 2 is no ring (it
  // went round the whole ring from every vertex: n^2 edges), and a ring whose window of k/2 either side
  // covers every vertex leaves nowhere to rewire to (it drew forever). Such a ring keeps its edges.
  using Iterator = boost::small_world_iterator<boost::random::taus88, BoostUndirected>;
  std::vector<Edge> edges;
  const std::int64_t half = k / 2;
  if (n < 2 || half < 1) return edges;
  const bool can_rewire = 2 * half + 1 < n;
  reserve_populated(edges, static_cast<std::size_t>(n * half));
  for (Iterator it(engine, static_cast<std::size_t>(n), static_cast<std::size_t>(k), can_rewire ? rewiring : 0.0), end;
       it != end; ++it) {
    edges.push_back({static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second)});
  }
  return edges;
}

namespace {

// Barabási & Albert (1999): each new vertex links to m distinct earlier vertices chosen with
// probability proportional to degree (sampling uniformly from the list of edge endpoints).
std::vector<Edge> barabasi_albert_edges(std::int64_t n, std::int64_t m, GraphEngine& engine) {
  std::vector<Edge> edges;
  std::vector<std::uint32_t> endpoints;
  const std::int64_t seed_vertices = std::min(n, m + 1);
  const auto edge_count = static_cast<std::size_t>(seed_vertices * (seed_vertices - 1) / 2 + (n - seed_vertices) * m);
  reserve_populated(edges, edge_count);
  reserve_populated(endpoints, 2 * edge_count);
  for (std::int64_t a = 0; a < seed_vertices; ++a) {
    for (std::int64_t b = a + 1; b < seed_vertices; ++b) {
      edges.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
      endpoints.push_back(static_cast<std::uint32_t>(a));
      endpoints.push_back(static_cast<std::uint32_t>(b));
    }
  }
  std::vector<std::uint32_t> chosen;
  for (std::int64_t v = seed_vertices; v < n; ++v) {
    chosen.clear();
    while (static_cast<std::int64_t>(chosen.size()) < m) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, endpoints.size() - 1);
      const std::uint32_t target = endpoints[pick(engine)];
      if (std::find(chosen.begin(), chosen.end(), target) == chosen.end()) chosen.push_back(target);
    }
    for (const std::uint32_t target : chosen) {
      edges.push_back({static_cast<std::uint32_t>(v), target});
      endpoints.push_back(static_cast<std::uint32_t>(v));
      endpoints.push_back(target);
    }
  }
  return edges;
}

// A stochastic block model with blocks = segments: each vertex draws mean_degree / 2 edges, a share
// `within` of them to a uniform vertex of its own block, the rest to a uniform vertex of another block.
std::vector<Edge> stochastic_block_edges(std::int64_t n, double mean_degree, double within,
                                         std::span<const std::uint16_t> block_of, GraphEngine& engine) {
  std::uint16_t blocks = 0;
  for (const auto block : block_of) blocks = std::max<std::uint16_t>(blocks, static_cast<std::uint16_t>(block + 1));
  std::vector<std::vector<std::uint32_t>> members(blocks);
  for (std::int64_t v = 0; v < n; ++v) members[block_of[static_cast<std::size_t>(v)]].push_back(static_cast<std::uint32_t>(v));
  std::vector<Edge> edges;
  const double stubs = mean_degree / 2.0;
  const auto whole_stubs = static_cast<std::int64_t>(std::floor(stubs));
  // Mapped ahead, so not more than the edges expected (more is a reallocation, not an error).
  reserve_populated(edges, static_cast<std::size_t>(static_cast<double>(n) * stubs * 1.01) + 1024);
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

// Vertices breadth first from the lowest unvisited vertex of each component; those start vertices,
// in increasing order, go to `starts` when asked for.
std::vector<std::uint32_t> breadth_first_order(const SocialNetwork& network, std::vector<std::uint32_t>* starts) {
  const auto n = static_cast<std::size_t>(network.vertices);
  std::vector<bool> seen(n, false);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (std::size_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    seen[start] = true;
    if (starts != nullptr) starts->push_back(static_cast<std::uint32_t>(start));
    std::size_t head = order.size();
    order.push_back(static_cast<std::uint32_t>(start));
    while (head < order.size()) {
      for (const auto u : network.neighbours_of(order[head++])) {
        if (!seen[u]) {
          seen[u] = true;
          order.push_back(u);
        }
      }
    }
  }
  return order;
}

// The vertices the calling thread of an OpenMP team owns, as {first, count}: the team's share of n.
std::pair<std::size_t, std::size_t> owned_vertices(std::size_t n) {
  const Share share = team_share(n, omp_get_thread_num(), omp_get_num_threads());
  return {share.first, share.end - share.first};
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
  SocialNetwork network;
  network.mean_field = false;
  network.vertices = vertices;
  const auto n = static_cast<std::size_t>(vertices);
  const int team = std::max(1, threads);
  std::vector<std::uint64_t>& offsets = network.offsets;
  reserve_populated(offsets, n + 1);
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
                               std::vector<std::uint16_t>& block_of, int threads) {
  if (parameters.kind == NetworkKind::complete) {
    SocialNetwork network;
    network.vertices = vertices;
    return network;
  }
  GraphEngine engine = graph_engine(parameters.seed, static_cast<std::uint64_t>(parameters.kind));
  const auto degree = static_cast<double>(parameters.mean_degree);
  std::vector<Edge> edges;
  switch (parameters.kind) {
    case NetworkKind::erdos_renyi: edges = erdos_renyi_edges(vertices, degree, engine); break;
    case NetworkKind::watts_strogatz:
      edges = watts_strogatz_edges(vertices, std::min(parameters.mean_degree, vertices - 1), parameters.rewiring, engine);
      break;
    case NetworkKind::barabasi_albert:
      edges = barabasi_albert_edges(vertices, std::max<std::int64_t>(1, parameters.mean_degree / 2), engine);
      break;
    case NetworkKind::stochastic_block:
      edges = stochastic_block_edges(vertices, degree, parameters.within_block_share, block_of, engine);
      break;
    case NetworkKind::edge_list: edges = read_edge_list(parameters.edge_list_file, vertices); break;
    case NetworkKind::complete: break;
  }
  SocialNetwork network = network_from_edges(vertices, std::move(edges), threads);
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
  SocialNetwork relabelled = relabel(network, order);
  network = SocialNetwork{};
  release_freed_memory();
  return relabelled;
}

std::vector<std::uint32_t> locality_order(const SocialNetwork& network, VertexOrder order, std::int64_t seed) {
  if (network.mean_field || order == VertexOrder::as_generated) return {};
  const auto n = static_cast<std::size_t>(network.vertices);
  if (order == VertexOrder::random) {  // Fisher-Yates
    std::vector<std::uint32_t> result(n);
    std::iota(result.begin(), result.end(), 0U);
    GraphEngine engine = graph_engine(seed, kShuffleStream);
    for (std::size_t i = n; i > 1; --i) {
      std::swap(result[i - 1], result[static_cast<std::size_t>(engine() % i)]);
    }
    return result;
  }
  if (order == VertexOrder::reverse_cuthill_mckee) {
    // Boost's own entry point finds each component's lowest vertex by a depth-first search whose stack
    // holds a frame (vertex and two edge iterators) per vertex on the path: on a large Watts-Strogatz
    // graph the path runs through most vertices and set the memory peak. The same vertices, found
    // breadth first, give the same start vertices and so the same order.
    std::vector<std::uint32_t> lowest;
    breadth_first_order(network, &lowest);
    // Vertices fit 32 bits: market.population is at most 10^8.
    const BoostCsr graph(boost::edges_are_sorted, CsrEdges(network, 0), CsrEdges(network, network.neighbours.size()),
                         static_cast<std::uint32_t>(n), network.neighbours.size());
    using Colour = boost::default_color_type;
    std::vector<Colour> colours(n, Colour::white_color);
    const auto colour_map = boost::make_iterator_property_map(colours.data(), boost::get(boost::vertex_index, graph));
    const auto degree_map = boost::make_out_degree_map(graph);
    std::deque<std::uint32_t> starts;
    for (const std::uint32_t vertex : lowest) starts.push_back(boost::find_starting_node(graph, vertex, colour_map, degree_map));
    std::vector<std::uint32_t> result(n);
    boost::cuthill_mckee_ordering(graph, starts, result.rbegin(), colour_map, degree_map);
    return result;
  }
  return breadth_first_order(network, nullptr);
}

SocialNetwork relabel(const SocialNetwork& network, std::span<const std::uint32_t> order) {
  const auto n = static_cast<std::size_t>(network.vertices);
  std::vector<std::uint32_t> new_label(n);
  for (std::size_t i = 0; i < n; ++i) new_label[order[i]] = static_cast<std::uint32_t>(i);
  SocialNetwork result;
  result.mean_field = false;
  result.vertices = network.vertices;
  reserve_populated(result.offsets, n + 1);
  result.offsets.resize(n + 1);
  reserve_populated(result.neighbours, network.neighbours.size());
  result.neighbours.resize(network.neighbours.size());
  std::uint64_t write = 0;
  for (std::size_t i = 0; i < n; ++i) {
    result.offsets[i] = write;
    for (const auto u : network.neighbours_of(order[i])) result.neighbours[write++] = new_label[u];
    std::sort(result.neighbours.begin() + static_cast<std::ptrdiff_t>(result.offsets[i]),
              result.neighbours.begin() + static_cast<std::ptrdiff_t>(write));
  }
  result.offsets[n] = write;
  keep_degree_bytes(result);
  return result;
}

NetworkStatistics measure_network(const SocialNetwork& network, std::span<const std::uint16_t> block_of,
                                  std::int64_t path_sources, std::uint64_t seed, int threads) {
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
