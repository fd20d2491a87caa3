# kvm-series: a KVM patch series against mainline Linux (7.3) and the rig that
# builds, boots and tests it. See README.md.
#
#   make                 the main job: both arches, build, boot, test, verdict
#   make check           the rig's own tests, the series checks, the full run
#
# Knobs: ARCH=x86_64|arm64 (default: both), VARIANT=series|base,
#        TESTS="name ...", ACCEL=auto|tcg|kvm, BUILD=build

ARCH ?= x86_64 arm64
VARIANT ?= series
TESTS ?=
ACCEL ?= auto
BUILD ?= build
export VARIANT TESTS ACCEL BUILD

.PHONY: all deps base tree series build run verdict compare full-suite qemu-compare bench check \
	unit-tests series-checks selfcheck clean help

all: run

help:
	@sed -n '1,/^$$/p' Makefile

deps:
	@bash scripts/deps.sh

base: deps
	@bash scripts/base.sh

tree: base
	@bash scripts/tree.sh

series:
	@bash scripts/series.sh

build: tree
	@for a in $(ARCH); do ARCH=$$a bash scripts/build.sh || exit 1; done

# Boot every arch even when one fails, then judge them together.
run: tree
	@rc=0; for a in $(ARCH); do ARCH=$$a bash scripts/run.sh || rc=1; done; \
	bash scripts/verdict.sh $(ARCH) && exit $$rc

verdict:
	@bash scripts/verdict.sh $(ARCH)

compare: tree
	@bash scripts/compare.sh $(ARCH)

# The whole upstream KVM selftest suite on the unpatched base (calibration,
# not part of check).
full-suite: base
	@bash scripts/full-suite.sh $(ARCH)

# The pinned QEMU against another version (default bookworm's 7.2) on the
# same kernels and lists (docs/qemu.md).
qemu-compare: tree
	@bash scripts/qemu-compare.sh $(ARCH)

# Benchmarks (figures, never pass/fail): series / base in one run.
bench: tree
	@bash scripts/bench.sh

unit-tests:
	@bash tests/run-unit-tests.sh

series-checks: tree
	@bash scripts/check-series.sh

selfcheck: tree
	@bash scripts/selfcheck.sh

check: deps
	@ARCH="$(ARCH)" bash scripts/check.sh

clean:
	rm -rf $(BUILD)/out $(BUILD)/logs
