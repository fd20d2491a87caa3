#!/bin/bash
# scripts/base.sh picks the pinned package and version when the registry
# has it, falls back to the newest linux-source-<fallback>* with a loud
# warning when it does not, and fails when there is none at all. The
# registry is a file here ("package version" per line).
set -euo pipefail
cd "$(dirname "$0")/../.."
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
eval "$(. ./base.version && echo "pkg=$LINUX_SOURCE_PACKAGE pinned='$LINUX_SOURCE_VERSION' fb=$LINUX_SOURCE_FALLBACK")"
choose() { RIG_BASE_AVAILABLE=$1 bash scripts/base.sh --choose 2>"$t/err"; }

printf 'linux-source-7.2 7.2.12-1~bpo13+1\n%s %s\nlinux-source-7.3 7.3.9-1~bpo13+1\n' \
	"$pkg" "$pinned" >"$t/has-pinned"
[ "$(choose "$t/has-pinned")" = "$pkg $pinned" ]
! grep -q WARNING "$t/err"

# Gone: the newest of the fallback series wins, across packages, by version
# order (7.10 > 7.9), and never another major (8.x) or 6.12.
printf '%s\n' "linux-source-${fb}2 ${fb}2.12-1~bpo13+1" "linux-source-${fb}9 ${fb}9.1-1" \
	"linux-source-${fb}10 ${fb}10.2-1~bpo13+1" "linux-source-6.12 6.12.199-1~deb12u1" \
	"linux-source-8.0 8.0.1-1" >"$t/gone"
[ "$(choose "$t/gone")" = "linux-source-${fb}10 ${fb}10.2-1~bpo13+1" ]
grep -q "WARNING: FALLING BACK to the newest ${fb}x: linux-source-${fb}10 ${fb}10.2-1~bpo13+1" "$t/err"

printf 'linux-source-6.12 6.12.117-1~deb12u1\nlinux-source-8.0 8.0.1-1\n' >"$t/none"
if choose "$t/none" >/dev/null; then echo "no ${fb}x must fail"; exit 1; fi
grep -q "no linux-source-${fb}\* in the registry" "$t/err"
echo ok
