#!/bin/bash
# The KVM selftests, statically linked, from the series tree (so the
# series' own tests are built): the same binaries run on both variants.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}"
. "rig/arch/$ARCH.env"

src=$(tree_of "${SELFTESTS_VARIANT:-series}")
[ -f "$src/Makefile" ] || die "no tree at $src (run 'make tree')"
out=$(realpath -m "$(selftests_of "${SELFTESTS_VARIANT:-series}" "$ARCH")")
logs=$BUILD/logs
mkdir -p "$out"
ccache_env

# headers_install does not delete a header that went away: install afresh
# beside, then sync by content, so that a header that did not change keeps
# its mtime and nothing is recompiled for it. And the arm64 selftests
# regenerate their sysreg header (into the source tree) only when
# tools/arch/arm64/tools/ changes, not when arch/arm64/tools/ does: drop it
# when that is newer.
gen=$src/tools/arch/arm64/include/generated
if [ "$ARCH" = arm64 ] && { [ ! -e "$gen/asm/sysreg-defs.h" ] ||
	[ -n "$(find "$src/arch/arm64/tools" -newer "$gen/asm/sysreg-defs.h")" ]; }; then
	rm -rf "$gen"
fi
rm -rf "${out:?}/usr.new"
phase "$ARCH: uapi headers" "$logs/$ARCH-${SELFTESTS_VARIANT:-series}-headers.log" \
	kmake "$src" "$out/hdr" INSTALL_HDR_PATH="$out/usr.new" headers_install
rsync -rc --delete "$out/usr.new/" "$out/usr/"
rm -rf "$out/usr.new"
phase "$ARCH: kvm selftests" "$logs/$ARCH-${SELFTESTS_VARIANT:-series}-selftests.log" \
	make -C "$src/tools/testing/selftests/kvm" -j"$(make_jobs)" OUTPUT="$out/kvm" \
	ARCH="$KERNEL_ARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="ccache ${CROSS_COMPILE}gcc" \
	KHDR_INCLUDES="-isystem $out/usr/include" \
	EXTRA_CFLAGS=-static LDFLAGS="-static -pthread"
