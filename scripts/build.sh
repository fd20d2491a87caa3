#!/bin/bash
# Build one arch and variant: kernel (+ modules) in out_of VARIANT ARCH, and
# the KVM selftests (static) from the series tree (scripts/lib.sh has the
# layout). ccache and reproducible-build variables on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}" "${VARIANT:?}"
. "rig/arch/$ARCH.env"
load_base

src=$(tree_of "$VARIANT")
[ -f "$src/Makefile" ] || die "no source at $src (run 'make tree')"
out=$(out_of "$VARIANT" "$ARCH")
logs=$BUILD/logs
mkdir -p "$out" "$logs"

ccache_env
export KBUILD_BUILD_TIMESTAMP="@$(date -r "$BASE_SRC/Makefile" +%s)"
export KBUILD_BUILD_USER=kvm-series KBUILD_BUILD_HOST=rig KBUILD_BUILD_VERSION=1

phase "$ARCH-$VARIANT: config" "$logs/$ARCH-$VARIANT-config.log" \
	bash scripts/config.sh "$src" "$out"
# shellcheck disable=SC2086
phase "$ARCH-$VARIANT: kernel" "$logs/$ARCH-$VARIANT-kernel.log" \
	kmake "$src" "$(realpath "$out")" $KERNEL_TARGETS

[ "${BUILD_SELFTESTS:-1}" = 1 ] || exit 0
bash scripts/build-selftests.sh
