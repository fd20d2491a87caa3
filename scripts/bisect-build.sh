#!/bin/bash
# Build the KVM directories and the KVM selftests at every patch of the
# series, for every arch, reusing one O= directory per arch so each step is
# incremental. The bisect tree sits at the same relative place as the
# series tree (scripts/lib.sh), so unchanged files are ccache hits.
# After the first patch, a step builds only what the patch can change on
# that arch (rig/bisect_scope.py): what it skips is, for that arch, the
# tree the step before already built.
# A part that built before with the same inputs is not built again: its
# sources (the base tree and, patch by patch, every change that counts for
# the part on that arch, as rig/bisect_scope.py digests it), the arch, the
# config fragments and the compilers. A stamp per part and step is kept in
# BISECT_STAMPS (default: next to the ccache, in $HOME), so a warm rerun
# rebuilds only what a changed patch can change: a kernel-only change to
# an early patch rebuilds the kernel part of the later steps, not their
# selftests.
# Stamps of the earlier form (one per step, keyed by the commit's whole
# tree) still count, so that a runner's cache stays warm across the change;
# a step they cover gets its part stamps then.
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
		# The key of each part's sources, chained patch by patch.
		declare -A pkey
		for p in kernel selftests; do
			pkey[$p]=$(printf '%s\n' "$(git -C "$wt" rev-parse "$basetag^{tree}")" "$fixed" "$p" |
				sha1sum | cut -d' ' -f1)
		done
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
			parts=()
			while read -r p digest; do
				pkey[$p]=$(printf '%s\n' "${pkey[$p]}" "$digest" | sha1sum | cut -d' ' -f1)
				parts+=("$p")
			done < <(git -C "$wt" diff-tree --no-commit-id -r "$c" |
				python3 rig/bisect_scope.py "$arch")
			[ $i = 1 ] && parts=(kernel selftests)
			title="bisect $arch $i/${#commits[@]}: $(git -C "$wt" log -1 --format=%s "$c")"
			if [ ${#parts[@]} = 0 ]; then
				log "$title: nothing it touches is built on $arch"
				continue
			fi
			legacy=$(printf '%s\n' "$(git -C "$wt" rev-parse "$c^{tree}")" "$fixed" "${parts[*]}" |
				sha1sum | cut -d' ' -f1)
			todo=()
			for p in "${parts[@]}"; do
				if [ -e "$stamps/$legacy" ]; then
					touch "$stamps/$p-${pkey[$p]}"
				elif [ ! -e "$stamps/$p-${pkey[$p]}" ]; then
					todo+=("$p")
				fi
			done
			if [ ${#todo[@]} = 0 ]; then
				log "$title: built before from the same sources, config and compilers"
				continue
			fi
			phase "$title [${todo[*]}]" "$BUILD/logs/bisect-$arch-$i.log" \
				build_step "$out" "${todo[@]}"
			for p in "${todo[@]}"; do
				touch "$stamps/$p-${pkey[$p]}"
			done
		done
	)
done
git -C "$wt" checkout -q --detach "$tip"
log "series: every patch builds on ${ARCHES:-x86_64 arm64}"
