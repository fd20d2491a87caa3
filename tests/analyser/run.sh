#!/bin/bash
# Golden tests for rig/analyser/analyse.py; see README.md in this folder.
#
#   tests/analyser/run.sh [--update] [CASE ...]
#
# Runs the analyser on every case (or the named ones) and compares its
# stdout with expected-output (diff -u), its exit status with
# expected-status, and its stderr with expected-stderr when that file
# exists.  Prints KTAP; exits 1 if any case does not match.  --update
# rewrites the expected files from the current output instead: review the
# diff (git diff) before keeping it.
set -u

here=$(cd "$(dirname "$0")" && pwd)
analyse="$here/../../rig/analyser/analyse.py"
python=${PYTHON:-python3}
update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi

if [ $# -gt 0 ]; then
	cases=("$@")
else
	cases=()
	for dir in "$here"/cases/*/; do
		cases+=("$(basename "$dir")")
	done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Run one case from inside its folder, so that paths in messages are
# relative and the expected files do not depend on where the repo lives.
run_case() {
	local dir=$1 arch=x86_64 args=()
	[ -f "$dir/arch" ] && arch=$(tr -d '[:space:]' <"$dir/arch")
	[ -f "$dir/deny.txt" ] && args+=(--deny deny.txt)
	[ -f "$dir/allow.txt" ] && args+=(--allow allow.txt)
	(cd "$dir" && "$python" "$analyse" "${args[@]}" "$arch=serial.log") \
		>"$tmp/stdout" 2>"$tmp/stderr"
	echo $? >"$tmp/status"
}

# Compare one case's results with its expected files; print why not.
check_case() {
	local dir=$1 ok=0
	if ! diff -u "$dir/expected-output" "$tmp/stdout" >"$tmp/diff" 2>&1; then
		echo "# stdout differs from expected-output:"
		sed 's/^/#   /' "$tmp/diff"
		ok=1
	fi
	if [ "$(cat "$tmp/status")" != "$(tr -d '[:space:]' <"$dir/expected-status" 2>/dev/null)" ]; then
		echo "# exit status $(cat "$tmp/status"), expected-status says" \
			"$(cat "$dir/expected-status" 2>/dev/null || echo '(missing)')"
		ok=1
	fi
	if [ -f "$dir/expected-stderr" ] &&
		! diff -u "$dir/expected-stderr" "$tmp/stderr" >"$tmp/diff" 2>&1; then
		echo "# stderr differs from expected-stderr:"
		sed 's/^/#   /' "$tmp/diff"
		ok=1
	fi
	return $ok
}

echo "KTAP version 1"
echo "1..${#cases[@]}"
failed=0
num=0
for name in "${cases[@]}"; do
	num=$((num + 1))
	dir="$here/cases/$name"
	if [ ! -f "$dir/serial.log" ]; then
		echo "not ok $num $name # no serial.log in $dir"
		failed=$((failed + 1))
		continue
	fi
	run_case "$dir"
	if [ $update = 1 ]; then
		cp "$tmp/stdout" "$dir/expected-output"
		cp "$tmp/status" "$dir/expected-status"
		[ -s "$tmp/stderr" ] && cp "$tmp/stderr" "$dir/expected-stderr"
		echo "ok $num $name # SKIP updated expected files (status $(cat "$tmp/status"))"
	elif check_case "$dir" >"$tmp/why"; then
		echo "ok $num $name"
	else
		echo "not ok $num $name"
		cat "$tmp/why"
		failed=$((failed + 1))
	fi
done
echo "# $((num - failed)) passed, $failed failed"
[ $failed -eq 0 ]
