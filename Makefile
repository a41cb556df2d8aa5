# fulcrum: the two commands. Both install missing Debian packages first (scripts/install-deps.sh).
#   make demo  build, run the default scenarios, write out/*.h5, a summary per scenario and out/report.html
#   make test  build, then every test (C++ and end-to-end) through ctest
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DFULCRUM_WITH_MPI=ON
FULCRUM := $(BUILD)/fulcrum
DEMO_SCENARIOS := baseline cases/uber_subsidy cases/cx_annuity cases/jenga_management

.PHONY: demo test build deps docs bench sanitize fuzz clean

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
	  $(FULCRUM) run scenarios/$$scenario.toml -o out/$$name.h5 --force > out/$$name.summary.txt || exit 1; \
	  cat out/$$name.summary.txt; echo; \
	done
	@$(FULCRUM) report $(foreach s,$(DEMO_SCENARIOS),out/$(notdir $(s)).h5) -o out/report.html

test: build sanitize
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The C++ tests again under AddressSanitizer and UndefinedBehaviorSanitizer (any report fails them).
SANITIZE_BUILD ?= build-sanitize
sanitize: deps
	@test -f $(SANITIZE_BUILD)/build.ninja || cmake -S . -B $(SANITIZE_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFULCRUM_SANITIZE=ON -DFULCRUM_PYTHON=OFF -DFULCRUM_WITH_MPI=OFF
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target fulcrum_tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(SANITIZE_BUILD)/tests/fulcrum_tests --order lex

# Fuzzing the scenario and sweep loaders and --set parsing with libFuzzer (clang), for FUZZ_SECONDS.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 120
fuzz: deps
	@test -f $(FUZZ_BUILD)/build.ninja || CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFULCRUM_FUZZ=ON -DFULCRUM_PYTHON=OFF -DFULCRUM_WITH_MPI=OFF -DBUILD_TESTING=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_loader
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/crashes
	@cp scenarios/*.toml scenarios/*/*.toml fuzz/corpus/* $(FUZZ_BUILD)/corpus/ 2>/dev/null || true
	cd $(FUZZ_BUILD) && ./fuzz_loader corpus -max_total_time=$(FUZZ_SECONDS) -timeout=1 -rss_limit_mb=2048 \
	  -artifact_prefix=crashes/ -print_final_stats=1

# Benchmarks (measured, not tested): the customer step against memory bandwidth, NumPy and Numba
# (bench/results/latest.md), then sweep throughput on threads and MPI ranks.
bench: build
	/usr/bin/python3 bench/run_benchmarks.py
	/usr/bin/python3 bench/sweep_throughput.py --runs 96

# Regenerates docs/parameters.md from the registry (a test fails when it is stale).
docs: build
	$(FULCRUM) params --format markdown > docs/parameters.md

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) $(FUZZ_BUILD) out
