#!/bin/bash
# One arch, one variant, end to end: build, pack, boot. Leaves the serial
# log in build/logs/$ARCH-$VARIANT.serial.log for the analyser.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}" "${VARIANT:?}"
[ -f "rig/arch/$ARCH.env" ] || die "unknown ARCH=$ARCH; valid: $(cd rig/arch && ls *.env | sed 's/\.env$//' | tr '\n' ' ')"

[ "${SKIP_BUILD:-0}" = 1 ] || bash scripts/build.sh
phase "$ARCH-$VARIANT: initramfs" "$BUILD/logs/$ARCH-$VARIANT-initramfs.log" bash scripts/initramfs.sh
bash scripts/boot.sh
