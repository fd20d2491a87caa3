#!/usr/bin/env python3
"""Base versus series: the same test lists, two kernels, one difference.

Usage: compare.py ARCH=BASE_LOG,SERIES_LOG [...]

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
    return {t.label: t for t in result.tests.values()}


def state(t: analyse.Test | None) -> str:
    if t is None:
        return "absent"
    if t.failed():
        return "fail"
    return t.outcome


def diff(arch: str, base: analyse.Result, series: analyse.Result) -> tuple[list[str], bool]:
    b, s = by_name(base), by_name(series)
    out, bad = [], False
    for name in sorted(set(b) | set(s)):
        before, after = state(b.get(name)), state(s.get(name))
        if before == "fail" and after in ("pass", "skip"):
            out.append(f"{arch}: FIXED   {name} (base: {b[name].reason or 'failed'})")
        elif before in ("pass", "skip", "absent") and after == "fail":
            out.append(f"{arch}: BROKEN  {name} (series: {s[name].reason or 'failed'})")
            bad = True
        elif before != after:
            out.append(f"{arch}: CHANGED {name}: {before} -> {after}")
        new = {x.title for x in s[name].splats} - {x.title for x in b[name].splats} \
            if name in s and name in b else set()
        for title in sorted(new):
            out.append(f"{arch}: NEW SPLAT {name}: {title}")
            bad = True
    for label, r in (("base", base), ("series", series)):
        p, f, k = r.counts()
        out.append(f"{arch}: {label:6s} {p} passed, {f} failed, {k} skipped"
                   + (f" (incomplete: {r.incomplete})" if r.incomplete else ""))
    return out, bad


def main(argv: list[str]) -> int:
    deny = analyse.load_patterns(analyse.DEFAULT_DENY, "deny", False)
    allow = analyse.load_patterns(analyse.DEFAULT_ALLOW, "allow", True)
    worst = 0
    for spec in argv[1:]:
        arch, logs = spec.split("=", 1)
        base_log, series_log = logs.split(",", 1)
        results = [analyse.analyse(Path(p).read_text(errors="replace"), arch, deny, allow)
                   for p in (base_log, series_log)]
        lines, bad = diff(arch, *results)
        print("\n".join(lines))
        worst = max(worst, int(bad))
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv))
