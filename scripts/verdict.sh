#!/bin/bash
# Judge the serial logs of the given arches for $VARIANT and print the
# verdict. Exit status is the analyser's (0 clean, 1 failed, 2 incomplete).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${VARIANT:?}"
args=()
for a in "$@"; do args+=("$a=$BUILD/logs/$a-$VARIANT${LOG_SUFFIX:-}.serial.log"); done
python3 rig/analyser/analyse.py --details "$BUILD/logs/$VARIANT${LOG_SUFFIX:-}.splats.txt" "${args[@]}"
