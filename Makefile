# fulcrum: the two commands. Both install missing Debian packages first (scripts/install-deps.sh).
#   make demo  build, run the default scenarios, write out/*.h5 and a summary per scenario
#   make test  build, then every test (C++ and end-to-end) through ctest
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release
FULCRUM := $(BUILD)/fulcrum
DEMO_SCENARIOS := baseline

.PHONY: demo test build deps docs clean

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p out
	@for scenario in $(DEMO_SCENARIOS); do \
	  $(FULCRUM) run scenarios/$$scenario.toml -o out/$$scenario.h5 > out/$$scenario.summary.txt || exit 1; \
	  cat out/$$scenario.summary.txt; \
	done

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Regenerates docs/parameters.md from the registry (a test fails when it is stale).
docs: build
	$(FULCRUM) params --format markdown > docs/parameters.md

clean:
	rm -rf $(BUILD) out
