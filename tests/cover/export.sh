#!/bin/bash
# export_series refuses to write git's cover letter template: a branch
# without a description must not become a series with "*** SUBJECT HERE ***".
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/git-common.sh
BASE_TAG=base
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t=$tmp/tree
git init -q -b main "$t"
mkdir -p "$t/scripts"
printf '#!/usr/bin/perl\n' >"$t/scripts/get_maintainer.pl"
git -C "$t" add -A
git -C "$t" -c user.name=t -c user.email=t@t commit -q -m base
git -C "$t" tag base
echo x >"$t/file"
git -C "$t" add file
git -C "$t" -c user.name=t -c user.email=t@t commit -q -m "a change"

if (export_series "$t" "$tmp/out1") 2>"$tmp/err"; then
	echo "exported a series without a branch description"; exit 1
fi
grep -q "has no description" "$tmp/err" || { cat "$tmp/err"; exit 1; }

git -C "$t" config branch.main.description "$(printf 'The subject\n\nThe blurb.')"
(export_series "$t" "$tmp/out2")
grep -q '^Subject: \[PATCH 0/1\] The subject' "$tmp/out2/0000-cover-letter.patch"
