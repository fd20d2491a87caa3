#!/bin/bash
# make check: the rig's unit tests, the series checks, the proof that the
# verdict can fail, and the full run on every arch. The last line is the
# full run's "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
export RIG_START
step() {
	local name=$1 t0=$(date +%s); shift
	log "== $name"
	"$@" || die "make check: $name failed"
	log "== $name: ok ($(($(date +%s) - t0))s)"
}
step "base and tree" bash -c 'bash scripts/base.sh && bash scripts/tree.sh'
step "unit tests" bash tests/run-unit-tests.sh
step "series checks" bash scripts/check-series.sh
# The full run builds every arch first, so the selfcheck below reuses it.
rc=0
for a in ${ARCH:-x86_64 arm64}; do
	ARCH=$a VARIANT=series bash scripts/run.sh || rc=1
done
step "selfcheck (the verdict can fail)" env SKIP_BUILD=1 bash scripts/selfcheck.sh
VARIANT=series bash scripts/verdict.sh ${ARCH:-x86_64 arm64} || rc=$?
log "make check: total $(($(date +%s) - RIG_START))s"
exit $rc
