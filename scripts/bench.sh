#!/bin/bash
# make bench: every figure declared in rig/bench/figures.ini, series against
# base, on the bench kernels (PROFILE=bench: the test config without KASAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP and DEBUG_PREEMPT; configs/
# bench.config), in their own O= directories.
#
# Per arch, rounds of four boots in ABBA order (base, series, series, base),
# so that a drift of the host weighs on both kernels alike; rounds of two
# series boots when every figure measured compares two paths on the series
# kernel (base_kernel = series), since a base boot would add nothing. Each
# boot runs every figure's test twice, a warm-up run and the kept one;
# both go into the samples (column run), the ratios and verdicts are the
# kept runs', and the warm-up runs' ratios are tabled below them. After
# each round, rig/bench/bench.py computes every ratio with its 95% interval
# and the stopping rule decides: at least BENCH_MIN_ROUNDS (2), then stop once
# every interval is within its target width, or at BENCH_MAX_ROUNDS (6),
# saying so. The table is printed at the end and written to
# build/bench/bench.csv, with a PNG per curve figure (README: Benchmarks).
# Nothing here passes or fails on a figure; a boot that is not clean
# (failed test, splat) stops the bench, since its numbers mean nothing.
# BENCH_FIGURES=a,b measures only the figures named (rig/bench/figures.ini).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export PROFILE=bench SELFTESTS=series TESTS=
export BENCH_FIGS=rig/bench/figures.ini BENCH_SAMPLES=$BUILD/bench/samples.csv
bench=(python3 rig/bench/bench.py)
out=$BUILD/bench
least=${BENCH_MIN_ROUNDS:-2}
cap=${BENCH_MAX_ROUNDS:-6}
mkdir -p "$out"
rm -f "$BENCH_SAMPLES" "$out"/*.png
load_base
log "bench: base $BASE_PKG_VERSION (Linux $BASE_KVER); rounds $least..$cap"

for arch in ${ARCH:-x86_64 arm64}; do
	list=$out/bench-$arch.list
	ARCH=$arch bash scripts/build-selftests.sh
	"${bench[@]}" list "$BENCH_FIGS" "$arch" "$(selftests_of series "$arch")/kvm" >"$list"
	if ! [ -s "$list" ]; then
		log "bench $arch: no figure can be measured yet"
		continue
	fi
	kernels=$("${bench[@]}" kernels "$BENCH_FIGS" "$arch")
	log "bench $arch: boots per round: $kernels"
	t0=$(date +%s) i=0 round=0 status=2
	while [ "$status" = 2 ]; do
		round=$((round + 1))
		for v in $kernels; do
			i=$((i + 1))
			# The first boot of each kernel builds it; later ones reuse it.
			bench_boot bench "$arch" "$v" "$i" "$v" "$list" \
				"$([ "$i" -le 2 ] && echo 0 || echo 1)"
		done
		status=0
		"${bench[@]}" table "$BENCH_FIGS" "$BENCH_SAMPLES" --arch "$arch" \
			--round "$round" --rounds "$least:$cap" || status=$?
		case $status in 0 | 2 | 4) ;; *) die "bench $arch: bench.py table failed" ;; esac
	done
	log "bench $arch: $i boots in $(($(date +%s) - t0))s"
done

log "bench: the table (also $out/bench.csv)"
"${bench[@]}" table "$BENCH_FIGS" "$BENCH_SAMPLES" --csv "$out/bench.csv" --plot "$out" || true
