#!/bin/bash
# Build the KVM directories and the KVM selftests at every patch of the
# series, for every arch, reusing one O= directory per arch so each step is
# incremental. The bisect tree sits at the same relative place as the
# series tree (scripts/lib.sh), so unchanged files are ccache hits.
# After the first patch, a step builds only what the patch can change on
# that arch (rig/bisect_scope.py): what it skips is, for that arch, the
# tree the step before already built.
# A step that built before with the same inputs (the commit's tree, the
# arch, the config fragments, the compilers, the parts built) is not built
# again: a stamp per passed step is kept in BISECT_STAMPS (default: next to
# the ccache, in $HOME), so a warm rerun of an unchanged series only
# rebuilds the patches that changed.
# Usage: bisect-build.sh BASE_TAG
set -euo pipefail
. "$(dirname "$0")/lib.sh"
basetag=$1
wt=$(tree_of bisect)
mapfile -t commits < <(git -C "$wt" rev-list --reverse "$basetag"..HEAD)
ccache_env
tip=$(git -C "$wt" rev-parse HEAD)
stamps=${BISECT_STAMPS:-$HOME/.cache/kvm-series-bisect}
mkdir -p "$stamps"
inputs=$(cat configs/*.config rig/arch/*.env | sha1sum | cut -d' ' -f1)

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
		# The stamps' inputs that do not change from patch to patch.
		fixed=$(printf '%s\n' "$arch" "$inputs" "$("${CROSS_COMPILE}gcc" --version | head -1)" \
			"$(gcc --version | head -1)")
		i=0
		for c in "${commits[@]}"; do
			i=$((i + 1))
			git -C "$wt" checkout -q --detach "$c"
			# Once per arch, and again where a patch changes a Kconfig
			# file, so that an option it adds for configs/optional.config
			# is on from that patch on (kbuild's own re-sync would leave
			# a new option at its default).
			if [ $i = 1 ] || git -C "$wt" diff-tree --no-commit-id --name-only -r "$c" |
				grep -q '/Kconfig'; then
				bash scripts/config.sh "$wt" "$out" >/dev/null
			fi
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
			key=$(printf '%s\n' "$(git -C "$wt" rev-parse "$c^{tree}")" "$fixed" "${parts[*]}" |
				sha1sum | cut -d' ' -f1)
			if [ -e "$stamps/$key" ]; then
				log "$title: built before with the same tree, config and compilers (stamp $key)"
				continue
			fi
			phase "$title [${parts[*]}]" "$BUILD/logs/bisect-$arch-$i.log" \
				build_step "$out" "${parts[@]}"
			touch "$stamps/$key"
		done
	)
done
git -C "$wt" checkout -q --detach "$tip"
log "series: every patch builds on ${ARCHES:-x86_64 arm64}"
