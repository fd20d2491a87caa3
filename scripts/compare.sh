#!/bin/bash
# make compare: run the same lists on the unpatched base and on the series,
# then print what the series fixed, broke, and the splats it added.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
specs=()
for a in "$@"; do
	for v in base series; do
		ARCH=$a VARIANT=$v bash scripts/run.sh || log "$a-$v: run failed"
	done
	specs+=("$a=$BUILD/logs/$a-base.serial.log,$BUILD/logs/$a-series.serial.log")
done
python3 rig/analyser/compare.py "${specs[@]}"
