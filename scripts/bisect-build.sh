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
# tree) no longer count: build_step() used to return 0 when a kernel-only
# step failed to build. STAMP_FORMAT, per part, is in the part's keys: bump
# it when what a stamp proves changes (this script, build-selftests.sh, the
# scope). Format 1 keys have no such field, so that the selftests' stamps,
# which were sound, still count.
# One bisect build or series check at a time: both use build/bisect.
# Usage: bisect-build.sh BASE_TAG
set -euo pipefail
. "$(dirname "$0")/lib.sh"
basetag=$1
wt=$(tree_of bisect)
[ -n "${RIG_BISECT_LOCKED:-}" ] || bisect_lock
[ -z "$(git -C "$wt" rev-list --merges "$basetag"..HEAD)" ] ||
	die "the series has merge commits: their diffs would not be keyed"
commits=$(git -C "$wt" rev-list --reverse "$basetag"..HEAD)
mapfile -t commits <<<"$commits"
ccache_env
tip=$(git -C "$wt" rev-parse HEAD)
stamps=${BISECT_STAMPS:-$HOME/.cache/kvm-series-bisect}
mkdir -p "$stamps"
inputs=$(cat configs/*.config rig/arch/*.env | sha1sum | cut -d' ' -f1)
declare -A STAMP_FORMAT=([kernel]=2 [selftests]=1)
basetree=$(git -C "$wt" rev-parse "$basetag^{tree}")

# build_step OUT PART...: PART is "kernel" and/or "selftests".
build_step() {
	local out=$1
	shift
	# phase() runs this in an if, where errexit is off: return each failure.
	if [[ " $* " == *" kernel "* ]]; then kmake "$wt" "$out" "$KVM_DIR" || return; fi
	if [[ " $* " == *" selftests "* ]]; then
		SELFTESTS_VARIANT=bisect bash scripts/build-selftests.sh || return
	fi
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
			seed=("$basetree" "$fixed" "$p")
			[ "${STAMP_FORMAT[$p]}" = 1 ] || seed+=("format ${STAMP_FORMAT[$p]}")
			pkey[$p]=$(printf '%s\n' "${seed[@]}" | sha1sum | cut -d' ' -f1)
		done
		i=0
		for c in "${commits[@]}"; do
			i=$((i + 1))
			git -C "$wt" checkout -q --detach "$c"
			# Once per arch, and again where a patch changes a Kconfig
			# file, so that an option it adds for configs/optional.config
			# is on from that patch on (kbuild's own re-sync would leave
			# a new option at its default).
			raw=$(git -C "$wt" diff-tree --no-commit-id -r "$c")
			if [ $i = 1 ] || grep -Eq $'\t(.*/)?Kconfig[^/]*$' <<<"$raw"; then
				bash scripts/config.sh "$wt" "$out" >/dev/null
			fi
			scope=$(python3 rig/bisect_scope.py "$arch" <<<"$raw")
			parts=()
			if [ -n "$scope" ]; then
				while read -r p digest; do
					pkey[$p]=$(printf '%s\n' "${pkey[$p]}" "$digest" | sha1sum | cut -d' ' -f1)
					parts+=("$p")
				done <<<"$scope"
			fi
			[ $i = 1 ] && parts=(kernel selftests)
			title="bisect $arch $i/${#commits[@]}: $(git -C "$wt" log -1 --format=%s "$c")"
			if [ ${#parts[@]} = 0 ]; then
				log "$title: nothing it touches is built on $arch"
				continue
			fi
			todo=()
			for p in "${parts[@]}"; do
				[ -e "$stamps/$p-${pkey[$p]}" ] || todo+=("$p")
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
