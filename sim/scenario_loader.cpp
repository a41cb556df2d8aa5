#include "sim/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "sim/error.hpp"

namespace fulcrum {
namespace {

namespace fs = std::filesystem;

SourceLocation location_of(const toml::source_region& region, const std::string& file) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

std::string toml_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a real number";
    case toml::node_type::boolean: return "a boolean";
    default: return "a date or time";
  }
}

std::string expected_type(ParameterType type) {
  switch (type) {
    case ParameterType::real: return "a real number";
    case ParameterType::integer: return "an integer";
    case ParameterType::boolean: return "a boolean (true or false)";
    case ParameterType::choice:
    case ParameterType::text: return "a string";
  }
  return "?";
}

std::string did_you_mean(std::string_view path) {
  const std::string suggestion = closest_parameter(path);
  return suggestion.empty() ? std::string{} : fmt::format("; did you mean '{}'?", suggestion);
}

// The value of `node` as the type `spec` wants, or InputError naming what was found instead.
ParameterValue convert(const toml::node& node, const ParameterSpec& spec, const SourceLocation& where) {
  const auto wrong_type = [&]() {
    return InputError(where, spec.path,
                      fmt::format("expected {}, found {}", expected_type(spec.type), toml_type_name(node)));
  };
  switch (spec.type) {
    case ParameterType::real:
      if (const auto* real = node.as_floating_point()) return real->get();
      if (const auto* whole = node.as_integer()) return static_cast<double>(whole->get());
      throw wrong_type();
    case ParameterType::integer:
      if (const auto* whole = node.as_integer()) return whole->get();
      if (const auto* real = node.as_floating_point()) {
        // Accept 1e6 for an integer: people write populations that way. Reject 2.5.
        const double value = real->get();
        if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9.2e18) {
          return static_cast<std::int64_t>(value);
        }
        throw InputError(where, spec.path,
                         fmt::format("expected an integer, found {}", format_value(ParameterValue{value})));
      }
      throw wrong_type();
    case ParameterType::boolean:
      if (const auto* flag = node.as_boolean()) return flag->get();
      throw wrong_type();
    case ParameterType::choice:
    case ParameterType::text:
      if (const auto* string = node.as_string()) return string->get();
      throw wrong_type();
  }
  throw wrong_type();
}

// A file named by a parameter is relative to the folder of the scenario file that names it (or to the
// working directory for --set), and must exist.
ParameterValue resolve_file_path(const ParameterSpec& spec, ParameterValue value, const SourceLocation& where,
                                 const fs::path& relative_to) {
  const auto& name = std::get<std::string>(value);
  if (!spec.is_file_path || name.empty()) return value;
  fs::path path(name);
  if (path.is_relative()) path = relative_to / path;
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    throw InputError(where, spec.path, fmt::format("file '{}' does not exist", path.string()));
  }
  return fs::absolute(path, error).lexically_normal().string();
}

void assign_checked(Scenario& scenario, const ParameterSpec& spec, ParameterValue value,
                    const SourceLocation& where, const fs::path& relative_to = fs::current_path()) {
  if (std::string problem = spec.check(value); !problem.empty()) {
    throw InputError(where, spec.path, std::move(problem));
  }
  if (spec.type == ParameterType::text) value = resolve_file_path(spec, std::move(value), where, relative_to);
  spec.assign(scenario, value);
}

using Overrides = std::vector<std::pair<std::string, ParameterValue>>;

// Sets `path` in a list of overrides, replacing an earlier value and keeping first-appearance order.
void set_override(Overrides& overrides, const std::string& path, ParameterValue value) {
  for (auto& [existing, old] : overrides) {
    if (existing == path) {
      old = std::move(value);
      return;
    }
  }
  overrides.emplace_back(path, std::move(value));
}

// Named groups whose members override some of the scenario's tables: segments (customers.*, churn.*,
// with a share of the population) and competitors (the firm-level tables).
struct GroupKind {
  std::string_view table;   // "segments"
  std::string_view member;  // "segment"
  bool needs_share;
  bool (*admits)(const ParameterSpec&);
};
constexpr GroupKind kSegmentGroup{"segments", "segment", true, [](const ParameterSpec& spec) { return spec.per_segment; }};
constexpr GroupKind kCompetitorGroup{"competitors", "competitor", false, [](const ParameterSpec& spec) { return spec.per_firm; }};

// A member as the files and overrides describe it so far.
struct GroupDraft {
  std::string name;
  SourceLocation first_seen;
  std::optional<double> share;
  Overrides overrides;  // path inside the member -> value
};

struct Loading {
  Scenario scenario = default_scenario();
  std::vector<GroupDraft> segments;     // in order of first appearance
  std::vector<GroupDraft> competitors;  // in order of first appearance

  std::vector<GroupDraft>& drafts(const GroupKind& kind) { return &kind == &kSegmentGroup ? segments : competitors; }
  GroupDraft& member(const GroupKind& kind, const std::string& name, const SourceLocation& where) {
    for (auto& draft : drafts(kind)) {
      if (draft.name == name) return draft;
    }
    drafts(kind).push_back({name, where, std::nullopt, {}});
    return drafts(kind).back();
  }
};

// The spec a path inside a member names ("share", "customers.price_sensitivity"), or nullptr.
const ParameterSpec* member_spec(const GroupKind& kind, const std::string& inner) {
  if (kind.needs_share && inner == "share") return &segment_share_parameter();
  const ParameterSpec* spec = find_parameter(inner);
  return spec && kind.admits(*spec) ? spec : nullptr;
}

bool is_member_table(const GroupKind& kind, const std::string& inner) {
  const std::string with_dot = inner + ".";
  return std::any_of(parameter_registry().begin(), parameter_registry().end(), [&](const ParameterSpec& spec) {
    return kind.admits(spec) && spec.path.starts_with(with_dot);
  });
}

void set_member_value(const GroupKind& kind, GroupDraft& draft, const std::string& inner, ParameterValue value,
                      const ParameterSpec& spec, const SourceLocation& where, const fs::path& relative_to) {
  const std::string full = std::string(kind.table) + "." + draft.name + "." + inner;
  if (std::string problem = spec.check(value); !problem.empty()) throw InputError(where, full, std::move(problem));
  if (&spec == &segment_share_parameter()) {
    draft.share = std::get<double>(value);
    return;
  }
  if (spec.type == ParameterType::text) value = resolve_file_path(spec, std::move(value), where, relative_to);
  set_override(draft.overrides, inner, std::move(value));
}

void apply_member_table(const GroupKind& kind, GroupDraft& draft, const toml::table& table, const std::string& prefix,
                        const std::string& file) {
  for (const auto& [key, node] : table) {
    const std::string inner = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const std::string full = std::string(kind.table) + "." + draft.name + "." + inner;
    if (const ParameterSpec* spec = member_spec(kind, inner)) {
      const SourceLocation where = location_of(node.source(), file);
      set_member_value(kind, draft, inner, convert(node, *spec, where), *spec, where, fs::path(file).parent_path());
    } else if (is_member_table(kind, inner) && node.is_table()) {
      apply_member_table(kind, draft, *node.as_table(), inner, file);
    } else {
      throw InputError(location_of(key.source(), file), full,
                       fmt::format("unknown per-{} {}{}", kind.member, node.is_table() ? "table" : "parameter",
                                   did_you_mean(full)));
    }
  }
}

void apply_group(const GroupKind& kind, Loading& loading, const toml::node& node, const SourceLocation& where,
                 const std::string& file) {
  const auto* members = node.as_table();
  if (!members) {
    throw InputError(where, std::string(kind.table),
                     fmt::format("expected a table of named {}s, found {}", kind.member, toml_type_name(node)));
  }
  // toml++ iterates keys alphabetically; members keep the order in which the file lists them.
  std::vector<std::pair<const toml::key*, const toml::node*>> listed;
  for (const auto& [key, member] : *members) listed.emplace_back(&key, &member);
  std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
    const auto& x = a.first->source().begin;
    const auto& y = b.first->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  for (const auto& [key, member] : listed) {
    const std::string name(key->str());
    const SourceLocation key_location = location_of(key->source(), file);
    const auto* table = member->as_table();
    if (!table) {
      throw InputError(key_location, std::string(kind.table) + "." + name,
                       fmt::format("expected a table (a {} and its parameters), found {}", kind.member,
                                   toml_type_name(*member)));
    }
    apply_member_table(kind, loading.member(kind, name, key_location), *table, "", file);
  }
}

// [counterfactual]: parameter paths (as nested tables or dotted keys) and the values the paired
// alternative takes.
void apply_counterfactual(Loading& loading, const toml::table& table, const std::string& prefix, const std::string& file) {
  for (const auto& [key, node] : table) {
    const std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const std::string full = "counterfactual." + path;
    if (const ParameterSpec* spec = find_parameter(path)) {
      const SourceLocation where = location_of(node.source(), file);
      ParameterValue value = convert(node, *spec, where);
      if (std::string problem = spec->check(value); !problem.empty()) throw InputError(where, full, std::move(problem));
      if (spec->type == ParameterType::text) value = resolve_file_path(*spec, std::move(value), where, fs::path(file).parent_path());
      set_override(loading.scenario.counterfactual, path, std::move(value));
    } else if (is_parameter_table(path) && node.is_table()) {
      apply_counterfactual(loading, *node.as_table(), path, file);
    } else {
      const std::string suggestion = closest_parameter(path);
      throw InputError(location_of(key.source(), file), full,
                       fmt::format("unknown parameter for the counterfactual{}",
                                   suggestion.empty() ? "" : fmt::format("; did you mean 'counterfactual.{}'?", suggestion)));
    }
  }
}

void apply_table(Loading& loading, const toml::table& table, const std::string& prefix, const std::string& file) {
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (prefix.empty() && name == "extends") continue;  // resolved by load_chain before this
    const std::string path = prefix.empty() ? name : prefix + "." + name;
    const SourceLocation key_location = location_of(key.source(), file);
    if (prefix.empty() && (name == kSegmentGroup.table || name == kCompetitorGroup.table)) {
      apply_group(name == kSegmentGroup.table ? kSegmentGroup : kCompetitorGroup, loading, node, key_location, file);
    } else if (prefix.empty() && name == "counterfactual") {
      if (!node.is_table()) {
        throw InputError(key_location, "counterfactual",
                         fmt::format("expected a table of parameter values, found {}", toml_type_name(node)));
      }
      apply_counterfactual(loading, *node.as_table(), "", file);
    } else if (const ParameterSpec* spec = find_parameter(path)) {
      const SourceLocation where = location_of(node.source(), file);
      assign_checked(loading.scenario, *spec, convert(node, *spec, where), where, fs::path(file).parent_path());
    } else if (is_parameter_table(path)) {
      const auto* inner = node.as_table();
      if (!inner) {
        throw InputError(key_location, path, fmt::format("expected a table of parameters, found {}",
                                                         toml_type_name(node)));
      }
      apply_table(loading, *inner, path, file);
    } else {
      throw InputError(key_location, path, fmt::format("unknown {}{}", node.is_table() ? "table" : "parameter",
                                                       did_you_mean(path)));
    }
  }
}

toml::table parse_file(const fs::path& file, const SourceLocation& referenced_from) {
  std::error_code error;
  if (!fs::exists(file, error)) {
    throw InputError(referenced_from, "", fmt::format("scenario file '{}' does not exist", file.string()));
  }
  if (fs::is_directory(file, error)) {
    throw InputError(referenced_from, "", fmt::format("'{}' is a directory, not a scenario file", file.string()));
  }
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw InputError(referenced_from, "", fmt::format("cannot read scenario file '{}'", file.string()));
  }
  std::ostringstream text;
  text << stream.rdbuf();
  try {
    return toml::parse(text.str(), file.string());
  } catch (const toml::parse_error& failure) {
    throw InputError(location_of(failure.source(), file.string()), "",
                     fmt::format("not valid TOML: {}", failure.description()));
  }
}

// Applies `file` after everything it extends, so a child's values override its parent's.
void load_chain(Loading& loading, const fs::path& file, std::vector<fs::path>& chain,
                const SourceLocation& referenced_from) {
  const fs::path canonical = fs::weakly_canonical(file);
  for (const auto& visited : chain) {
    if (visited == canonical) {
      std::string cycle;
      for (const auto& link : chain) cycle += link.filename().string() + " -> ";
      throw InputError(referenced_from, "extends",
                       fmt::format("cyclic extends: {}{}", cycle, canonical.filename().string()));
    }
  }
  const toml::table table = parse_file(file, referenced_from);
  chain.push_back(canonical);
  if (const toml::node* parent = table.get("extends")) {
    const SourceLocation where = location_of(parent->source(), file.string());
    const auto* parent_name = parent->as_string();
    if (!parent_name) {
      throw InputError(where, "extends", fmt::format("expected a file name string, found {}",
                                                     toml_type_name(*parent)));
    }
    load_chain(loading, file.parent_path() / parent_name->get(), chain, where);
  }
  apply_table(loading, table, "", file.string());
  chain.pop_back();
}

// Reads the value of an override as TOML (12, 0.5, true, "beta"); a bare word is accepted for strings.
ParameterValue override_value(const std::string& text, const ParameterSpec& spec, const std::string& path,
                              const SourceLocation& where) {
  toml::table parsed;
  try {
    parsed = toml::parse("value = " + text);
  } catch (const toml::parse_error&) {
    if (spec.type == ParameterType::text || spec.type == ParameterType::choice) return text;
    throw InputError(where, path, fmt::format("'{}' is not {}", text, expected_type(spec.type)));
  }
  return convert(*parsed.get("value"), spec, where);
}

// "path = value" split and trimmed; InputError (with `example`) when there is no '=' or no path.
std::pair<std::string, std::string> split_assignment(std::string_view assignment, const SourceLocation& where,
                                                     const char* example) {
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos) throw InputError(where, "", fmt::format("expected path=value, e.g. {}", example));
  std::string path(assignment.substr(0, equals));
  std::string text(assignment.substr(equals + 1));
  const auto trim = [](std::string& s) {
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
  };
  trim(path);
  trim(text);
  if (path.empty()) throw InputError(where, "", "missing parameter path before '='");
  if (text.empty()) throw InputError(where, path, "missing value after '='");
  return {path, text};
}

void apply_override(Loading& loading, std::string_view assignment, int argument_number) {
  const SourceLocation where{fmt::format("--set argument {} ('{}')", argument_number, assignment)};
  const auto [path, text] = split_assignment(assignment, where, "--set firm.price=12");
  for (const GroupKind* kind : {&kSegmentGroup, &kCompetitorGroup}) {
    const std::string prefix = std::string(kind->table) + ".";
    if (!path.starts_with(prefix)) continue;
    const auto dot = path.find('.', prefix.size());
    const std::string name = path.substr(prefix.size(), dot == std::string::npos ? std::string::npos : dot - prefix.size());
    const std::string inner = dot == std::string::npos ? "" : path.substr(dot + 1);
    const ParameterSpec* spec = member_spec(*kind, inner);
    if (name.empty() || !spec) {
      throw InputError(where, path, fmt::format("unknown per-{} parameter{}", kind->member, did_you_mean(path)));
    }
    set_member_value(*kind, loading.member(*kind, name, where), inner, override_value(text, *spec, path, where), *spec,
                     where, fs::current_path());
    return;
  }
  const ParameterSpec* spec = find_parameter(path);
  if (!spec) throw InputError(where, path, "unknown parameter" + did_you_mean(path));
  assign_checked(loading.scenario, *spec, override_value(text, *spec, path, where), where);
}

// One "path=value" of --counterfactual: a parameter the paired alternative changes.
void apply_counterfactual_override(Loading& loading, std::string_view assignment, int number) {
  const SourceLocation where{fmt::format("--counterfactual assignment {} ('{}')", number, assignment)};
  const auto [path, text] =
      split_assignment(assignment, where, "\"departments.prevention=0; policy.kind=cx_led\" (separate several with ';')");
  const ParameterSpec* spec = find_parameter(path);
  if (!spec) throw InputError(where, path, "unknown parameter" + did_you_mean(path));
  ParameterValue value = override_value(text, *spec, path, where);
  if (std::string problem = spec->check(value); !problem.empty()) throw InputError(where, path, std::move(problem));
  if (spec->type == ParameterType::text) value = resolve_file_path(*spec, std::move(value), where, fs::current_path());
  set_override(loading.scenario.counterfactual, path, std::move(value));
}

// Turns the drafts into the scenario's segment and competitor definitions; every segment needs its share.
void finish_groups(Loading& loading) {
  for (const GroupDraft& draft : loading.segments) {
    if (!draft.share) {
      throw InputError(draft.first_seen, "segments." + draft.name + ".share",
                       "missing: every segment needs its share of the population");
    }
    loading.scenario.segments.push_back({draft.name, *draft.share, draft.overrides});
  }
  for (const GroupDraft& draft : loading.competitors) {
    loading.scenario.competitors.push_back({draft.name, draft.overrides});
  }
}

}  // namespace

void set_parameter(Scenario& scenario, std::string_view path, const ParameterValue& value,
                   const std::string& source) {
  const ParameterSpec* spec = find_parameter(path);
  if (!spec) throw InputError({source}, std::string(path), "unknown parameter" + did_you_mean(path));
  assign_checked(scenario, *spec, value, {source});
}

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides,
                       const std::vector<std::string>& counterfactual) {
  Loading loading;
  std::vector<fs::path> chain;
  load_chain(loading, file, chain, {file.string()});
  int argument_number = 0;
  for (const auto& assignment : overrides) apply_override(loading, assignment, ++argument_number);
  int counterfactual_number = 0;
  for (const auto& assignment : counterfactual) {
    apply_counterfactual_override(loading, assignment, ++counterfactual_number);
  }
  finish_groups(loading);
  check_consistency(loading.scenario, file.string());
  if (!loading.scenario.counterfactual.empty()) check_consistency(counterfactual_of(loading.scenario), file.string() + " (counterfactual)");
  return std::move(loading.scenario);
}

}  // namespace fulcrum
