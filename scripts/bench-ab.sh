#!/bin/bash
# The standalone A/B of some patches: A = the tree of AB_VARIANT (base, the
# default: v7.3.4; or series: the series tree as it is), B = that tree with
# PATCHES applied, on its bench kernel, in ORDER (default
# A A B B B B A A twice: a drift of the host weighs on both alike), with the
# series' selftests. Each boot runs the tests of BENCH_FIGURES twice, as
# make bench does (warm-up, then the kept run); A's figures are recorded as
# the base column and B's as the series column, so only figures that
# compare the base and series kernels (figures.ini: no *_kernel line) make
# sense here; BENCH_FIGS may name another figures file for a one-off figure
# (default rig/bench/figures.ini). The table is printed at the end; the
# samples go to $BUILD/bench/ab-samples.csv. BENCH_INBOOT=NUM/DEN (two
# figures of the same boots, e.g. single-time/batch-time) also prints
# NUM/DEN read inside each boot (bench.py inboot), which a boot that runs
# slower as a whole does not move.
#   PATCHES="series/0065-*.patch" BENCH_FIGURES=memslot-single ARCH=x86_64 \
#     bash scripts/bench-ab.sh
# The tree is patched and rebuilt between A and B and put back at the end,
# also when a step fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PROFILE=bench SELFTESTS=series TESTS=
: "${PATCHES:?PATCHES=the patch files of B}"
: "${BENCH_FIGURES:?BENCH_FIGURES=the figures to measure}"
arch=${ARCH:-x86_64}
variant=${AB_VARIANT:-base}
case $variant in base | series) ;; *) die "AB_VARIANT=$variant: base or series" ;; esac
order=${ORDER:-A A B B B B A A A A B B B B A A}
export BENCH_FIGS=${BENCH_FIGS:-rig/bench/figures.ini}
export BENCH_SAMPLES=$BUILD/bench/ab-samples.csv
bench=(python3 rig/bench/bench.py)
tree=$(tree_of "$variant")
out=$BUILD/bench
list=$out/ab-$arch.list
mkdir -p "$out"
rm -f "$BENCH_SAMPLES"

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
build() { ARCH=$arch VARIANT=$variant BUILD_SELFTESTS=0 bash scripts/build.sh; }

load_base
[ -d "$tree" ] || die "no $variant tree at $tree: run make tree first"
# The series tree is a git tree: A must be what is committed there.
if [ "$variant" = series ] && [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	die "$tree has uncommitted changes: commit or stash them, A is the committed tree"
fi
for p in $patches; do
	patch -d "$tree" -p1 -s --dry-run --no-backup-if-mismatch <"$p" >/dev/null ||
		die "$p does not apply to $tree (a mutation or an earlier A/B left in it?)"
done
ARCH=$arch bash scripts/build-selftests.sh
"${bench[@]}" list "$BENCH_FIGS" "$arch" "$(selftests_of series "$arch")/kvm" >"$list"
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
	bench_boot ab "$arch" "$variant" "$i" \
		"$([ "$want" = A ] && echo base || echo series)" "$list"
	log "A/B $arch: boot $i ($want) done"
done
"${bench[@]}" table "$BENCH_FIGS" "$BENCH_SAMPLES" || true
if [ -n "${BENCH_INBOOT:-}" ]; then
	"${bench[@]}" inboot "$BENCH_SAMPLES" "${BENCH_INBOOT%/*}" "${BENCH_INBOOT#*/}" || true
fi
