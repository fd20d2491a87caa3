#!/bin/sh
# Dry run of the guest init on the host: RIG_INIT_TEST=1 makes it run
# unprivileged with every rig path under RIG_ROOT, a temp dir holding a test
# list and fake tests.  Checks its KTAP lines, some diagnostics and the
# /dev/kmsg markers (a plain file in the dry run).
#
#   sh test_init.sh [init-binary]    (default: build init-x86_64 in a temp dir)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT

if [ $# -ge 1 ]; then
	init=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
	make -s -C "$here" OUT="$tmp" "$tmp/init-x86_64"
	init=$tmp/init-x86_64
fi

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

root=$tmp/root
mkdir -p "$root/etc/rig" "$root/kvm" "$root/rig" "$root/bin" "$root/tmp" \
	"$root/dev" "$root/proc/sys/kernel"
echo 0 >"$root/proc/sys/kernel/tainted"
echo "console=ttyS0 rig.timeout=2 quiet" >"$root/proc/cmdline"
: >"$root/dev/kmsg"
printf 'base 6.12.117-1~deb12u1\nseries demo\n' >"$root/etc/rig/info"

fake() {	# fake DIR NAME BODY
	printf '#!/bin/sh\n%s\n' "$3" >"$root/$1/$2"
	chmod +x "$root/$1/$2"
}
# The bodies expand when the fake tests run, hence single quotes.
# shellcheck disable=SC2016
{
fake kvm pass 'echo "TAP version 13"; echo "args: $*"; echo "cwd=$(pwd) home=$HOME"; exit 0'
fake kvm skip 'echo "TAP version 13"; echo "1..0 # SKIP - Requirement not met: foo"; exit 4'
fake kvm skipnone 'echo "nothing to see"; exit 4'
fake kvm fail 'echo boom >&2; exit 254'
fake kvm hang 'sleep 30 & sleep 30'
fake kvm segv 'echo 512 >"$HOME/../proc/sys/kernel/tainted"; ulimit -c 0; kill -SEGV $$'
fake rig fake-ok 'printf "ok 1 fake\n1..1\npartial"'
fake kvm leftover 'sleep 30 & echo left'
fake bin stdin 'read x || echo "stdin at EOF"'
}

cat >"$root/etc/rig/tests" <<'LIST'
# a comment

pass a   b	 # trailing comment
skip
timeout=1 hang
fail
segv
hang
fake-ok
skipnone
leftover
nosuch
timeout=abc pass
timeout=5
/kvm/pass x
stdin
LIST

cat >"$tmp/expected" <<'EXPECTED'
KTAP version 1
1..14
ok 1 pass a b
ok 2 skip # SKIP Requirement not met: foo
not ok 3 hang # TIMEOUT after 1s
not ok 4 fail # exit=254
not ok 5 segv # signal 11 (Segmentation fault)
not ok 6 hang # TIMEOUT after 2s
ok 7 fake-ok
ok 8 skipnone # SKIP exit 4
ok 9 leftover
not ok 10 nosuch # exit=127
not ok 11 timeout=abc pass # bad test line: invalid timeout
not ok 12 timeout=5 # bad test line: no program
ok 13 /kvm/pass x
ok 14 stdin
EXPECTED

t0=$(date +%s)
RIG_INIT_TEST=1 RIG_ROOT=$root "$init" >"$tmp/out" 2>"$tmp/err" </dev/null ||
	fail "init exited with $?"
t1=$(date +%s)

grep -v '^#' "$tmp/out" >"$tmp/ktap" || true
diff -u "$tmp/expected" "$tmp/ktap" >&2 || fail "KTAP lines differ"

expect_line() {	# expect_line FILE LINE
	grep -qxF -- "$2" "$1" || fail "missing in $(basename "$1"): $2"
}
out=$tmp/out
[ "$(sed -n 3p "$out")" = "# rig: base 6.12.117-1~deb12u1" ] || fail "info not after plan"
expect_line "$out" "# rig: series demo"
expect_line "$out" "# rig: start 1 pass a b"
expect_line "$out" "# TAP version 13"
expect_line "$out" "# args: a b"
expect_line "$out" "# cwd=$root/tmp home=$root/tmp"
expect_line "$out" "# 1..0 # SKIP - Requirement not met: foo"
expect_line "$out" "# boom"
expect_line "$out" "# ok 1 fake"
expect_line "$out" "# partial"
expect_line "$out" "# left"
expect_line "$out" "# stdin at EOF"
grep -q "^# rig: exec nosuch: No such file or directory" "$out" || fail "no exec error"
grep -qx '# rig: 5 segv took [0-9.]*s tainted before=0 after=512' "$out" || fail "taint line"
grep -qx '# rig: 3 hang took [0-9.]*s tainted before=0 after=0' "$out" || fail "took line"
# A timed-out test's threads are dumped before the kill (the hang's two sleeps).
[ "$(grep -c '^# rig: timeout: tid [0-9]* (sleep) state S cpu [0-9]* cputime ' "$out")" -ge 4 ] ||
	fail "no dump of the timed-out tests' sleep threads"
[ "$(tail -n 1 "$out")" = "# rig: done" ] || fail "no done marker at the end"
[ $((t1 - t0)) -lt 15 ] || fail "took $((t1 - t0))s; leftovers hold the init up?"

kmsg=$root/dev/kmsg
expect_line "$kmsg" "<12>rig: test-start 1 pass a b"
expect_line "$kmsg" "<12>rig: test-end 1 pass a b result=ok tainted=0"
expect_line "$kmsg" "<12>rig: test-end 2 skip result=skip tainted=0"
expect_line "$kmsg" "<12>rig: test-end 5 segv result=not ok tainted=512"
[ "$(tail -n 1 "$kmsg")" = "<12>rig: done" ] || fail "no kmsg done marker"

# No test list: an empty plan with a reason, then done.
rm "$root/etc/rig/tests"
: >"$root/dev/kmsg"
RIG_INIT_TEST=1 RIG_ROOT=$root "$init" >"$tmp/out2" 2>&1 || fail "init exited with $?"
printf 'KTAP version 1\n1..0 # SKIP no test list\n# rig: done\n' |
	diff -u - "$tmp/out2" >&2 || fail "no-list output differs"
[ "$(cat "$kmsg")" = "<12>rig: done" ] || fail "no-list kmsg differs"

# Not PID 1 and no RIG_INIT_TEST: refuse.
if env -u RIG_INIT_TEST "$init" >/dev/null 2>&1; then fail "ran while not PID 1"; fi

if [ $fails -ne 0 ]; then
	echo "--- init output:" >&2; cat "$tmp/out" >&2
	echo "test_init: $fails failure(s)" >&2
	exit 1
fi
echo "test_init: ok ($((t1 - t0))s)"
