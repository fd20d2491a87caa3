#!/bin/bash
# Build one arch and variant: kernel (+ modules) in $BUILD/out/$ARCH-$VARIANT,
# and the KVM selftests (static) from the series tree in
# $BUILD/out/$ARCH-selftests. ccache and reproducible-build variables on.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}" "${VARIANT:?}"
. "rig/arch/$ARCH.env"
load_base

case $VARIANT in
series) src=$BUILD/linux ;;
base) src=$BASE_SRC ;;
*) die "unknown VARIANT=$VARIANT (series|base)" ;;
esac
[ -f "$src/Makefile" ] || die "no source at $src (run 'make tree')"
out=$BUILD/out/$ARCH-$VARIANT
logs=$BUILD/logs
mkdir -p "$out" "$logs"

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/kvm-series-ccache}
export CCACHE_BASEDIR=$PWD/$BUILD CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export KBUILD_BUILD_TIMESTAMP="@$(date -r "$BASE_SRC/Makefile" +%s)"
export KBUILD_BUILD_USER=kvm-series KBUILD_BUILD_HOST=rig KBUILD_BUILD_VERSION=1
jobs=${JOBS:-$(($(nproc) + 1))}
kmake=(make -C "$src" O="$(realpath "$out")" ARCH="$KERNEL_ARCH" CROSS_COMPILE="$CROSS_COMPILE"
	CC="ccache ${CROSS_COMPILE}gcc" -j"$jobs")

phase "$ARCH-$VARIANT: config" "$logs/$ARCH-$VARIANT-config.log" \
	bash scripts/config.sh "$src" "$out"
# shellcheck disable=SC2086
phase "$ARCH-$VARIANT: kernel" "$logs/$ARCH-$VARIANT-kernel.log" \
	"${kmake[@]}" $KERNEL_TARGETS

[ "${BUILD_SELFTESTS:-1}" = 1 ] || exit 0
bash scripts/build-selftests.sh
