#!/bin/bash
# make full-suite: the whole upstream KVM selftest suite of the base, on the
# unpatched base kernel, per arch. This is what the default lists and
# testlists/known-failures are calibrated from; it is not part of
# 'make check' (30+ min per arch under TCG).
#
# Each arch's list is build/testlists/full-<arch> (scripts/full-list.py),
# its serial log build/logs/<arch>-base-full.serial.log. FULL_TIMEOUT is
# the per-test timeout for tests the default lists do not calibrate.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
load_base
export VARIANT=base SELFTESTS=base SELFTESTS_VARIANT=base LOG_SUFFIX=-full
mkdir -p "$BUILD/testlists"
rc=0
for a in "$@"; do
	list=$BUILD/testlists/full-$a
	python3 scripts/full-list.py "$BASE_SRC/tools/testing/selftests/kvm/Makefile.kvm" \
		"$a" "${FULL_TIMEOUT:-240}" >"$list"
	log "$a: full suite, $(wc -l <"$list") tests"
	ARCH=$a TESTLIST=$list VM_TIMEOUT=${VM_TIMEOUT:-7200} bash scripts/run.sh || rc=1
done
bash scripts/verdict.sh "$@" || rc=1
exit $rc
