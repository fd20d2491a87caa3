#!/bin/bash
# Build the KVM directories and the KVM selftests at every patch of the
# series, for every arch, reusing one O= directory per arch so each step is
# incremental. Usage: bisect-build.sh WORKTREE BASE_TAG
set -euo pipefail
. "$(dirname "$0")/lib.sh"
wt=$1 basetag=$2
mapfile -t commits < <(git -C "$wt" rev-list --reverse "$basetag"..HEAD)
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/kvm-series-ccache}
export CCACHE_BASEDIR=$PWD/$BUILD CCACHE_NOHASHDIR=1
jobs=${JOBS:-$(($(nproc) + 1))}
tip=$(git -C "$wt" rev-parse HEAD)

for arch in ${ARCHES:-x86_64 arm64}; do
	( . "rig/arch/$arch.env"
	out=$(realpath -m "$BUILD/out/bisect-$arch")
	mkdir -p "$out"
	kvmdirs=$( [ "$arch" = x86_64 ] && echo arch/x86/kvm/ || echo arch/arm64/kvm/ )
	i=0
	for c in "${commits[@]}"; do
		i=$((i + 1))
		git -C "$wt" checkout -q --detach "$c"
		subj=$(git -C "$wt" log -1 --format=%s "$c")
		ARCH=$arch bash scripts/config.sh "$wt" "$out" >/dev/null
		phase "bisect $arch $i/${#commits[@]}: $subj" "$BUILD/logs/bisect-$arch-$i.log" \
			bash -c "make -C '$wt' O='$out' ARCH=$KERNEL_ARCH CROSS_COMPILE=$CROSS_COMPILE \
				CC='ccache ${CROSS_COMPILE}gcc' -j$jobs $kvmdirs &&
			make -C '$wt' O='$out/hdr' ARCH=$KERNEL_ARCH INSTALL_HDR_PATH='$out/usr' headers_install &&
			make -C '$wt/tools/testing/selftests/kvm' -j$jobs OUTPUT='$out/selftests' \
				ARCH=$KERNEL_ARCH CROSS_COMPILE=$CROSS_COMPILE CC='ccache ${CROSS_COMPILE}gcc' \
				KHDR_INCLUDES='-isystem $out/usr/include' EXTRA_CFLAGS=-static LDFLAGS='-static -pthread'"
	done )
done
git -C "$wt" checkout -q --detach "$tip"
log "series: all patches build on ${ARCHES:-x86_64 arm64}"
