#!/bin/bash
# The standalone A/B of some series patches: A = the base (v7.3.4), B = the
# base with PATCHES applied, on the base's bench kernel, in ORDER (default
# A A B B B B A A twice: a drift of the host weighs on both alike), with the
# series' selftests. Each boot runs the tests of BENCH_FIGURES twice, as
# make bench does (warm-up, then the kept run); A's figures are recorded as
# the base column and B's as the series column, so only figures that
# compare the base and series kernels (figures.ini: no *_kernel line) make
# sense here. The table is printed at the end; the samples go to
# $BUILD/bench/ab-samples.csv.
#   PATCHES="series/0065-*.patch" BENCH_FIGURES=memslot-single ARCH=x86_64 \
#     bash scripts/bench-ab.sh
# The base tree is patched and rebuilt between A and B and put back at the
# end, also when a step fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PROFILE=bench SELFTESTS=series TESTS=
: "${PATCHES:?PATCHES=the patch files of B}"
: "${BENCH_FIGURES:?BENCH_FIGURES=the figures to measure}"
arch=${ARCH:-x86_64}
order=${ORDER:-A A B B B B A A A A B B B B A A}
figs=rig/bench/figures.ini
bench=(python3 rig/bench/bench.py)
tree=$(tree_of base)
out=$BUILD/bench
samples=$out/ab-samples.csv
list=$out/ab-$arch.list
mkdir -p "$out"
rm -f "$samples"

# shellcheck disable=SC2086
patches=$(realpath $PATCHES)
patch_tree() { # apply|revert
	local p
	if [ "$1" = apply ]; then
		for p in $patches; do patch -d "$tree" -p1 -s --no-backup-if-mismatch <"$p"; done
	else
		for p in $(printf '%s\n' "$patches" | tac); do
			patch -d "$tree" -p1 -s -R --no-backup-if-mismatch <"$p"
		done
	fi
}
build() { ARCH=$arch VARIANT=base BUILD_SELFTESTS=0 bash scripts/build.sh; }

load_base
[ -d "$tree" ] || die "no base tree at $tree: run make tree first"
for p in $patches; do
	patch -d "$tree" -p1 -s --dry-run --no-backup-if-mismatch <"$p" >/dev/null ||
		die "$p does not apply to $tree (a mutation or an earlier A/B left in it?)"
done
ARCH=$arch bash scripts/build-selftests.sh
"${bench[@]}" list "$figs" "$arch" "$(selftests_of series "$arch")/kvm" >"$list"
[ -s "$list" ] || die "no test of $BENCH_FIGURES is built for $arch"

state=A
trap '[ "$state" = A ] || { patch_tree revert && build; }' EXIT
build
i=0
for want in $order; do
	i=$((i + 1))
	if [ "$want" != "$state" ]; then
		if [ "$want" = B ]; then patch_tree apply; else patch_tree revert; fi
		state=$want
		build
	fi
	ARCH=$arch VARIANT=base TESTLIST=$list LOG_SUFFIX=-ab$i QUIET=1 SKIP_BUILD=1 \
		BUILD_SELFTESTS=0 bash scripts/run.sh
	serial=$BUILD/logs/$arch-base-ab$i.serial.log
	python3 rig/analyser/analyse.py "$arch=$serial" >"$out/$arch-ab$i.verdict" ||
		die "A/B $arch boot $i ($want) is not clean: $out/$arch-ab$i.verdict"
	"${bench[@]}" extract "$figs" "$arch" "$([ "$want" = A ] && echo base || echo series)" \
		"$i" "$serial" "$samples"
	log "A/B $arch: boot $i ($want) done"
done
"${bench[@]}" table "$figs" "$samples" || true
