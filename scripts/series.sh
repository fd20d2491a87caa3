#!/bin/bash
# make series: export build/linux back to series/ with git format-patch.
# Only files whose content changed are rewritten; stale ones are removed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git-common.sh"
load_base

tree=$(tree_of series)
[ -d "$tree/.git" ] || die "no $tree: run 'make tree' first"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_series "$tree" "$tmp"
mkdir -p series
changed=0
for f in series/*.patch; do
	[ -e "$f" ] || continue
	[ -e "$tmp/$(basename "$f")" ] || { rm -f "$f"; changed=1; echo "removed $f"; }
done
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	dst=series/$(basename "$f")
	cmp -s "$f" "$dst" || { cp "$f" "$dst"; changed=1; echo "wrote $dst"; }
done
series_hash >"$tree/.git/kvm-series.applied"
[ $changed = 1 ] || log "series/ already up to date"
