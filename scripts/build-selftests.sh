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

# From scratch: headers_install does not delete a header that went away, and
# the arm64 selftests regenerate their sysreg header (into the source tree)
# only when tools/arch/arm64/tools/ changes, not when arch/arm64/tools/sysreg
# does.
rm -rf "${out:?}/usr"
[ "$ARCH" != arm64 ] || rm -rf "$src/tools/arch/arm64/include/generated"
phase "$ARCH: uapi headers" "$logs/$ARCH-${SELFTESTS_VARIANT:-series}-headers.log" \
	kmake "$src" "$out/hdr" INSTALL_HDR_PATH="$out/usr" headers_install
phase "$ARCH: kvm selftests" "$logs/$ARCH-${SELFTESTS_VARIANT:-series}-selftests.log" \
	make -C "$src/tools/testing/selftests/kvm" -j"$(make_jobs)" OUTPUT="$out/kvm" \
	ARCH="$KERNEL_ARCH" CROSS_COMPILE="$CROSS_COMPILE" CC="ccache ${CROSS_COMPILE}gcc" \
	KHDR_INCLUDES="-isystem $out/usr/include" \
	EXTRA_CFLAGS=-static LDFLAGS="-static -pthread"
