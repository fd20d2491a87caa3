#!/bin/bash
# The series checks of 'make check':
#   1. series/ applies cleanly to the pinned base (git am, no fuzz), and
#      tree -> series -> tree is lossless (same patches, same tree);
#   2. checkpatch.pl --strict: no errors, no warnings, no checks, except the
#      types in series-checks/checkpatch.ignore;
#   3. the cover letter is addressed to get_maintainer.pl's recipients;
#   4. bisectability: every patch builds the KVM directories and the KVM
#      selftests on every arch, incrementally, patch by patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/git-common.sh"
load_base
bisect_lock

wt=$(tree_of bisect)
logs=$BUILD/logs
mkdir -p "$logs"
mapfile -t patches < <(ls series/*.patch | grep -v '/0000-cover-letter\.patch$')
[ ${#patches[@]} -gt 0 ] || die "series/ has no patches"

# 1. Apply to the pinned base in a scratch worktree, then export it again.
tree=$(tree_of series)
git -C "$tree" worktree prune
[ -d "$wt/.git" ] || [ -f "$wt/.git" ] ||
	{ mkdir -p "$(dirname "$wt")" && git -C "$tree" worktree add -q --detach "$(realpath -m "$wt")" "$BASE_TAG"; }
git -C "$wt" am --abort >/dev/null 2>&1 || true
git -C "$wt" checkout -q --detach -f "$BASE_TAG"
mapfile -t abs_patches < <(realpath "${patches[@]}")
git -C "$wt" am -q --committer-date-is-author-date "${abs_patches[@]}" ||
	die "series/ does not apply cleanly to $BASE_TAG"
log "series: ${#patches[@]} patches apply cleanly to $BASE_TAG"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$wt" config branch.rig-roundtrip.description "$(python3 rig/cover.py series/0000-cover-letter.patch)"
git -C "$wt" checkout -q -B rig-roundtrip
(export_series "$wt" "$tmp")
diff -ru series "$tmp" >"$logs/series-roundtrip.diff" ||
	die "series -> tree -> series is not lossless: see $logs/series-roundtrip.diff"
if [ "$(git -C "$tree" rev-parse HEAD^{tree})" = "$(git -C "$wt" rev-parse HEAD^{tree})" ]; then
	log "series: round trip lossless, tree identical to $tree"
else
	log "series: round trip lossless (note: $tree differs from series/: unexported work?)"
fi

# 2. checkpatch --strict
ignore=$(grep -v '^#' series-checks/checkpatch.ignore | awk 'NF{print $1}' | paste -sd, -)
bad=0
for p in "${patches[@]}"; do
	if ! out=$(cd "$wt" && PATH=/usr/bin:/bin:$PATH perl scripts/checkpatch.pl --strict --no-summary --terse \
		--show-types ${ignore:+--ignore "$ignore"} "$(realpath "$OLDPWD/$p")" 2>&1); then bad=1; fi
	[ -z "$out" ] || { echo "$out"; bad=1; }
done
[ $bad = 0 ] || die "checkpatch --strict is not clean"
log "series: checkpatch --strict clean on ${#patches[@]} patches"

# 3. The cover letter's recipients are get_maintainer.pl's
want=$( (echo "$SERIES_TO"; recipients "$wt" series) | sort -u)
have=$(python3 - series/0000-cover-letter.patch <<'PY' | sort -u
import email, email.utils, sys
m = email.message_from_string(open(sys.argv[1]).read())
for _, a in email.utils.getaddresses(m.get_all("To", []) + m.get_all("Cc", [])):
    print(a)
PY
)
want=$(sed -E 's/.*<([^>]+)>.*/\1/' <<<"$want" | sort -u)
[ "$want" = "$have" ] || die "cover letter recipients differ from get_maintainer.pl: run 'make series'
want:
$want
have:
$have"
log "series: cover letter addressed to get_maintainer.pl's $(wc -l <<<"$want") recipients"

# The UAPI numbers recorded in docs/uapi-numbers.md are free in the base
# and used as recorded by the series.
python3 scripts/check-uapi.py "$BASE_SRC" "$wt" || die "UAPI numbers: see docs/uapi-numbers.md"
log "series: UAPI numbers free in $BASE_TAG and used as docs/uapi-numbers.md records"

# Every selftest the series builds is run by default or excluded with a reason.
python3 scripts/check-testlists.py "$wt/tools/testing/selftests/kvm/Makefile.kvm" x86_64 arm64 ||
	die "test lists do not account for every selftest"
log "series: test lists account for every KVM selftest"

# 4. Every patch builds, on every arch.
[ "${SKIP_BISECT:-0}" = 1 ] && { log "series: bisect build skipped (SKIP_BISECT=1)"; exit 0; }
bash scripts/bisect-build.sh "$BASE_TAG"
