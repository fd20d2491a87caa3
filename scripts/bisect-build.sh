#!/bin/bash
# Build the KVM directories and the KVM selftests at every patch of the
# series, for every arch, reusing one O= directory per arch so each step is
# incremental. The bisect tree sits at the same relative place as the
# series tree (scripts/lib.sh), so unchanged files are ccache hits.
# Usage: bisect-build.sh BASE_TAG
set -euo pipefail
. "$(dirname "$0")/lib.sh"
basetag=$1
wt=$(tree_of bisect)
mapfile -t commits < <(git -C "$wt" rev-list --reverse "$basetag"..HEAD)
ccache_env
tip=$(git -C "$wt" rev-parse HEAD)

build_step() {
	local out=$1
	kmake "$wt" "$out" "$KVM_DIR"
	SELFTESTS_VARIANT=bisect bash scripts/build-selftests.sh
}

for arch in ${ARCHES:-x86_64 arm64}; do
	(
		. "rig/arch/$arch.env"
		export ARCH=$arch
		out=$(realpath -m "$(out_of bisect "$arch")")
		mkdir -p "$out"
		i=0
		for c in "${commits[@]}"; do
			i=$((i + 1))
			git -C "$wt" checkout -q --detach "$c"
			# Once per arch: kbuild itself re-syncs .config if a patch
			# changes a Kconfig file.
			[ $i -gt 1 ] || bash scripts/config.sh "$wt" "$out" >/dev/null
			phase "bisect $arch $i/${#commits[@]}: $(git -C "$wt" log -1 --format=%s "$c")" \
				"$BUILD/logs/bisect-$arch-$i.log" build_step "$out"
		done
	)
done
git -C "$wt" checkout -q --detach "$tip"
log "series: every patch builds on ${ARCHES:-x86_64 arm64}"
