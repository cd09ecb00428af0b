# MusicSSL: build, test, demo and benchmark entry points.
#
#   make demo      the paper's comparison in miniature: synthetic music, tiny MusicHuBERT and
#                  Music2vec pre-trained, probed against two baselines, Table 1 (≤ 15 min on 2 cores);
#                  `make demo DATA=~/Music` pre-trains on your own folder instead
#   make demo-real the same, pre-trained on a real soundtrack Debian ships (installed with apt)
#   make test      the examples on tiny settings, then the whole test suite (what CI runs through .ci/run)
#   make examples  build and run the programs in Examples/ on tiny settings
#   make bench     GEMM peak, one HuBERT-base Transformer layer, and PyTorch side by side
#   make fixtures  regenerate the PyTorch parity fixtures (needs torch, numpy, safetensors)
#   make docs      the DocC archives of MusicSSLCore, MusicSSLTrain and MusicSSLProbe (offline; warnings fail)
#   make fuzz      libFuzzer (with AddressSanitizer) on every parser of untrusted files, FUZZ_SECONDS
#                  (600) per target, one after another; any finding fails. FUZZ targets:
#                  safetensors npy torch hf-config yaml manifest km csv audio (Fuzz/README.md)
#   make fuzz-smoke the same, 30 s per target (what CI runs)
#
# Only `fixtures` and the PyTorch column of `bench` need Python; `test` and `demo` do not.

SWIFT ?= swift
# A Python outside the repository with torch, numpy and safetensors (and transformers).
PYTHON ?= /work/venv/bin/python
# The Python the benchmark starts for the PyTorch reference column; empty to skip it.
MSL_BENCH_PYTHON ?= /work/venv/bin/python

# Debian packages behind the system-library targets (CBLAS, CFFTW, CSndFile, CSampleRate, CCrypto,
# CMPI) and Open MPI's launcher, mpirun.
DEB_PACKAGES := libopenblas-dev libfftw3-dev libsndfile1-dev libsamplerate0-dev libssl-dev libopenmpi-dev openmpi-bin pkg-config

# Build configuration of `make test`. From a fresh clone a debug build plus the suite finishes
# first (measured with 338 tests: 56 s against 87 s for release, whose extra build time a suite
# of 12.8 s in debug, 3.2 s in release, does not win back). `make test TEST_CONFIGURATION=release` runs it
# optimised, which pays once the suite's debug runtime grows by about 20 s more than release's.
TEST_CONFIGURATION ?= debug
ifeq ($(TEST_CONFIGURATION),release)
TEST_FLAGS := -c release -Xswiftc -enable-testing
else
TEST_FLAGS := -c debug
endif

# Updates of the CustomObjective example under `make examples`: enough to run every part and
# lower each loss, in seconds in a debug build (its default of 600 shows the model learning).
EXAMPLE_STEPS ?= 30

# Shell commands that install the Debian packages $(1) as root, or through sudo, for target $(2).
apt_install = if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "$(2): need root or sudo to install $(1)" >&2; exit 1; fi; \
	$$sudo apt-get update \
	&& $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		$(1) </dev/null

.PHONY: deps build test examples demo demo-real bench fixtures docs fuzz fuzz-smoke clean

deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
		for package in $(DEB_PACKAGES); do \
			dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
				|| missing="$$missing $$package"; \
		done; \
	else \
		for module in openblas fftw3f sndfile samplerate libcrypto ompi-c; do \
			pkg-config --exists $$module 2>/dev/null || missing="$$missing $$module"; \
		done; \
		if [ -n "$$missing" ]; then \
			echo "deps: missing$$missing; install them with your system's package manager" >&2; \
			exit 1; \
		fi; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		$(call apt_install,$(DEB_PACKAGES),deps); \
	fi

build: deps
	$(SWIFT) build -c release

# The examples run first so that Swift Testing's summary line stays the last line of the run.
test: deps examples
	$(SWIFT) test $(TEST_FLAGS)

# Same build configuration as `test`, so the two share one build.
# probe-checkpoint probes the tiny HubertModel that transformers wrote for the parity tests;
# Examples/UsingMusicSSL is a package of its own that depends on this one by path.
examples: deps
	$(SWIFT) run $(TEST_FLAGS) encoder-features
	$(SWIFT) run $(TEST_FLAGS) custom-objective --steps $(EXAMPLE_STEPS)
	$(SWIFT) run $(TEST_FLAGS) probe-checkpoint Tests/MusicSSLCoreTests/Fixtures/hf_hubert_bin --epochs 5 --items 24
	$(SWIFT) run --package-path Examples/UsingMusicSSL $(TEST_FLAGS) clip-embedding

# The demo's folder, and DATA: a folder of your own music to pre-train on (optional).
DEMO_OUTPUT ?= demo-output
DATA ?=

demo: deps
	$(SWIFT) build -c release --product msl
	$(SWIFT) run -c release --skip-build msl demo -o "$(DEMO_OUTPUT)" $(if $(DATA),--corpus "$(DATA)")

# The demo pre-trained on real recordings: Debian's wesnoth-1.16-music (section main, GPL-2+; 41
# orchestral tracks of Battle for Wesnoth's soundtrack, a 153 MB download) installed with apt.
REAL_MUSIC := /usr/share/games/wesnoth/1.16/data/core/music

demo-real: deps
	@if [ ! -d "$(REAL_MUSIC)" ]; then \
		echo "demo-real: installing wesnoth-1.16-music (153 MB)"; \
		$(call apt_install,wesnoth-1.16-music,demo-real); \
	fi
	$(MAKE) demo DATA="$(REAL_MUSIC)" DEMO_OUTPUT="$(DEMO_OUTPUT)-real"
	@# As root the corpus scan keeps its duration index beside the corpus: not in a package's folder.
	rm -f "$(REAL_MUSIC)/.musicssl-index.json"

bench: deps
	$(SWIFT) build -c release --product msl-bench
	MSL_BENCH_PYTHON="$(MSL_BENCH_PYTHON)" $(SWIFT) run -c release --skip-build msl-bench

# DocC archives (swift-docc-plugin) in $(DOCS_OUTPUT), one per library; a broken symbol link or
# any other DocC warning fails the target. Undocumented parameters are not checked (many
# initialisers document their arguments on the properties instead). The symbol graphs come
# from the debug build, so after `make test` this takes about 17 s on 2 cores.
DOCS_OUTPUT ?= .build/documentation
DOCS_TARGETS := MusicSSLCore MusicSSLTrain MusicSSLProbe

docs: deps
	$(SWIFT) package --disable-sandbox generate-documentation \
		$(foreach target,$(DOCS_TARGETS),--target $(target)) \
		--output-path $(DOCS_OUTPUT) --warnings-as-errors --disable-parameters-and-returns-validation
	@echo "docs: open $(DOCS_OUTPUT)/<Target>.doccarchive, or preview one with"
	@echo "      swift package --disable-sandbox preview-documentation --target MusicSSLCore"

# Fuzzing (Fuzz/README.md): the separate package Fuzz/ builds msl-fuzz with libFuzzer and
# AddressSanitizer; each target runs alone for FUZZ_SECONDS on a work corpus under
# .build/fuzz/<target> seeded from Fuzz/Corpus/<target>. A single allocation over 512 MB, an RSS
# over 2 GB, or an input taking over 10 s is a finding, as is any crash or leak; findings are
# written to .build/fuzz/findings/<target>/ and fail the target. Fuzz/lsan.supp holds the one
# leak suppressed: swift-foundation's, reading an empty file.
FUZZ_TARGETS := safetensors npy torch hf-config yaml manifest km csv audio
FUZZ_SECONDS ?= 600
FUZZ_BIN := Fuzz/.build/release/msl-fuzz
# SwiftPM hands swiftc `-sanitize=fuzzer` and `-sanitize=address` as two flags, and the last one
# wins: Swift code would get no coverage counters. The combined flag, passed last, restores them.
FUZZ_BUILD_FLAGS := --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
FUZZ_FLAGS := -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1

fuzz: deps
	$(SWIFT) build --package-path Fuzz -c release $(FUZZ_BUILD_FLAGS)
	@set -e; failed=""; for target in $(FUZZ_TARGETS); do \
		work=.build/fuzz/$$target; findings=.build/fuzz/findings/$$target; \
		mkdir -p $$work $$findings; \
		echo "fuzz: $$target for $(FUZZ_SECONDS) s"; \
		if ! LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan.supp SWIFT_BACKTRACE=enable=no \
			MSL_FUZZ_TARGET=$$target $(FUZZ_BIN) \
			-max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) -artifact_prefix=$$findings/ \
			$$work Fuzz/Corpus/$$target > .build/fuzz/$$target.log 2>&1; then \
			failed="$$failed $$target"; \
			tail -n 40 .build/fuzz/$$target.log; \
		fi; \
		grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+.*DONE)' \
			.build/fuzz/$$target.log | tr '\n' ' '; echo; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: findings in$$failed (inputs in .build/fuzz/findings/; logs .build/fuzz/*.log)" >&2; \
		exit 1; \
	fi

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=30

fixtures:
	@set -e; for script in Tests/FixtureGenerators/*.py; do \
		[ -e "$$script" ] || continue; \
		echo "$(PYTHON) $$script"; \
		"$(PYTHON)" "$$script"; \
	done

clean:
	rm -rf .build
