#!/bin/bash
# scripts/base.sh picks the pinned version when the registry has it, falls
# back to the newest 6.12.y with a loud warning when it does not, and fails
# when there is no 6.12.y at all. The registry is a file here.
set -euo pipefail
cd "$(dirname "$0")/../.."
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pinned=$(. ./base.version && echo "$LINUX_SOURCE_VERSION")
choose() { RIG_BASE_AVAILABLE=$1 bash scripts/base.sh --choose 2>"$t/err"; }

printf '6.12.107-1~deb12u1\n%s\n6.12.199-1~deb12u1\n' "$pinned" >"$t/has-pinned"
[ "$(choose "$t/has-pinned")" = "$pinned" ]
! grep -q WARNING "$t/err"

printf '6.12.9-1\n6.12.107-1~deb12u1\n6.12.121-2~deb12u1\n6.13.2-1\n' >"$t/gone"
[ "$(choose "$t/gone")" = "6.12.121-2~deb12u1" ]
grep -q "WARNING: FALLING BACK to the newest 6.12.y: 6.12.121-2~deb12u1" "$t/err"

printf '6.13.2-1\n6.11.10-1\n' >"$t/none"
if choose "$t/none" >/dev/null; then echo "no 6.12.y must fail"; exit 1; fi
grep -q "no linux-source-6.12 6.12.y in the registry" "$t/err"
echo ok
