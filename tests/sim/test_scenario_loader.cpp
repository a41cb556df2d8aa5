#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "sim/error.hpp"
#include "sim/scenario_loader.hpp"

using namespace fulcrum;
namespace fs = std::filesystem;

namespace {

// A scratch folder per test case, removed afterwards.
struct ScratchFolder {
  fs::path path;
  explicit ScratchFolder(const std::string& name) : path(fs::temp_directory_path() / ("fulcrum-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchFolder() { fs::remove_all(path); }
  fs::path write(const std::string& file, const std::string& text) const {
    std::ofstream(path / file) << text;
    return path / file;
  }
};

InputError load_error(const fs::path& file, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(file, overrides);
  } catch (const InputError& error) {
    return error;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a scenario file sets parameters by table and key", "[loader]") {
  ScratchFolder folder("loader-basic");
  const auto file = folder.write("s.toml", "[firm]\nprice = 12\nname = \"Acme\"\n[market]\npopulation = 1e4\n");
  const Scenario scenario = load_scenario(file);
  CHECK(scenario.firm.price == 12.0);  // an integer is accepted for a real parameter
  CHECK(scenario.firm.name == "Acme");
  CHECK(scenario.market.population == 10000);  // 1e4 is accepted for an integer parameter
  CHECK(scenario.firm.unit_cost == default_scenario().firm.unit_cost);
}

TEST_CASE("dotted keys and inline tables reach the same parameters", "[loader]") {
  ScratchFolder folder("loader-dotted");
  const auto file = folder.write("s.toml", "firm.price = 13.5\nadoption = { innovation = 0.01 }\n");
  const Scenario scenario = load_scenario(file);
  CHECK(scenario.firm.price == 13.5);
  CHECK(scenario.adoption.innovation == 0.01);
}

TEST_CASE("extends inherits and the child overrides, through a chain", "[loader]") {
  ScratchFolder folder("loader-extends");
  folder.write("base.toml", "[firm]\nprice = 10\nunit_cost = 3\n");
  folder.write("middle.toml", "extends = \"base.toml\"\n[firm]\nunit_cost = 4\n");
  const auto child = folder.write("child.toml", "extends = \"middle.toml\"\n[firm]\nprice = 11\n");
  const Scenario scenario = load_scenario(child);
  CHECK(scenario.firm.price == 11.0);
  CHECK(scenario.firm.unit_cost == 4.0);
}

TEST_CASE("an unknown key is reported with file, line, column, path and a suggestion", "[loader][bad-input]") {
  ScratchFolder folder("loader-unknown");
  const auto file = folder.write("s.toml", "[firm]\nprice = 10\n  prise = 12\n");
  const InputError error = load_error(file);
  CHECK(error.where().file == file.string());
  CHECK(error.where().line == 3);
  CHECK(error.where().column == 3);
  CHECK(error.parameter_path() == "firm.prise");
  CHECK_THAT(error.what(), Catch::Contains("s.toml:3:3: firm.prise: unknown parameter; did you mean 'firm.price'?"));
}

TEST_CASE("an unknown table is reported with a suggestion", "[loader][bad-input]") {
  ScratchFolder folder("loader-unknown-table");
  const auto file = folder.write("s.toml", "[frim]\nprice = 10\n");
  const InputError error = load_error(file);
  CHECK(error.where().line == 1);
  CHECK_THAT(error.what(), Catch::Contains("frim") && Catch::Contains("did you mean"));
}

TEST_CASE("a value of the wrong type is reported with what was expected", "[loader][bad-input]") {
  ScratchFolder folder("loader-type");
  const auto file = folder.write("s.toml", "[firm]\nprice = \"cheap\"\n");
  const InputError error = load_error(file);
  CHECK(error.where().line == 2);
  CHECK(error.parameter_path() == "firm.price");
  CHECK_THAT(error.what(), Catch::Contains("expected a real number, found a string"));

  const auto fractional = folder.write("f.toml", "[simulation]\nquarters = 2.5\n");
  CHECK_THAT(load_error(fractional).what(), Catch::Contains("expected an integer"));
  const auto table = folder.write("t.toml", "firm = 3\n");
  CHECK_THAT(load_error(table).what(), Catch::Contains("expected a table of parameters"));
}

TEST_CASE("an out-of-range value is reported with its range and unit", "[loader][bad-input]") {
  ScratchFolder folder("loader-range");
  const auto file = folder.write("s.toml", "[firm]\ninitial_active_share = 1.5\n");
  const InputError error = load_error(file);
  CHECK(error.where().line == 2);
  CHECK(error.where().column == 24);
  CHECK_THAT(error.what(), Catch::Contains("firm.initial_active_share") && Catch::Contains("[0.0, 1.0]") &&
                               Catch::Contains("fraction"));
  const auto choice = folder.write("c.toml", "[churn]\npropensity_distribution = \"gamma\"\n");
  CHECK_THAT(load_error(choice).what(), Catch::Contains("beta | fixed"));
}

TEST_CASE("a missing file is reported by name", "[loader][bad-input]") {
  ScratchFolder folder("loader-missing");
  CHECK_THAT(load_error(folder.path / "nowhere.toml").what(), Catch::Contains("does not exist"));
  const auto child = folder.write("child.toml", "extends = \"nowhere.toml\"\n");
  const InputError error = load_error(child);
  CHECK(error.where().file == child.string());  // the extends line that names the missing file
  CHECK(error.where().line == 1);
  CHECK_THAT(error.what(), Catch::Contains("nowhere.toml") && Catch::Contains("does not exist"));
  CHECK_THAT(load_error(folder.path).what(), Catch::Contains("is a directory"));
}

TEST_CASE("cyclic extends is reported with the cycle", "[loader][bad-input]") {
  ScratchFolder folder("loader-cycle");
  folder.write("a.toml", "extends = \"b.toml\"\n");
  folder.write("b.toml", "extends = \"a.toml\"\n");
  const InputError error = load_error(folder.path / "a.toml");
  CHECK_THAT(error.what(), Catch::Contains("cyclic extends: a.toml -> b.toml -> a.toml"));
  const auto self = folder.write("self.toml", "extends = \"self.toml\"\n");
  CHECK_THAT(load_error(self).what(), Catch::Contains("cyclic extends"));
}

TEST_CASE("unparsable TOML is reported at its position", "[loader][bad-input]") {
  ScratchFolder folder("loader-syntax");
  const auto file = folder.write("s.toml", "[firm]\nprice = = 3\n");
  const InputError error = load_error(file);
  CHECK(error.where().line == 2);
  CHECK(error.where().column > 0);
  CHECK_THAT(error.what(), Catch::Contains("not valid TOML"));
}

TEST_CASE("overrides (--set) apply after the files, with clear errors for bad syntax", "[loader][bad-input]") {
  ScratchFolder folder("loader-set");
  const auto file = folder.write("s.toml", "[firm]\nprice = 10\n");
  const Scenario scenario =
      load_scenario(file, {"firm.price=12", "churn.propensity_distribution=fixed", "firm.name = \"Big Co\""});
  CHECK(scenario.firm.price == 12.0);
  CHECK(scenario.churn.propensity_distribution == PropensityDistribution::fixed);
  CHECK(scenario.firm.name == "Big Co");

  CHECK_THAT(load_error(file, {"firm.price"}).what(), Catch::Contains("--set argument 1") && Catch::Contains("path=value"));
  CHECK_THAT(load_error(file, {"firm.prize=3"}).what(), Catch::Contains("did you mean 'firm.price'"));
  CHECK_THAT(load_error(file, {"firm.price=abc"}).what(), Catch::Contains("'abc' is not a real number"));
  CHECK_THAT(load_error(file, {"firm.price="}).what(), Catch::Contains("missing value"));
  CHECK_THAT(load_error(file, {"=3"}).what(), Catch::Contains("missing parameter path"));
  CHECK_THAT(load_error(file, {"firm.price=1", "firm.price=-1"}).what(),
             Catch::Contains("--set argument 2") && Catch::Contains("outside the allowed range"));
}

TEST_CASE("the resolved TOML of a scenario loads back to the same scenario", "[loader]") {
  ScratchFolder folder("loader-roundtrip");
  Scenario scenario = default_scenario();
  scenario.firm.price = 0.1 + 0.2;  // not exactly representable: the text must round-trip anyway
  scenario.firm.name = "Quote \" and backslash \\";
  scenario.churn.propensity_distribution = PropensityDistribution::fixed;
  const auto file = folder.write("resolved.toml", scenario_as_toml(scenario));
  const Scenario loaded = load_scenario(file);
  CHECK(scenario_as_toml(loaded) == scenario_as_toml(scenario));
  CHECK(loaded.firm.price == scenario.firm.price);
}

TEST_CASE("segments inherit the market-wide parameters and override their own", "[loader][segments]") {
  ScratchFolder folder("loader-segments");
  folder.write("base.toml",
               "[customers]\nprice_sensitivity = 2.0\n"
               "[segments.loyal]\nshare = 0.6\nchurn.propensity_alpha = 1.0\n"
               "[segments.bargain]\nshare = 0.4\n[segments.bargain.customers]\nprice_sensitivity = 6.0\n");
  const auto child = folder.write("child.toml", "extends = \"base.toml\"\n[customers]\nspend_per_quarter = 5.0\n");
  const Scenario scenario = load_scenario(child, {"segments.loyal.customers.trust_initial=0.8"});
  REQUIRE(scenario.segments.size() == 2);
  CHECK(scenario.segments[0].name == "loyal");  // file order, not alphabetical
  CHECK(scenario.segments[1].name == "bargain");
  const std::vector<Segment> segments = resolve_segments(scenario);
  CHECK(segments[0].share == 0.6);
  CHECK(segments[0].churn.propensity_alpha == 1.0);
  CHECK(segments[0].customers.trust_initial == 0.8);
  CHECK(segments[0].customers.price_sensitivity == 2.0);
  CHECK(segments[1].customers.price_sensitivity == 6.0);
  CHECK(segments[1].customers.spend_per_quarter == 5.0);  // a market-wide value set by the child reaches both
  CHECK(segments[0].customers.spend_per_quarter == 5.0);
  // The resolved text keeps the segments and loads back to the same scenario.
  const auto resolved = folder.write("resolved.toml", scenario_as_toml(scenario));
  CHECK(scenario_as_toml(load_scenario(resolved)) == scenario_as_toml(scenario));
}

TEST_CASE("a scenario without segments has one segment with the market-wide parameters", "[loader][segments]") {
  Scenario scenario = default_scenario();
  scenario.customers.price_sensitivity = 3.5;  // set after construction: must still reach the segment
  const std::vector<Segment> segments = resolve_segments(scenario);
  REQUIRE(segments.size() == 1);
  CHECK(segments[0].name == "all");
  CHECK(segments[0].share == 1.0);
  CHECK(segments[0].customers.price_sensitivity == 3.5);
}

TEST_CASE("bad segments are reported with the full parameter path", "[loader][segments][bad-input]") {
  ScratchFolder folder("loader-bad-segments");
  const auto typo = folder.write("typo.toml", "[segments.a]\nshare = 1.0\ncustomers.price_sensitivty = 3\n");
  const InputError unknown = load_error(typo);
  CHECK(unknown.where().line == 3);
  CHECK(unknown.parameter_path() == "segments.a.customers.price_sensitivty");
  CHECK_THAT(unknown.what(), Catch::Contains("did you mean 'segments.a.customers.price_sensitivity'?"));

  const auto not_per_segment = folder.write("firm.toml", "[segments.a]\nshare = 1.0\nfirm.price = 3\n");
  CHECK_THAT(load_error(not_per_segment).what(), Catch::Contains("unknown per-segment"));

  const auto missing_share = folder.write("share.toml", "[segments.a]\nshare = 0.5\n[segments.b]\ncustomers.spend_per_quarter = 1\n");
  const InputError share = load_error(missing_share);
  CHECK(share.parameter_path() == "segments.b.share");
  CHECK(share.where().line == 3);
  CHECK_THAT(share.what(), Catch::Contains("every segment needs its share"));

  const auto sum = folder.write("sum.toml", "[segments.a]\nshare = 0.5\n[segments.b]\nshare = 0.4\n");
  CHECK_THAT(load_error(sum).what(), Catch::Contains("must sum to 1") && Catch::Contains("a = 0.5, b = 0.4"));

  const auto ring = folder.write("ring.toml", "[network]\nkind = \"watts_strogatz\"\nmean_degree = 1\n");
  const InputError no_ring = load_error(ring);
  CHECK(no_ring.parameter_path() == "network.mean_degree");
  CHECK_THAT(no_ring.what(), Catch::Contains("needs at least 2, not 1"));
  CHECK_NOTHROW(load_scenario(ring, {"network.mean_degree=2"}));

  const auto range = folder.write("range.toml", "[segments.a]\nshare = 1.0\nchurn.fixed_propensity = 2.0\n");
  const InputError out_of_range = load_error(range);
  CHECK(out_of_range.where().line == 3);
  CHECK(out_of_range.parameter_path() == "segments.a.churn.fixed_propensity");

  const auto not_a_table = folder.write("flat.toml", "[segments]\na = 3\n");
  CHECK_THAT(load_error(not_a_table).what(), Catch::Contains("segments.a: expected a table"));

  const auto valid = folder.write("valid.toml", "[segments.a]\nshare = 1.0\n");
  CHECK_NOTHROW(load_scenario(valid, {"segments.a.churn.fixed_propensity=0.1"}));
  CHECK_THAT(load_error(valid, {"segments.a.churn.fixed_propensity=0.1", "segments.a.customers.nope=1"}).what(),
             Catch::Contains("--set argument 2") && Catch::Contains("did you mean"));
}
