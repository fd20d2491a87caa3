#!/bin/bash
# make bench: the issue 5 benchmark. Boots the base kernel and then the
# series kernel (x86_64) with the same selftest binary, which unloads and
# loads kvm_amd BENCH_LOADS times without any disturbance and prints the
# median finit_module() time; prints both medians and series / base.
# A benchmark, not a test: nothing here passes or fails on the figure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export ARCH=x86_64 SELFTESTS=series LOG_SUFFIX=-bench TESTS=
loads=${BENCH_LOADS:-40}
list=$BUILD/bench/vendor-load.list
mkdir -p "$BUILD/bench"
echo "timeout=900 vendor_module_reload_test -b -n $loads -p /lib/modules/kvm-amd.ko" >"$list"
export TESTLIST=$list

declare -A median
for v in base series; do
	VARIANT=$v bash scripts/run.sh
	serial=$BUILD/logs/$ARCH-$v$LOG_SUFFIX.serial.log
	grep -q '^ok 1 vendor_module_reload_test' "$serial" ||
		die "$v: the benchmark did not pass, see $serial"
	median[$v]=$(sed -n 's/.*finit_module() min [0-9]* us, median \([0-9]*\) us.*/\1/p' "$serial")
	[ -n "${median[$v]}" ] || die "$v: no load time in $serial"
done
awk -v b="${median[base]}" -v s="${median[series]}" -v n="$loads" 'BEGIN {
	printf "bench vendor-load: kvm_amd finit_module() median of %d loads: base %d us, series %d us, ratio series/base %.3f\n", n, b, s, s / b
}'
