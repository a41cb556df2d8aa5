# fulcrum: the two commands. Both install missing Debian packages first (scripts/install-deps.sh).
#   make demo  build, run the default scenarios, write out/*.h5, a summary per scenario and out/report.html
#   make test  build, then every test (C++ and end-to-end) through ctest
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DFULCRUM_WITH_MPI=ON
FULCRUM := $(BUILD)/fulcrum
DEMO_SCENARIOS := baseline cases/uber_subsidy cases/cx_annuity cases/jenga_management

.PHONY: demo test build deps docs bench clean

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p out
	@for scenario in $(DEMO_SCENARIOS); do \
	  name=$$(basename $$scenario); \
	  $(FULCRUM) run scenarios/$$scenario.toml -o out/$$name.h5 > out/$$name.summary.txt || exit 1; \
	  cat out/$$name.summary.txt; echo; \
	done
	@$(FULCRUM) report $(foreach s,$(DEMO_SCENARIOS),out/$(notdir $(s)).h5) -o out/report.html

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Benchmarks (measured, not tested): sweep throughput on threads and MPI ranks.
bench: build
	/usr/bin/python3 bench/sweep_throughput.py --runs 96

# Regenerates docs/parameters.md from the registry (a test fails when it is stale).
docs: build
	$(FULCRUM) params --format markdown > docs/parameters.md

clean:
	rm -rf $(BUILD) out
