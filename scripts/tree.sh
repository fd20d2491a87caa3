#!/bin/bash
# make tree: build/linux is a git repo holding the base as one tagged commit
# with series/ applied on top by git am. Safe to re-run: it never drops
# commits that have not been exported with 'make series'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git-common.sh"
load_base

tree=$(tree_of series)
basegit=$BUILD/base/base.git

# The base as a git repo, built once per base version. Fixed identity and
# dates make the base commit id depend on the source alone.
if ! git -C "$basegit" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null 2>&1; then
	rm -rf "$basegit" "$basegit.work"
	log "importing $BASE_SRC as $BASE_TAG (one commit)"
	git init -q --bare "$basegit"
	date=$(date -u -r "$BASE_SRC/Makefile" +%Y-%m-%dT%H:%M:%SZ)
	(
		export GIT_DIR=$PWD/$basegit GIT_WORK_TREE=$PWD/$BASE_SRC
		export GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date
		git_rig_identity
		git add -A -f .
		drop_debian_gitignore
		git commit -q -m "Linux $BASE_KVER (Debian $BASE_PKG $BASE_PKG_VERSION)" \
			-m "Imported from /usr/src/$BASE_PKG.tar.xz. Only change: the Debian packaging
block at the end of .gitignore, which ignores every top-level path, is left
out so that git status and git add work in this tree."
		git tag "$BASE_TAG"
	)
fi

series_patches() { ls series/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-cover-letter.patch$' || true; }
stamp=$tree/.git/kvm-series.applied

apply_series() {
	git -C "$tree" checkout -q -B main "$BASE_TAG"
	git -C "$tree" reset -q --hard "$BASE_TAG"
	local p
	p=$(series_patches)
	if [ -n "$p" ]; then
		# Committer date = author date: the same series gives the same ids.
		# shellcheck disable=SC2086
		git -C "$tree" am -q --committer-date-is-author-date $(printf '%s ' $(realpath $p))
	fi
	cover_to_description series/0000-cover-letter.patch "$tree"
	series_hash >"$stamp"
	log "tree: $(git -C "$tree" rev-list --count "$BASE_TAG"..HEAD) patches on $BASE_TAG"
}

if [ ! -d "$tree/.git" ]; then
	log "cloning base into $tree"
	git clone -q --no-checkout "$basegit" "$tree"
	git -C "$tree" config gc.auto 0  # no surprise repacks of a kernel tree mid-build
	git -C "$tree" config user.name >/dev/null || git_rig_identity_config "$tree"
	apply_series
	exit 0
fi

git -C "$tree" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null ||
	git -C "$tree" fetch -q "$PWD/$basegit" "refs/tags/$BASE_TAG:refs/tags/$BASE_TAG"
# Work in progress is built as it is: nothing is re-synced under it.
if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	log "tree: $tree has uncommitted changes: using it as it is (commit, then 'make series')"
	exit 0
fi

now=$(series_hash)
tree_now=$(export_hash "$tree")
if [ "$tree_now" = "$now" ]; then
	log "tree: up to date with series/"
elif [ -f "$stamp" ] && [ "$tree_now" = "$(cat "$stamp")" ]; then
	log "tree: series/ changed and the tree has no local work: re-applying"
	apply_series
elif [ -f "$stamp" ] && [ "$now" = "$(cat "$stamp")" ]; then
	log "tree: has commits not yet exported: run 'make series' to export them"
else
	die "both series/ and $tree changed since the last sync: export or move your work first"
fi
