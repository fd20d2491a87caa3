# Helpers shared by tree.sh and series.sh. Sourced.
# shellcheck shell=bash

git_rig_identity() {
	export GIT_AUTHOR_NAME="kvm-series rig" GIT_AUTHOR_EMAIL="rig@kvm-series.invalid"
	export GIT_COMMITTER_NAME="kvm-series rig" GIT_COMMITTER_EMAIL="rig@kvm-series.invalid"
}

git_rig_identity_config() {
	git -C "$1" config user.name "KVM series developers"
	git -C "$1" config user.email "kvm-series@example.org"
}

# Hash of the patch files in series/, the cover letter included.
series_hash() {
	cat series/*.patch 2>/dev/null | sha256sum | cut -d' ' -f1
}

# git format-patch of the tree into DIR, deterministic: zero commit ids,
# the cover letter dated like the newest patch, the description from the
# branch description.
export_series() {
	local tree=$1 out=$2 n
	n=$(git -C "$tree" rev-list --count "$BASE_TAG"..HEAD)
	[ "$n" -gt 0 ] || return 0
	# The cover letter comes from the branch description; without one,
	# format-patch would write its "*** SUBJECT HERE ***" template.
	local branch
	branch=$(git -C "$tree" branch --show-current)
	if [ -z "$(git -C "$tree" config "branch.$branch.description")" ]; then
		echo "no cover letter: branch '$branch' of $tree has no description (git config branch.<name>.description)" >&2
		return 1
	fi
	local addr=() a
	# First pass to learn the recipients, second pass to address the mails.
	format_patches "$tree" "$out"
	while read -r a; do
		[ "$a" = "$SERIES_TO" ] || addr+=(--cc="$a")
	done < <(recipients "$tree" "$out")
	rm -f "$out"/*.patch
	format_patches "$tree" "$out" --to="$SERIES_TO" "${addr[@]}"
}

SERIES_TO=kvm@vger.kernel.org

format_patches() {
	local tree=$1 out=$2
	shift 2
	GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%aD HEAD) \
		git -C "$tree" -c core.abbrev=12 format-patch -q --zero-commit \
		--numbered --cover-letter --cover-from-description=subject \
		--base="$BASE_TAG" -o "$(realpath "$out")" "$@" "$BASE_TAG"..HEAD
}

# get_maintainer.pl over every patch: the series' recipients, one per line.
# --no-fixes: the tree has no history, so the authors of the commits named
# in Fixes: tags cannot be looked up here (git would only print errors).
recipients() {
	local tree=$1 out
	out=$(realpath "$2")
	local patches=()
	mapfile -t patches < <(ls "$out"/*.patch | grep -v '/0000-cover-letter\.patch$')
	(cd "$tree" && perl scripts/get_maintainer.pl --no-rolestats --no-git \
		--no-git-fallback --no-fixes --no-tree "${patches[@]}") | awk '!seen[$0]++'
}

export_hash() {
	local tmp h
	tmp=$(mktemp -d)
	export_series "$1" "$tmp"
	h=$(cat "$tmp"/*.patch 2>/dev/null | sha256sum | cut -d' ' -f1)
	rm -rf "$tmp"
	echo "$h"
}

# The cover letter's subject and text become the branch description that
# format-patch --cover-from-description=subject turns back into a letter.
cover_to_description() {
	local cover=$1 tree=$2
	[ -f "$cover" ] || return 0
	python3 "$(dirname "${BASH_SOURCE[0]}")/../rig/cover.py" "$cover" >"$tree/.git/description.tmp"
	git -C "$tree" config branch.main.description "$(cat "$tree/.git/description.tmp")"
	rm -f "$tree/.git/description.tmp"
}

# Debian's linux-source appends "ignore everything at the top level" to
# .gitignore; in a development tree that hides every new file. Stage the
# file without that block (the unpacked source itself is left pristine).
drop_debian_gitignore() {
	local sha
	sha=$(python3 -c '
import sys
text = open(".gitignore" if len(sys.argv) < 2 else sys.argv[1]).read()
cut = text.find("#\n# Debian packaging:")
sys.stdout.write(text if cut < 0 else text[:cut])
' "$GIT_WORK_TREE/.gitignore" | git hash-object -w --stdin)
	git update-index --cacheinfo "100644,$sha,.gitignore"
}
