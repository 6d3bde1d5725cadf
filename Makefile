# Makefile — the short names for building, testing and training scipix.
# CMake does the real work (CMakeLists.txt); this file only drives it.
#   make            build (build/)
#   make demo       recognize the bundled example image
#   make test       build and run the whole test suite
#   make sanitize   the suite again under AddressSanitizer + UBSan (build-asan/)
#   make check      test + sanitize: what CI runs
#   make model      generate training data and train the symbol model
JOBS ?= $(shell nproc)
BUILD ?= build

.PHONY: all build demo test sanitize check model clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/scipix image-info examples/formula.png
	@if [ -f models/symbols.spxm ] || [ -n "$$SCIPIX_MODEL" ]; then \
	  ./$(BUILD)/scipix ocr examples/formula.png && \
	  ./$(BUILD)/scipix ocr --jsonl examples/formula.png; \
	else echo "demo: no model at models/symbols.spxm (run 'make model' or set SCIPIX_MODEL)" >&2; exit 1; fi

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

sanitize:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCIPIX_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) -LE slow

check: test sanitize

clean:
	rm -rf $(BUILD) build-asan
