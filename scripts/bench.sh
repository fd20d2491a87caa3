#!/bin/bash
# make bench: the benchmark, series against base, measured in one run.
# Boots the base kernel and the series kernel (x86_64) with the same
# selftest binaries, in the order base, series, series, base (ABBA), so that
# a drift of the host during the run weighs on both sides alike; the figure
# per kernel is the mean of its two boots. The figure (vendor-load) is the
# median finit_module() time of kvm_amd over BENCH_LOADS loads (lower is
# better; issue 5 target: series/base <= 1.05).
# Nothing here passes or fails on a figure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export ARCH=x86_64 SELFTESTS=series TESTS=
loads=${BENCH_LOADS:-40}
list=$BUILD/bench/bench.list
mkdir -p "$BUILD/bench"
cat >"$list" <<LIST
timeout=900 vendor_module_reload_test -b -n $loads -p /lib/modules/kvm-amd.ko
LIST
export TESTLIST=$list

declare -A sum=([base]=0 [series]=0)
i=0
for v in base series series base; do
	i=$((i + 1))
	export LOG_SUFFIX=-bench$i
	# Build once per kernel; later boots reuse it.
	SKIP_BUILD=$([ $i -le 2 ] && echo 0 || echo 1) VARIANT=$v bash scripts/run.sh
	serial=$BUILD/logs/$ARCH-$v$LOG_SUFFIX.serial.log
	grep -q '^ok [0-9]* vendor_module_reload_test' "$serial" ||
		die "$v: vendor_module_reload_test did not pass, see $serial"
	val=$(sed -n 's/.*finit_module() min [0-9]* us, median \([0-9]*\) us.*/\1/p' "$serial")
	[ -n "$val" ] || die "$v: no load time in $serial"
	log "bench boot $i ($v): vendor-load $val"
	sum[$v]=$((sum[$v] + val))
done
awk -v lb="${sum[base]}" -v ls="${sum[series]}" -v n="$loads" 'BEGIN {
	printf "bench vendor-load: kvm_amd finit_module() median of %d loads, mean of 2 boots each (ABBA): base %d us, series %d us, ratio series/base %.3f (lower is better)\n", n, lb / 2, ls / 2, ls / lb
}'
