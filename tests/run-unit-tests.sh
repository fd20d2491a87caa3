#!/bin/bash
# The rig's own unit tests: no kernel build, no VM. KTAP-ish output.
set -uo pipefail
cd "$(dirname "$0")/.."
fails=0
run() {
	local name=$1; shift
	if out=$("$@" 2>&1); then echo "ok - $name"; else
		echo "not ok - $name"; echo "$out" | tail -n 30 | sed 's/^/#   /'; fails=$((fails + 1)); fi
}
run "analyser golden cases" bash tests/analyser/run.sh
run "guest init (dry run on the host)" make -s -C guest check OUT="$(mktemp -d)"
run "kconfig check catches a missing option" bash tests/kconfig/run.sh
run "base version: pinned, fallback with warning, none"  bash tests/base/run.sh
run "UAPI numbers: free in the base, kept by the series" bash tests/uapi/run.sh
run "test list selection" python3 tests/testlist/test_testlist.py
run "programs Makefile.kvm builds" python3 tests/testlist/test_built.py
run "cover letter -> branch description" python3 tests/cover/test_cover.py
run "series export refuses the cover letter template" bash tests/cover/export.sh
run "bench: figures, samples, statistics, stopping rule" python3 tests/bench/test_bench.py
run "bisect scope: what a patch can change per arch" python3 tests/bisect/test_scope.py
run "bisect build_step fails when a part fails" bash tests/bisect/build_step.sh
[ $fails = 0 ] && echo "unit tests: all passed" || { echo "unit tests: $fails failed"; exit 1; }
