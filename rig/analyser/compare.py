#!/usr/bin/env python3
"""Base versus series: the same test lists, two kernels, one difference.

Usage: compare.py [--labels A,B] [--times] ARCH=BASE_LOG,SERIES_LOG [...]

--labels names the two runs (default: base,series), e.g. two emulator
versions on the same kernel. --times adds, per arch, every test's duration
in both runs and the totals.

Prints, per arch, the tests the series fixed (failed on the base, pass with
the series), the tests it broke (the other way round), the tests whose
splats are new with the series, then both verdict summaries. Exit status 1
if the series broke a test or added a splat, else 0.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import analyse  # noqa: E402


def by_name(result: analyse.Result) -> dict[str, analyse.Test]:
    """Tests by label, in run order; a list may run a test more than once,
    so the second run of "foo" is "foo #2", and so on."""
    out: dict[str, analyse.Test] = {}
    seen: dict[str, int] = {}
    for t in sorted(result.tests.values(), key=lambda t: t.num):
        seen[t.label] = seen.get(t.label, 0) + 1
        out[t.label if seen[t.label] == 1 else f"{t.label} #{seen[t.label]}"] = t
    return out


def state(t: analyse.Test | None) -> str:
    if t is None:
        return "absent"
    if t.failed():
        return "fail"
    return t.outcome


def secs(t: analyse.Test | None) -> float | None:
    try:
        return float(t.duration) if t and t.duration else None
    except ValueError:
        return None


def times(arch: str, runs: list[analyse.Result], labels: list[str]) -> list[str]:
    """Per-test durations side by side, then the sums over tests both timed."""
    a, b = (by_name(r) for r in runs)
    out = [f"{arch}: {'test':40s} {labels[0]:>10s} {labels[1]:>10s}  ratio"]
    tot = [0.0, 0.0]
    for name in sorted(set(a) | set(b)):
        x, y = secs(a.get(name)), secs(b.get(name))
        cells = [f"{v:10.1f}" if v is not None else f"{'-':>10s}" for v in (x, y)]
        ratio = f"{y / x:6.2f}" if x and y else ""
        out.append(f"{arch}: {name:40s} {cells[0]} {cells[1]} {ratio}")
        if x is not None and y is not None:
            tot[0] += x
            tot[1] += y
    if tot[0]:
        out.append(f"{arch}: {'total (tests timed in both)':40s} {tot[0]:10.1f} {tot[1]:10.1f} {tot[1] / tot[0]:6.2f}")
    return out


def diff(arch: str, base: analyse.Result, series: analyse.Result,
         labels: tuple[str, str] = ("base", "series")) -> tuple[list[str], bool]:
    b, s = by_name(base), by_name(series)
    out, bad = [], False
    for name in sorted(set(b) | set(s)):
        before, after = state(b.get(name)), state(s.get(name))
        if before == "fail" and after in ("pass", "skip"):
            out.append(f"{arch}: FIXED   {name} ({labels[0]}: {b[name].reason or 'failed'})")
        elif before in ("pass", "skip", "absent") and after == "fail":
            out.append(f"{arch}: BROKEN  {name} ({labels[1]}: {s[name].reason or 'failed'})")
            bad = True
        elif before != after:
            out.append(f"{arch}: CHANGED {name}: {before} -> {after}")
        new = {x.title for x in s[name].splats} - {x.title for x in b[name].splats} \
            if name in s and name in b else set()
        for title in sorted(new):
            out.append(f"{arch}: NEW SPLAT {name}: {title}")
            bad = True
    for label, r in zip(labels, (base, series)):
        p, f, k = r.counts()
        out.append(f"{arch}: {label:6s} {p} passed, {f} failed, {k} skipped"
                   + (f" (incomplete: {r.incomplete})" if r.incomplete else ""))
    return out, bad


def main(argv: list[str]) -> int:
    deny, allow = analyse.load_policy()
    worst = 0
    args = argv[1:]
    labels, show_times = ["base", "series"], False
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--labels":
            labels = args.pop(0).split(",", 1)
        elif opt == "--times":
            show_times = True
        else:
            print(f"compare.py: unknown option {opt}", file=sys.stderr)
            return 3
    for spec in args:
        arch, logs = spec.split("=", 1)
        base_log, series_log = logs.split(",", 1)
        results = [analyse.analyse(Path(p).read_text(errors="replace"), arch, deny, allow)
                   for p in (base_log, series_log)]
        lines, bad = diff(arch, *results, labels=tuple(labels))
        if show_times:
            lines += times(arch, results, labels)
        print("\n".join(lines))
        worst = max(worst, int(bad))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv))
