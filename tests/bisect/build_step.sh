#!/bin/bash
# scripts/bisect-build.sh's build_step() must fail when a part fails to
# build, also when phase() runs it (in an if, where errexit is off): a step
# that "passed" is stamped and never built again. Each part is made to fail
# alone and with the other one passing after it.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/lib.sh
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
eval "$(sed -n '/^build_step() {/,/^}/p' scripts/bisect-build.sh)"
# shellcheck disable=SC2034 # read by build_step
wt=unused KVM_DIR=unused
bad=0
# shellcheck disable=SC2317 # kmake and bash are called by build_step
for broken in kernel selftests; do
	kmake() { [ "$broken" != kernel ]; }
	bash() { [ "$broken" != selftests ]; }
	for parts in "$broken" "kernel selftests"; do
		# shellcheck disable=SC2086
		if (phase "build_step $parts, $broken broken" "$BUILD/log" build_step out $parts) 2>/dev/null; then
			echo "build_step $parts passed with the $broken part broken"
			bad=1
		fi
	done
done
unset -f kmake bash
exit $bad
