#!/bin/bash
# make bench: the issue 5 benchmark. Boots the base kernel and the series
# kernel (x86_64) with the same selftest binary, which unloads and loads
# kvm_amd BENCH_LOADS times without any disturbance and prints the median
# finit_module() time. The boots go base, series, series, base (ABBA), so
# that a drift of the host during the run weighs on both sides alike; the
# figure per kernel is the mean of its two medians.
# A benchmark, not a test: nothing here passes or fails on the figure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export ARCH=x86_64 SELFTESTS=series TESTS=
loads=${BENCH_LOADS:-40}
list=$BUILD/bench/vendor-load.list
mkdir -p "$BUILD/bench"
echo "timeout=900 vendor_module_reload_test -b -n $loads -p /lib/modules/kvm-amd.ko" >"$list"
export TESTLIST=$list

declare -A sum=([base]=0 [series]=0)
i=0
for v in base series series base; do
	i=$((i + 1))
	export LOG_SUFFIX=-bench$i
	# Build once per kernel; later boots reuse it.
	SKIP_BUILD=$([ $i -le 2 ] && echo 0 || echo 1) VARIANT=$v bash scripts/run.sh
	serial=$BUILD/logs/$ARCH-$v$LOG_SUFFIX.serial.log
	grep -q '^ok 1 vendor_module_reload_test' "$serial" ||
		die "$v: the benchmark did not pass, see $serial"
	m=$(sed -n 's/.*finit_module() min [0-9]* us, median \([0-9]*\) us.*/\1/p' "$serial")
	[ -n "$m" ] || die "$v: no load time in $serial"
	log "bench boot $i ($v): median $m us"
	sum[$v]=$((sum[$v] + m))
done
awk -v b="${sum[base]}" -v s="${sum[series]}" -v n="$loads" 'BEGIN {
	printf "bench vendor-load: kvm_amd finit_module(), mean of two medians of %d loads (boots base, series, series, base): base %d us, series %d us, ratio series/base %.3f\n", n, b / 2, s / 2, s / b
}'
