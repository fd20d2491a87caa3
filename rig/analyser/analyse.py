#!/usr/bin/env python3
"""Judge one guest run from its serial console log.

The guest's init prints KTAP on the console and writes "rig: test-start",
"rig: test-end" and "rig: done" markers to /dev/kmsg; the kernel's own
messages (printk, with timestamps) are interleaved with all of that.

analyse() is a pure function from the text of one log to a Result: the
outcome of every planned test, the kernel splats (lines matching the
deny-list and not the allow-list) attributed to the test that was running,
new taint, and whether lockdep was still on.  Problems with the log become
errors in the Result, never exceptions.  main() is the command line; see
tests/analyser/README.md for the golden cases that pin its behaviour.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DENY = REPO / "rig" / "splats" / "deny.txt"
DEFAULT_ALLOW = REPO / "rig" / "splats" / "allow.txt"

EXIT_OK, EXIT_FAILED, EXIT_INCOMPLETE, EXIT_CONFIG = 0, 1, 2, 3

# Lines kept around a splat: the hit, 5 before it and 24 after it.
CONTEXT_BEFORE = 5
CONTEXT_AFTER = 24

# kernel/panic.c taint_flags[], bits 0..18 (bit 0 prints 'G' when clear).
TAINT_LETTERS = "PFSRMBUDAWCIOELKXTN"

# The printk prefix: "[   12.345678] ", maybe with a caller id "[    T1] ".
# At column 0 any "[ 1.2] " counts; in the middle of a line (a printk that
# interrupted the init's output) only printk's exact "[%5lu.%06lu]" shape
# does, so that a test printing "[1.25]" is not cut in two.
STAMP = re.compile(r"\[\s*(\d+\.\d+)\](?:\[\s*[CT]\d+\])? ?")
MID_STAMP = re.compile(r"\[(?=[ \d]{5})\s*\d+\.\d{6}\](?:\[\s*[CT]\d+\])? ?")
KTAP_LINE = re.compile(r"KTAP version \d+\s*$|1\.\.\d+\s*$|(?:not )?ok \d+(?: |$)")
PLAN = re.compile(r"1\.\.(\d+)\s*$")
RESULT = re.compile(r"(ok|not ok) (\d+)(?: (.*))?$")
RIG_START = re.compile(r"# rig: start (\d+)(?: (.*))?$")
RIG_PLANNED = re.compile(r"# rig: planned (\d+) (.+?)\s*$")
RIG_TOOK = re.compile(
    r"# rig: (\d+) .* took (\d+(?:\.\d+)?)s tainted before=(\S+) after=(\S+)\s*$")
RIG_DONE = re.compile(r"# rig: done\s*$")
# What a failed selftest said about why: the block kvm_util's TEST_ASSERT and
# GUEST_ASSERT print, minus the lines that only say where (pid, backtrace).
ASSERT_HEAD = re.compile(r"#\s*==== Test Assertion Failure ====")
ASSERT_NOISE = re.compile(r"pid=\d+ tid=\d+ |\d+\s+0x[0-9a-f]+: |sh: addr2line: ")
WHY_LINES = 3       # at most this many lines of it under the FAIL line
WHY_WIDTH = 160     # each cut to this many characters
KMSG_START = re.compile(r"rig: test-start (\d+)(?: (.*))?$")
KMSG_END = re.compile(r"rig: test-end (\d+)(?: |$)")
# Appended to the serial log by scripts/boot.sh, on the host, when it stopped
# QEMU at the run's wall-clock limit.
HOST_LIMIT = re.compile(r"# rig-host: VM stopped at its wall-clock limit of (\d+)s\s*$")
KMSG_DONE = re.compile(r"rig: done\s*$")
PANIC = re.compile(r"Kernel panic - not syncing")
REBOOT = re.compile(r"reboot: ")

# After any of these the kernel has called debug_locks_off(): lockdep checks
# nothing for the rest of the boot.  This is a fact about the kernel, not
# policy, so it does not live in the deny-list (and the allow-list does not
# change it).
LOCKDEP_OFF = re.compile(
    r"possible circular locking dependency detected"
    r"|possible recursive locking detected"
    r"|inconsistent lock state"
    r"|possible irq lock inversion dependency detected"
    r"|bad unlock balance detected"
    r"|held lock freed"
    r"|lock held when returning to user space"
    r"|Invalid wait context"
    r"|turning off the locking correctness validator"
    r"|INFO: lockdep is turned off"
    r"|Disabling lock debugging due to kernel taint")

# How the log ended: what stopped the run, and what that means for the test
# that was running.
ENDINGS = {
    "panic": ("a kernel panic", "kernel panic during the test"),
    "reboot": ("the guest rebooting", "guest rebooted during the test"),
    "eof": ("the end of the log",
            "log ended during the test (VM killed, hung or log truncated)"),
    "limit": ("the VM's wall-clock limit of {limit}s",
              "the VM's wall-clock limit of {limit}s was hit during the test"
              " (the guest hung, or the list outgrew the limit)"),
}


class ConfigError(Exception):
    """The splat policy is unusable: the CLI exits 3."""


class Line(NamedTuple):
    idx: int        # 0-based index into the console lines, for context
    text: str       # without the printk prefix, if it had one
    kernel: bool    # printk line (or console text that is not the init's)
    partial: bool   # cut off by the end of the log


@dataclass
class Splat:
    owner: int | str          # test number, "boot" or "shutdown"
    late: bool                # after the owning test had ended
    title: str                # the first matching line
    hits: list[int] = field(default_factory=list)


@dataclass
class Test:
    num: int
    name: str = ""
    outcome: str = "missing"  # pass, fail, skip, crashed, missing
    reason: str = ""
    duration: str = ""
    taint: tuple[int, int] | None = None
    started: bool = False
    no_lockdep: int | str | None = None   # owner of the report that killed it
    splats: list[Splat] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)  # allow-listed hits
    output: list[str] = field(default_factory=list, repr=False)  # its lines

    def passed(self) -> bool:
        """Ran to a plain pass: not skipped, nothing against it."""
        return self.outcome == "pass" and not self.failed()

    @property
    def label(self) -> str:
        return self.name or f"test {self.num}"

    def new_taint(self) -> int:
        """Taint bits that appeared while the test ran (-1: taint dropped)."""
        if self.taint is None or self.taint[0] == self.taint[1]:
            return 0
        return (self.taint[1] & ~self.taint[0]) or -1

    def taint_fails(self) -> bool:
        """New taint fails the test unless an allowed splat explains it."""
        return self.new_taint() != 0 and not self.allowed

    def failed(self) -> bool:
        return (self.outcome in ("fail", "crashed", "missing")
                or bool(self.splats) or self.taint_fails())


def taint_letters(value: int) -> str:
    """Kernel taint letters for a taint value, e.g. 544 -> 'BW'."""
    out = []
    for bit in range(value.bit_length()):
        if value >> bit & 1:
            out.append(TAINT_LETTERS[bit] if bit < len(TAINT_LETTERS)
                       else f"[bit {bit}]")
    return "".join(out)


@dataclass
class Result:
    arch: str
    lines: list[str] = field(default_factory=list, repr=False)
    info: list[str] = field(default_factory=list)
    plan: int | None = None
    tests: dict[int, Test] = field(default_factory=dict)
    splats: list[Splat] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    incomplete: str | None = None
    end_line: int | None = None   # the panic/reboot line that ended the log

    def test(self, num: int) -> Test:
        if num not in self.tests:
            self.tests[num] = Test(num)
        return self.tests[num]

    def owner_label(self, owner: int | str) -> str:
        if isinstance(owner, int):
            return self.tests[owner].label if owner in self.tests else f"test {owner}"
        return owner

    def pseudo_failures(self) -> list[str]:
        """boot and shutdown count as a failed test each if they splatted."""
        return [o for o in ("boot", "shutdown")
                if any(s.owner == o for s in self.splats)]

    def counts(self) -> tuple[int, int, int]:
        tests = self.tests.values()
        failed = sum(t.failed() for t in tests) + len(self.pseudo_failures())
        passed = sum(t.outcome == "pass" and not t.failed() for t in tests)
        skipped = sum(t.outcome == "skip" and not t.failed() for t in tests)
        return passed, failed, skipped

    def exit_status(self) -> int:
        if self.errors or self.incomplete:
            return EXIT_INCOMPLETE
        return EXIT_FAILED if self.counts()[1] else EXIT_OK

    def render(self) -> str:
        """The per-arch report: one line per test (plus its findings)."""
        out = list(self.info)
        out += self._pseudo_lines("boot")
        for num in sorted(self.tests):
            out += self._test_lines(self.tests[num])
        out += self._pseudo_lines("shutdown")
        out += [f"ERROR {e}" for e in self.errors]
        if self.incomplete:
            out.append(f"INCOMPLETE {self.incomplete}")
        out.append("{} passed, {} failed, {} skipped".format(*self.counts()))
        return "".join(f"{self.arch}: {line}\n" for line in out)

    def _splat_lines(self, label: str, splats: Iterable[Splat]) -> list[str]:
        return [_status("SPLAT", label, s.title
                        + (" (after the test ended)" if s.late else ""))
                for s in splats]

    def _pseudo_lines(self, owner: str) -> list[str]:
        return self._splat_lines(owner, [s for s in self.splats
                                         if s.owner == owner])

    def _test_lines(self, t: Test) -> list[str]:
        out = []
        if not (t.outcome == "pass" and t.failed()):
            out.append(_status(*_outcome(t)))
        if t.outcome == "fail":
            out += [" " * 6 + line for line in assertion_lines(t.output)]
        out += self._splat_lines(t.label, t.splats)
        out += self._taint_lines(t)
        if t.no_lockdep is not None:
            out.append(_status("WARN", t.label, "ran without lockdep (turned "
                               "off after a report in "
                               f"{self.owner_label(t.no_lockdep)})"))
        return out

    @staticmethod
    def _taint_lines(t: Test) -> list[str]:
        new = t.new_taint()
        if new == 0:
            return []
        text = (f"new taint: {new} ({taint_letters(new)})" if new > 0 else
                "taint changed: before={} after={}".format(*t.taint))
        if t.taint_fails():
            return [_status("TAINT", t.label, text)]
        return [_status("WARN", t.label, f"{text}, after an allowed splat: "
                        f"{t.allowed[0]}")]

    def render_details(self) -> str:
        """The context of every splat, for the detailed report."""
        out = []
        for i, s in enumerate(self.splats, 1):
            where = self.owner_label(s.owner) + (", after it ended"
                                                 if s.late else "")
            out.append(f"==== {self.arch}: splat {i} of {len(self.splats)} in "
                       f"{where}, log line {s.hits[0] + 1}: {s.title}\n")
            lo = max(0, s.hits[0] - CONTEXT_BEFORE)
            hi = self._context_end(s.hits[-1] + CONTEXT_AFTER + 1)
            for k in range(lo, hi):
                mark = ">" if k in s.hits else " "
                out.append(f"{k + 1:>7}{mark} {self.lines[k]}\n")
            out.append("\n")
        return "".join(out)

    def _context_end(self, hi: int) -> int:
        """Clip context after the panic that ended the log where the kernel
        stops printing (firmware output, or a new boot's timestamps)."""
        hi = min(hi, len(self.lines))
        if self.end_line is None:
            return hi
        k, prev = self.end_line + 1, _stamp_value(self.lines[self.end_line])
        while k < hi:
            now = _stamp_value(self.lines[k])
            if now is None or prev is None or now < prev:
                break
            k, prev = k + 1, now
        return min(k, hi)


def _stamp_value(line: str) -> float | None:
    m = STAMP.match(line)
    return float(m.group(1)) if m else None


def _status(word: str, name: str, detail: str = "") -> str:
    return f"{word:<5} {name}" + (f": {detail}" if detail else "")


def assertion_lines(output: list[str]) -> list[str]:
    """The last assertion failure a test printed, for the report: the
    file:line and condition, then the message.  CI often keeps only the
    summary, so the reason has to be in it."""
    heads = [i for i, text in enumerate(output) if ASSERT_HEAD.match(text)]
    if not heads:
        return []
    why = []
    for text in output[heads[-1] + 1:]:
        text = text.removeprefix("#").strip()
        if not text or ASSERT_NOISE.match(text) or KTAP_LINE.match(text):
            continue
        why.append(text[:WHY_WIDTH].rstrip())
    return why[:WHY_LINES]


def _outcome(t: Test) -> tuple[str, str, str]:
    if t.outcome == "pass":
        return "PASS", t.label + (f" ({t.duration}s)" if t.duration else ""), ""
    word = {"fail": "FAIL", "skip": "SKIP", "crashed": "CRASH",
            "missing": "MISSING"}[t.outcome]
    return word, t.label, t.reason


# ---------------------------------------------------------------- parsing

def console_lines(text: str) -> tuple[list[str], list[Line]]:
    """Split the console text into raw lines and logical lines.

    A printk can land in the middle of a line the init was writing: the
    console then shows "ok 2 na[   12.345678] message" followed by "me" on
    the next line.  The printk becomes a kernel line of its own, and the
    init's line is glued back together from its pieces.  (A test that
    echoes kernel log lines looks the same; _glue() keeps that from eating
    the init's next line.)
    """
    raw = text.replace("\r", "").split("\n")
    partial_last = raw[-1] != ""
    if not partial_last:
        raw.pop()
    out: list[Line] = []
    pending, pending_idx = None, 0      # the init's line cut by a printk
    for idx, line in enumerate(raw):
        partial = partial_last and idx == len(raw) - 1
        stamp = STAMP.match(line) or MID_STAMP.search(line)
        if stamp:
            if stamp.start() > 0:
                pending = (pending or "") + line[:stamp.start()]
                pending_idx = idx
            out.append(Line(idx, line[stamp.end():], True, partial))
            continue
        if pending is not None and not _glue(pending, line):
            out.append(Line(pending_idx, pending, not _from_init(pending),
                            False))
        elif pending is not None:
            line = pending + line
        pending = None
        out.append(Line(idx, line, not _from_init(line), partial))
    if pending is not None:
        out.append(Line(pending_idx, pending, not _from_init(pending), True))
    return raw, out


def _glue(head: str, tail: str) -> bool:
    """Is tail the rest of the line head, cut by a printk?  Not if head is
    test output with text in it and tail starts a line of the init's own:
    then head was a whole line that merely contained a timestamp."""
    return not (head.startswith("#") and head.strip() != "#"
                and _from_init(tail))


def _from_init(text: str) -> bool:
    """Unstamped text that the init printed (KTAP or '# ' test output)."""
    return text == "#" or text.startswith("# ") or bool(KTAP_LINE.match(text))


class _Walk:
    """One pass over the logical lines, in console order."""

    def __init__(self, result: Result, deny: list[re.Pattern],
                 allow: list[re.Pattern]):
        self.r, self.deny, self.allow = result, deny, allow
        self.current: int | None = None      # test between start and end
        self.last_ended: int | None = None
        self.highest_started = 0
        self.done = False
        self.lockdep_off: int | str | None = None
        self.last_result = 0
        self.end = "eof"
        self.limit = 0

    def run(self, lines: list[Line]) -> None:
        for ln in lines:
            if m := HOST_LIMIT.match(ln.text):
                self.end, self.limit = "limit", int(m.group(1))
                return
            if ln.kernel:
                self.kernel(ln)
            elif not ln.partial:
                self.user(ln)
            if self.end != "eof":
                return

    def owner(self) -> tuple[int | str, bool]:
        if self.done:
            return "shutdown", False
        if self.current is not None:
            return self.current, False
        if self.last_ended is None:
            return "boot", False
        if self.r.plan is not None and self.last_ended >= self.r.plan:
            return "shutdown", False
        return self.last_ended, True

    def kernel(self, ln: Line) -> None:
        text = ln.text
        if self.marker(text):
            return
        if self.lockdep_off is None and LOCKDEP_OFF.search(text):
            self.lockdep_off = self.owner()[0]
        if any(p.search(text) for p in self.deny):
            if not any(p.search(text) for p in self.allow):
                self.hit(ln.idx, text.strip())
            elif isinstance(owner := self.owner()[0], int):
                self.r.test(owner).allowed.append(text.strip())
        if PANIC.search(text):
            self.end, self.r.end_line = "panic", ln.idx
        elif REBOOT.match(text):
            self.end, self.r.end_line = "reboot", ln.idx

    def marker(self, text: str) -> bool:
        """The init's /dev/kmsg markers: they say which test is running."""
        if m := KMSG_START.match(text):
            self.start(int(m.group(1)), m.group(2) or "", True)
        elif m := KMSG_END.match(text):
            self.stop(int(m.group(1)))
        elif KMSG_DONE.match(text):
            self.done = True
        else:
            return False
        return True

    def hit(self, idx: int, text: str) -> None:
        owner, late = self.owner()
        last = self.r.splats[-1] if self.r.splats else None
        if (last and last.owner == owner and last.late == late
                and idx - last.hits[-1] <= CONTEXT_AFTER):
            last.hits.append(idx)
            return
        splat = Splat(owner, late, text, [idx])
        self.r.splats.append(splat)
        if isinstance(owner, int):
            self.r.test(owner).splats.append(splat)

    def start(self, num: int, name: str, from_kmsg: bool) -> None:
        t = self.begin(num)
        t.name = t.name or name.strip()
        if from_kmsg or num > self.highest_started:
            self.current = num
        self.highest_started = max(self.highest_started, num)

    def begin(self, num: int) -> Test:
        t = self.r.test(num)
        if not t.started:
            t.started = True
            if self.lockdep_off is not None and self.lockdep_off != num:
                t.no_lockdep = self.lockdep_off
        return t

    def stop(self, num: int) -> None:
        if self.current == num:
            self.current, self.last_ended = None, num

    def user(self, ln: Line) -> None:
        text = ln.text
        if (self.current is not None and not text.startswith("# rig: ")
                and not PLAN.match(text)):
            self.r.test(self.current).output.append(text)
        if text.startswith("#"):
            self.rig(ln)
        elif m := PLAN.match(text):
            if self.r.plan is not None:
                self.error(ln, "a second KTAP plan (ignored)")
            else:
                self.r.plan = int(m.group(1))
        elif m := RESULT.match(text):
            self.result(ln, m.group(1) == "ok", int(m.group(2)), m.group(3))

    def rig(self, ln: Line) -> None:
        """'# rig: ...' lines: start, took, done, or info for the report."""
        text = ln.text.rstrip()
        if not text.startswith("# rig: "):
            return
        if m := RIG_PLANNED.match(text):
            self.r.test(int(m.group(1))).name = m.group(2)
        elif m := RIG_START.match(text):
            self.start(int(m.group(1)), m.group(2) or "", False)
        elif m := RIG_TOOK.match(text):
            self.took(ln, m)
        elif RIG_DONE.match(text):
            self.done = True
        else:
            self.r.info.append(text[len("# rig: "):])

    def took(self, ln: Line, m: re.Match) -> None:
        t = self.r.test(int(m.group(1)))
        t.duration = m.group(2)
        try:
            t.taint = (int(m.group(3)), int(m.group(4)))
        except ValueError:
            self.error(ln, f"unreadable taint values in: {ln.text.strip()}")

    def result(self, ln: Line, ok: bool, num: int, rest: str | None) -> None:
        if not self.check_number(ln, num):
            return
        t = self.begin(num)
        name, directive = _split_directive(rest or "")
        t.name = name or t.name
        if directive.upper().startswith("SKIP"):
            t.outcome, t.reason = "skip", directive[4:].strip()
        elif ok:
            t.outcome = "pass"
        else:
            t.outcome, t.reason = "fail", directive or "failed"
        self.stop(num)

    def check_number(self, ln: Line, num: int) -> bool:
        """Record numbering problems; False if the result must be dropped."""
        if num in self.r.tests and self.r.tests[num].outcome != "missing":
            self.error(ln, f"a second result for test {num} (ignored)")
            return False
        if self.r.plan is None:
            self.error(ln, f"result for test {num} before the KTAP plan")
        elif num > self.r.plan:
            self.error(ln, f"result for test {num} beyond the plan 1..{self.r.plan}")
        if num != self.last_result + 1:
            self.error(ln, f"result for test {num} where test "
                       f"{self.last_result + 1} was expected")
        self.last_result = max(self.last_result, num)
        return True

    def error(self, ln: Line, message: str) -> None:
        self.r.errors.append(f"log line {ln.idx + 1}: {message}")

    def finish(self) -> None:
        """Tests without a result crashed (if started) or are missing."""
        if self.r.plan is None:
            self.r.incomplete = "no KTAP plan (guest never reported)"
            return
        why, crash = (s.format(limit=self.limit) for s in ENDINGS[self.end])
        unreported = 0
        for num in range(1, self.r.plan + 1):
            t = self.r.test(num)
            if t.outcome != "missing":
                continue
            unreported += 1
            if self.done:
                t.reason = "no result reported"
            elif t.started:
                t.outcome, t.reason = "crashed", crash
            else:
                t.reason = f"never ran (stopped by {why})"
        if unreported:
            self.r.incomplete = (f"{self.r.plan - unreported} of "
                                 f"{self.r.plan} tests reported "
                                 + self.stopped_by(why))

    def stopped_by(self, why: str) -> str:
        if self.done:
            return "although the init said it was done"
        if self.end == "eof":
            return f"before {why} (VM killed, hung or log truncated)"
        return f"before {why}"


def _split_directive(rest: str) -> tuple[str, str]:
    """'name # directive' -> (name, directive)."""
    if rest.startswith("#"):
        return "", rest[1:].strip()
    name, _, directive = rest.partition(" # ")
    return name.strip(), directive.strip()


def _compile(patterns: Iterable[str | re.Pattern]) -> list[re.Pattern]:
    return [p if isinstance(p, re.Pattern) else re.compile(p)
            for p in patterns]


def analyse(log_text: str, arch: str, deny: list, allow: list) -> Result:
    """Judge one serial log.  deny/allow: regexes (strings or compiled).

    Raises ConfigError only for an empty deny-list: a check that is not
    working must not look like a clean log.  Everything wrong with the log
    itself is recorded in the Result.
    """
    deny_rx, allow_rx = _compile(deny), _compile(allow)
    if not deny_rx:
        raise ConfigError("the deny-list is empty: a check that is not "
                          "working must not look like a clean log")
    raw, lines = console_lines(log_text)
    result = Result(arch, raw)
    walk = _Walk(result, deny_rx, allow_rx)
    walk.run(lines)
    walk.finish()
    return result


# ---------------------------------------------------------------- policy

def load_patterns(path: Path, kind: str, need_link: bool) -> list[re.Pattern]:
    """Read a deny/allow list: each regex preceded by '#' comment lines
    saying why (for the allow-list, with a link).  Blank lines end a
    comment block; leading/trailing white space of a regex is dropped."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{kind} {path} cannot be read ({e.strerror}): a "
                          "check that is not working must not look like a "
                          "clean log") from None
    patterns, comment = [], []
    for num, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#"):
            comment.append(line)
            continue
        if line:
            patterns.append(_policy_entry(path, num, line, comment, need_link))
        comment = []
    if kind == "deny-list" and not patterns:
        raise ConfigError(f"{kind} {path} has no active patterns: a check "
                          "that is not working must not look like a clean log")
    return patterns


def load_policy(deny: Path = DEFAULT_DENY, allow: Path = DEFAULT_ALLOW
                ) -> tuple[list[re.Pattern], list[re.Pattern]]:
    """The splat policy: the deny-list and the allow-list."""
    return (load_patterns(deny, "deny-list", False),
            load_patterns(allow, "allow-list", True))


def _policy_entry(path: Path, num: int, line: str, comment: list[str],
                  need_link: bool) -> re.Pattern:
    where = f"{path}:{num}"
    if not comment:
        raise ConfigError(f"{where}: pattern without a '#' comment line "
                          "above it saying why")
    if need_link and not any("://" in c for c in comment):
        raise ConfigError(f"{where}: allow-list entry without a link in its "
                          "comment")
    try:
        rx = re.compile(line)
    except re.error as e:
        raise ConfigError(f"{where}: bad regex {line!r}: {e}") from None
    if rx.search(""):
        raise ConfigError(f"{where}: regex {line!r} matches every line")
    return rx


# ---------------------------------------------------------------- CLI

class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors exit 3, not argparse's 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def _arguments(argv: list[str]) -> argparse.Namespace:
    p = _Parser(prog="analyse.py", description="Judge rig serial logs.")
    p.add_argument("--deny", type=Path, default=DEFAULT_DENY, metavar="FILE",
                   help="deny-list (default: rig/splats/deny.txt)")
    p.add_argument("--allow", type=Path, default=DEFAULT_ALLOW, metavar="FILE",
                   help="allow-list (default: rig/splats/allow.txt)")
    p.add_argument("--details", type=Path, metavar="FILE",
                   help="write the splat contexts here instead of stdout")
    p.add_argument("logs", nargs="+", metavar="ARCH=LOG")
    args = p.parse_args(argv)
    seen = set()
    for item in args.logs:
        arch, sep, log = item.partition("=")
        if not sep or not arch or not log:
            p.error(f"expected ARCH=LOG, got {item!r}")
        if arch in seen:
            p.error(f"arch {arch!r} given twice")
        seen.add(arch)
    return args


def _analyse_file(arch: str, log: str, deny: list, allow: list) -> Result:
    try:
        text = Path(log).read_bytes().decode("utf-8", errors="replace")
    except OSError as e:
        result = analyse("", arch, deny, allow)
        result.errors.append(f"cannot read {log}: {e.strerror}")
        return result
    return analyse(text, arch, deny, allow)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    try:
        deny, allow = load_policy(args.deny, args.allow)
    except ConfigError as e:
        print(f"analyse.py: error: {e}", file=sys.stderr)
        return EXIT_CONFIG
    results = [_analyse_file(*item.split("=", 1), deny, allow)
               for item in args.logs]
    for result in results:
        sys.stdout.write(result.render())
    details = "".join(r.render_details() for r in results)
    if args.details:
        args.details.write_text(details or "no splats\n", encoding="utf-8")
    elif details:
        sys.stdout.write("\n" + details)
    passed = sum(r.counts()[0] for r in results)
    failed = sum(r.counts()[1] for r in results)
    print(f"{passed} passed, {failed} failed")
    return max(r.exit_status() for r in results)


if __name__ == "__main__":
    sys.exit(main())
