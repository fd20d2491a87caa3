#!/bin/bash
# Proof that the verdict can fail: boot the series kernel with a test list
# that provokes a kernel WARNING and a KASAN use-after-free through LKDTM,
# and assert that the analyser fails each of them for the right reason.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export ARCH=${SELFCHECK_ARCH:-x86_64} VARIANT=series TESTLIST=testlists/selfcheck
export TESTS= LOG_SUFFIX=-selfcheck QUIET=1
SKIP_BUILD=${SKIP_BUILD:-0} bash scripts/run.sh
log=$BUILD/logs/$ARCH-series-selfcheck.serial.log
set +e
report=$(python3 rig/analyser/analyse.py --details /dev/null "$ARCH=$log")
rc=$?
set -e
echo "$report" | sed 's/^/  selfcheck| /'
fail() { die "selfcheck: $*; the rig's verdict cannot be trusted (log: $log)"; }
[ $rc = 1 ] || fail "analyser exit status $rc on provoked splats, expected 1"
grep -q "SPLAT lkdtm-provoke WARNING: .*WARNING:" <<<"$report" || fail "the LKDTM WARNING was not caught"
grep -q "SPLAT lkdtm-provoke READ_AFTER_FREE: .*BUG: KASAN: slab-use-after-free" <<<"$report" ||
	fail "the LKDTM KASAN use-after-free was not caught"
log "selfcheck: the analyser failed both provoked splats, as it must"
