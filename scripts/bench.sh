#!/bin/bash
# make bench: the benchmarks, series against base, measured in one run.
# Per arch, boots the base kernel and the series kernel with the same
# selftest binaries, in the order base, series, series, base (ABBA), so that
# a drift of the host during the run weighs on both sides alike; a figure
# per kernel is the mean of its two boots. Lower is better for all figures:
#   vendor-load (x86_64, issue 5): median finit_module() time of kvm_amd
#     over BENCH_LOADS loads; target series/base <= 1.05.
#   first-run (x86_64 and arm64, issue 3): median time for 64 vCPUs released
#     together to come back from their first KVM_RUN, over BENCH_ROUNDS
#     fresh VMs; target series/base <= 1.05.
# Nothing here passes or fails on a figure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export SELFTESTS=series TESTS=
loads=${BENCH_LOADS:-40}
rounds=${BENCH_ROUNDS:-15}
mkdir -p "$BUILD/bench"

# figure NAME ARCHES TEST REGEX: one benchmark, run on each of ARCHES
# (space-separated); REGEX captures the figure (us) in the serial log of a
# boot that ran TEST.
declare -a names=() arches=() tests=() regexes=()
figure() { names+=("$1"); arches+=("$2"); tests+=("$3"); regexes+=("$4"); }

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
			val=$(sed -n "s/${regexes[f]}/\1/p" "$serial")
			[ -n "$val" ] || die "$arch $v: no ${names[f]} figure in $serial"
			log "bench $arch boot $i ($v): ${names[f]} $val us"
			sum[$v.$f]=$((${sum[$v.$f]:-0} + val))
		done
	done
	for f in "${mine[@]}"; do
		awk -v a="$arch" -v n="${names[f]}" -v lb="${sum[base.$f]}" \
		    -v ls="${sum[series.$f]}" 'BEGIN {
			printf "bench %s %s: mean of 2 boots each (ABBA): base %d us, series %d us, ratio series/base %.3f (lower is better)\n", a, n, lb / 2, ls / 2, ls / lb
		}'
	done
}

figure vendor-load x86_64 \
	"timeout=900 vendor_module_reload_test -b -n $loads -p /lib/modules/kvm-amd.ko" \
	'.*finit_module() min [0-9]* us, median \([0-9]*\) us.*'
figure first-run "x86_64 arm64" "timeout=900 vm_finalize_test -b -r $rounds" \
	'.*first KVM_RUN of 64 vCPUs: min [0-9]* us, median \([0-9]*\) us.*'

bench_arch x86_64
bench_arch arm64
