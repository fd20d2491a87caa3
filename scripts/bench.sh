#!/bin/bash
# make bench: the benchmarks, series against base, measured in one run.
# Per arch, boots the base kernel and the series kernel with the same
# selftest binaries, in the order base, series, series, base (ABBA), so that
# a drift of the host during the run weighs on both sides alike; a figure
# per kernel is the mean of its two boots. Lower is better unless said:
#   vendor-load (x86_64, issue 5): median finit_module() time of kvm_amd
#     over BENCH_LOADS loads; target series/base <= 1.05.
#   first-run (x86_64 and arm64, issue 3): median time for 64 vCPUs released
#     together to come back from their first KVM_RUN, over BENCH_ROUNDS
#     fresh VMs; target series/base <= 1.05.
#   memslot-move (x86_64 and arm64, issue 4): median time to move 256
#     one-page memslots by 256 KVM_SET_USER_MEMORY_REGION2 calls; the
#     single-slot path must not get slower (target series/base <= 1.05).
#     The series boots also move them by one KVM_SET_USER_MEMORY_REGION_BATCH
#     call, and the "memslot batch" line gives base singles / series batch:
#     how much faster a VMM gets by switching (target >= 50).
#   evtchn-send (x86_64, issue 6): KVM_XEN_HVM_EVTCHN_SEND calls per second
#     over BENCH_SECS seconds; higher is better, target series/base >= 0.98.
# Nothing here passes or fails on a figure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export SELFTESTS=series TESTS=
loads=${BENCH_LOADS:-40}
rounds=${BENCH_ROUNDS:-15}
secs=${BENCH_SECS:-10}
mkdir -p "$BUILD/bench"

# figure NAME ARCHES TEST REGEX [UNIT BETTER]: one benchmark, run on each of
# ARCHES (space-separated); REGEX captures the figure, an integer in UNIT
# (default us), in the serial log of a boot that ran TEST. BETTER is "lower"
# (the default) or "higher".
declare -a names=() arches=() tests=() regexes=() units=() betters=()
figure() {
	names+=("$1"); arches+=("$2"); tests+=("$3"); regexes+=("$4")
	units+=("${5:-us}"); betters+=("${6:-lower}")
}

# bench_arch ARCH: ABBA boots of ARCH, running every figure declared for
# ARCH; prints one line per figure.
bench_arch() {
	local arch=$1 list=$BUILD/bench/bench-$1.list i v f val serial oks
	local -a mine=()
	declare -A sum=()
	for f in "${!names[@]}"; do
		if [[ " ${arches[f]} " == *" $arch "* ]]; then
			mine+=("$f")
		fi
	done
	for f in "${mine[@]}"; do
		printf '%s\n' "${tests[f]}"
	done >"$list"
	i=0
	for v in base series series base; do
		i=$((i + 1))
		# Build once per kernel; later boots reuse it.
		ARCH=$arch VARIANT=$v TESTLIST=$list LOG_SUFFIX=-bench$i \
			SKIP_BUILD=$([ $i -le 2 ] && echo 0 || echo 1) bash scripts/run.sh
		serial=$BUILD/logs/$arch-$v-bench$i.serial.log
		oks=$(grep '^ok [0-9]* ' "$serial" || true)
		for f in "${mine[@]}"; do
			grep -qF -- "${tests[f]#timeout=* }" <<<"$oks" ||
				die "$arch $v: '${tests[f]}' did not pass, see $serial"
			val=$(sed -n "s|${regexes[f]}|\1|p" "$serial")
			[ -n "$val" ] || die "$arch $v: no ${names[f]} figure in $serial"
			log "bench $arch boot $i ($v): ${names[f]} $val ${units[f]}"
			sum[$v.$f]=$((${sum[$v.$f]:-0} + val))
		done
	done
	for f in "${mine[@]}"; do
		if [ "${names[f]}" = memslot ]; then
			batch_speedup "$arch" "${sum[base.$f]}"
		fi
	done
	for f in "${mine[@]}"; do
		awk -v a="$arch" -v n="${names[f]}" -v lb="${sum[base.$f]}" \
		    -v ls="${sum[series.$f]}" -v u="${units[f]}" \
		    -v b="${betters[f]}" 'BEGIN {
			printf "bench %s %s: mean of 2 boots each (ABBA): base %d %s, series %d %s, ratio series/base %.3f (%s is better)\n", a, n, lb / 2, u, ls / 2, u, ls / lb, b
		}'
	done
}

# batch_speedup ARCH BASE_SUM: the batch figure of the two series boots of
# ARCH against BASE_SUM, the memslot-move figure summed over its base boots.
batch_speedup() {
	local arch=$1 base=$2 i sum=0 val serial
	for i in 2 3; do
		serial=$BUILD/logs/$arch-series-bench$i.serial.log
		val=$(sed -n 's/.*256 slots moved by one batch: median \([0-9]*\) us.*/\1/p' "$serial")
		[ -n "$val" ] || die "$arch series: no batch figure in $serial"
		log "bench $arch boot $i (series): memslot-batch $val us"
		sum=$((sum + val))
	done
	awk -v a="$arch" -v b="$base" -v s="$sum" 'BEGIN {
		printf "bench %s memslot batch: 256 slots moved, base by single ioctls %d us, series by one batch %d us, speedup %.1f (higher is better)\n", a, b / 2, s / 2, b / s
	}'
}

figure vendor-load x86_64 \
	"timeout=900 vendor_module_reload_test -b -n $loads -p /lib/modules/kvm-amd.ko" \
	'.*finit_module() min [0-9]* us, median \([0-9]*\) us.*'
figure first-run "x86_64 arm64" "timeout=900 vm_finalize_test -b -r $rounds" \
	'.*first KVM_RUN of 64 vCPUs: min [0-9]* us, median \([0-9]*\) us.*'

figure evtchn-send x86_64 "timeout=300 xen_gpc_stress_test -b -d $secs" \
	'.*evtchn send rate: [0-9]* sends in [0-9.]* s, \([0-9]*\) sends/s.*' \
	sends/s higher
figure memslot "x86_64 arm64" "timeout=600 memslot_batch_test -b" \
	'.*256 slots moved by single ioctls: median \([0-9]*\) us.*'

bench_arch x86_64
bench_arch arm64
