#!/bin/bash
# make qemu-compare: the pinned QEMU (rig/qemu.version) against another one
# on the same kernels and test lists, test by test, with wall times.
#
# The other QEMU is QEMU_OTHER_VERSION of QEMU_PACKAGES from the host's own
# suites (default: bookworm's 7.2), unpacked with dpkg-deb -x under
# $BUILD/deps/qemu-<version> and booted through QEMU_PREFIX; it is never
# installed. Each arch boots VARIANT (default base) with its selftests and
# the list QEMU_LIST (default testlists/probes/<arch>) once per QEMU; the
# serial logs are build/logs/<arch>-<variant>-qemu-<version>.serial.log.
# The result is printed and written to $BUILD/qemu-compare.txt.
# QEMU_RUNS="other" (or "pinned") boots only that one and compares against
# the log the other left earlier.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. rig/qemu.version
other=${QEMU_OTHER_VERSION:-1:7.2+dfsg-7+deb12u18+b3}
short() { sed -E 's/^[0-9]+://; s/[+~].*//' <<<"$1"; }
prefix=$BUILD/deps/qemu-$(short "$other")
if [ ! -x "$prefix/usr/bin/qemu-system-x86_64" ]; then
	log "qemu-compare: fetching QEMU $other"
	# qemu-system-data is arch-all, versioned without the binNMU suffix.
	# shellcheck disable=SC2046
	deb_unpack "$prefix" $(for p in $QEMU_PACKAGES qemu-system-common; do echo "$p=$other"; done) \
		"qemu-system-data=${other%+b[0-9]*}" || die "cannot download QEMU $other"
fi
variant=${VARIANT:-base}
specs=()
out=$BUILD/qemu-compare.txt
: >"$out.times"
for a in "$@"; do
	for q in ${QEMU_RUNS:-other pinned}; do
		if [ $q = other ]; then v=$(short "$other"); pre=$(realpath "$prefix"); else v=$(short "$QEMU_VERSION"); pre=; fi
		t0=$(date +%s)
		ARCH=$a VARIANT=$variant SELFTESTS=$variant SELFTESTS_VARIANT=$variant \
			TESTLIST=${QEMU_LIST:-testlists/probes/$a} SKIP_BUILD=${SKIP_BUILD:-0} QEMU_PREFIX=$pre \
			LOG_SUFFIX=-qemu-$v QUIET=1 bash scripts/run.sh || log "$a qemu $v: run failed"
		echo "$a qemu-$v wall $(($(date +%s) - t0))s" >>"$out.times"
	done
	logs=("$BUILD/logs/$a-$variant-qemu-$(short "$other").serial.log"
		"$BUILD/logs/$a-$variant-qemu-$(short "$QEMU_VERSION").serial.log")
	specs+=("$a=${logs[0]},${logs[1]}")
done
{
	cat "$out.times"
	python3 rig/analyser/compare.py --labels "qemu-$(short "$other"),qemu-$(short "$QEMU_VERSION")" \
		--times "${specs[@]}"
} | tee "$out"
rm -f "$out.times"
