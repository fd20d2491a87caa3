#!/bin/bash
# Build the KVM directories and the KVM selftests at every patch of the
# series, for every arch, reusing one O= directory per arch so each step is
# incremental. The bisect tree sits at the same relative place as the
# series tree (scripts/lib.sh), so unchanged files are ccache hits.
# After the first patch, a step builds only what the patch can change on
# that arch (rig/bisect_scope.py): what it skips is, for that arch, the
# tree the step before already built.
# Usage: bisect-build.sh BASE_TAG
set -euo pipefail
. "$(dirname "$0")/lib.sh"
basetag=$1
wt=$(tree_of bisect)
mapfile -t commits < <(git -C "$wt" rev-list --reverse "$basetag"..HEAD)
ccache_env
tip=$(git -C "$wt" rev-parse HEAD)

# build_step OUT PART...: PART is "kernel" and/or "selftests".
build_step() {
	local out=$1
	shift
	if [[ " $* " == *" kernel "* ]]; then kmake "$wt" "$out" "$KVM_DIR"; fi
	if [[ " $* " == *" selftests "* ]]; then SELFTESTS_VARIANT=bisect bash scripts/build-selftests.sh; fi
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
			if [ $i = 1 ]; then
				parts=(kernel selftests)
			else
				mapfile -t parts < <(git -C "$wt" diff-tree --no-commit-id --name-only -r "$c" |
					python3 rig/bisect_scope.py "$arch")
			fi
			title="bisect $arch $i/${#commits[@]}: $(git -C "$wt" log -1 --format=%s "$c")"
			if [ ${#parts[@]} = 0 ]; then
				log "$title: nothing it touches is built on $arch"
				continue
			fi
			phase "$title [${parts[*]}]" "$BUILD/logs/bisect-$arch-$i.log" \
				build_step "$out" "${parts[@]}"
		done
	)
done
git -C "$wt" checkout -q --detach "$tip"
log "series: every patch builds on ${ARCHES:-x86_64 arm64}"
