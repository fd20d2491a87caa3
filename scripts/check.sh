#!/bin/bash
# make check: the rig's unit tests, the series checks, the proof that the
# verdict can fail, and the full run on every arch. The last line is the
# full run's "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
export RIG_START
arches=${ARCH:-x86_64 arm64}
step() {
	local name=$1 t0
	t0=$(date +%s)
	shift
	log "== $name"
	"$@" || die "make check: $name failed"
	log "== $name: ok ($(($(date +%s) - t0))s)"
}
step "base and tree" bash -c 'bash scripts/base.sh && bash scripts/tree.sh'
step "unit tests" bash tests/run-unit-tests.sh
# Build first: the bisect builds below then hit ccache for unchanged files.
for a in $arches; do
	step "build $a" env ARCH="$a" VARIANT=series bash scripts/build.sh
done
step "series checks" bash scripts/check-series.sh
rc=0
for a in $arches; do
	ARCH=$a VARIANT=series SKIP_BUILD=1 bash scripts/run.sh || rc=1
done
step "selfcheck (the verdict can fail)" env SKIP_BUILD=1 bash scripts/selfcheck.sh
log "make check: total $(($(date +%s) - RIG_START))s"
# shellcheck disable=SC2086
VARIANT=series bash scripts/verdict.sh $arches || rc=1
exit $rc
