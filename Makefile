# Thin wrapper over CMake presets: `make run` and `make test` do all the set-up.
PRESET ?= dev
BUILD_DIR := build/$(PRESET)
CMAKE_ARGS ?=

.PHONY: all deps test-deps configure build run test bench fuzz clean format

all: build

# What building and running need; the tests add their peers (scripts/packages/*.txt).
deps:
	@scripts/install-deps.sh run

test-deps:
	@scripts/install-deps.sh run test
	@scripts/install-npm-peers.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then cmake --preset $(PRESET) $(CMAKE_ARGS); fi

build: configure
	cmake --build $(BUILD_DIR) --parallel

# Starts the GUI with the embedded server listening; without a display it explains what to do.
run: build
	@scripts/run-gui.sh $(BUILD_DIR)/app/wsinspector $(ARGS)

# Under the asan preset, LeakSanitizer would report Qt's own process-lifetime allocations.
# test-deps first, then the build: two apt-get runs at once would fight over the lock under -j.
test: test-deps
	@$(MAKE) --no-print-directory build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=0} ctest --output-on-failure --no-label-summary --timeout 300 $(CTEST_ARGS)

bench: test-deps
	@$(MAKE) --no-print-directory build
	tests/bench/run-benchmarks.sh $(BUILD_DIR)

# libFuzzer under clang with ASan and UBSan (tests/fuzz/README.md): builds only the fuzz targets in
# build/fuzz and runs each for FUZZ_SECONDS on a copy of its corpus; FUZZ_TARGETS picks some.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@scripts/install-deps.sh run fuzz
	@if [ ! -f build/fuzz/build.ninja ]; then cmake --preset fuzz; fi
	cmake --build --preset fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzzers.sh build/fuzz $(FUZZ_TARGETS)

format:
	find app widgets models tests -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build
