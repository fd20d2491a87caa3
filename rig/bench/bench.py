#!/usr/bin/env python3
"""make bench: figures from serial logs, series/base ratios with a 95%
interval, the stopping rule and the table. Pure: no kernel, no VM.

Usage:
  bench.py list FIGURES ARCH SELFTESTS_DIR
      The guest test list for ARCH: every figure's test, once to warm up
      and once measured. Figures whose program is not in SELFTESTS_DIR are
      named on stderr and left out.
  bench.py kernels FIGURES ARCH
      The kernels ARCH's figures read from, in boot order for one round:
      "base series series base" (ABBA), or "series series" when no figure
      reads the base kernel (each side of each figure from the same boot).
  bench.py extract FIGURES ARCH VARIANT BOOT SERIAL_LOG SAMPLES_CSV
      Append the samples of one boot: both runs of each test, each labelled
      in the column "run" (kept: the measured run; warmup: the first).
  bench.py table FIGURES SAMPLES_CSV [--arch A] [--csv OUT] [--plot DIR]
          [--round R --rounds MIN:MAX]
      Print the table of the kept runs, then the same figures from the
      warm-up runs (no verdict; is the kept ratio inside their interval?).
      Exit 0 when every measured figure's interval is
      within its target width, 2 when more boots are needed. With --round,
      after R rounds of ABBA boots: 0 stop (all narrow, and at least MIN
      rounds), 2 go on, 4 stop because R reached the cap MAX first.
  bench.py inboot SAMPLES_CSV NUM DEN [--arch A] [--run kept|warmup]
      For an A/B (scripts/bench-ab.sh: A = base, B = series), the ratio
      NUM/DEN of two figures read in the same boot (e.g. single-time /
      batch-time, figure 1's speedup), its mean over each side's boots,
      and series/base of those means with its interval. A whole boot
      that runs slower moves both figures alike, so this is steadier
      than either figure's own ratio (docs/issue17.md, "The hva tree in
      place"). Not for figures with x values.

The figures are declared in one place, rig/bench/figures.ini (its header
says how). The statistic is the ratio of the mean over boots, series/base
(or base/series where a figure says so). Its interval is a percentile
bootstrap: boots resampled with replacement within each variant, 4000
times, fixed seed. A figure needs at least 2 boots per variant for an
interval at all. Samples without a "run" column (older CSVs) are kept runs.
"""
from __future__ import annotations

import configparser
import csv
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analyser"))
import analyse  # noqa: E402

RESAMPLES = 4000
SEED = 20261201
VARIANTS = ("base", "series")
FIELDS = ("arch", "figure", "side", "kernel", "boot", "x", "value", "run")
TABLE = ("figure", "arch", "unit", "direction", "base", "series", "ratio",
         "interval", "boots", "target", "verdict")
WARMUP = TABLE[:-2] + ("kept ratio",)


class FigureError(Exception):
    pass


@dataclass
class Figure:
    name: str
    arches: list[str]
    test: str                  # the list line: [timeout=S] program args
    patterns: dict[str, re.Pattern]   # per side: "base" and "series"
    kernels: dict[str, str]           # per side: the kernel it is read from
    unit: str
    better: str                # "lower" or "higher": the figure's values
    ratio: str                 # "series/base" or "base/series"
    goal_op: str               # "<=" or ">=", on the ratio
    goal: float
    width: float               # target interval half-width, relative
    issue: str = ""

    @property
    def program(self) -> str:
        words = self.test.split()
        return words[1] if words[0].startswith("timeout=") else words[0]

    @property
    def command(self) -> str:
        """The test as the guest init names it (without timeout=)."""
        words = self.test.split()
        return " ".join(words[1:] if words[0].startswith("timeout=") else words)

    @property
    def curve(self) -> bool:
        return self.patterns["base"].groups == 2

    @property
    def compares(self) -> str:
        """What the base and series columns are, where not the two kernels."""
        if self.kernels == {"base": "base", "series": "series"} and \
                self.patterns["base"].pattern == self.patterns["series"].pattern:
            return "series/base kernels"
        return "; ".join(f"{side}: {self.kernels[side]} kernel, /{self.patterns[side].pattern}/"
                         for side in VARIANTS)

    @property
    def target(self) -> str:
        return f"{self.goal_op} {self.goal:g} (±{self.width * 100:g}%)"


def load_figures(path: str | Path) -> list[Figure]:
    cp = configparser.ConfigParser(interpolation=None, default_section="defaults")
    with open(path, encoding="utf-8") as f:
        cp.read_file(f)
    figures = []
    for name in cp.sections():
        s = cp[name]

        def need(key: str) -> str:
            if not s.get(key, "").strip():
                raise FigureError(f"{path}: [{name}]: no '{key}'")
            return s[key].strip()

        pats, kernels = {}, {}
        for v in VARIANTS:
            src = s.get(f"{v}_pattern", "").strip() or need("pattern")
            try:
                pats[v] = re.compile(src, re.M)
            except re.error as e:
                raise FigureError(f"{path}: [{name}]: bad {v} pattern: {e}") from e
            if pats[v].groups not in (1, 2):
                raise FigureError(f"{path}: [{name}]: a pattern captures the value, "
                                  "or x then the value")
            kernels[v] = s.get(f"{v}_kernel", v).strip()
            if kernels[v] not in VARIANTS:
                raise FigureError(f"{path}: [{name}]: {v}_kernel = base|series")
        if pats["base"].groups != pats["series"].groups:
            raise FigureError(f"{path}: [{name}]: base and series patterns differ in shape")
        better = need("better")
        if better not in ("lower", "higher"):
            raise FigureError(f"{path}: [{name}]: better = lower|higher")
        ratio = s.get("ratio", "series/base").strip()
        if ratio not in ("series/base", "base/series"):
            raise FigureError(f"{path}: [{name}]: ratio = series/base|base/series")
        m = re.fullmatch(r"(<=|>=)\s*([0-9.]+)", need("goal"))
        if not m:
            raise FigureError(f"{path}: [{name}]: goal = '<= R' or '>= R' on the ratio")
        width = float(s.get("width", "5").rstrip("%")) / 100
        if not 0 < width < 1:
            raise FigureError(f"{path}: [{name}]: width is a percentage in (0, 100)")
        figures.append(Figure(name, need("arches").split(), need("test"), pats, kernels,
                              need("unit"), better, ratio, m.group(1),
                              float(m.group(2)), width, s.get("issue", "").strip()))
    return figures


# --- the guest list and the samples -----------------------------------------

def select(figures: list[Figure], names: str | None) -> list[Figure]:
    """The figures named in NAMES (comma-separated; BENCH_FIGURES), in
    figures.ini order; all of them when NAMES is empty."""
    if not names:
        return figures
    wanted = {n.strip() for n in names.split(",") if n.strip()}
    unknown = wanted - {f.name for f in figures}
    if unknown:
        raise FigureError(f"BENCH_FIGURES: no such figure: {', '.join(sorted(unknown))}")
    return [f for f in figures if f.name in wanted]


def built_programs(kvm_dir: str) -> set[str]:
    """The selftest programs built under KVM_DIR: the top level and its
    per-arch directories (x86/, arm64/), which the guest's initramfs
    flattens (scripts/initramfs.sh looks two levels deep, as here)."""
    have = set()
    for top, dirs, files in os.walk(kvm_dir):
        if top != kvm_dir:
            dirs.clear()
        have.update(f for f in files if os.access(os.path.join(top, f), os.X_OK))
    return have


def test_list(figures: list[Figure], arch: str, have: set[str]) -> tuple[list[str], list[str]]:
    """The list lines for ARCH and the figures left out (no program)."""
    lines, missing = [], []
    for f in figures:
        if arch not in f.arches:
            continue
        if f.program not in have:
            missing.append(f"{f.name}: {f.program} is not built"
                           + (f" (issue {f.issue})" if f.issue else ""))
            continue
        if f.test not in lines:
            lines.append(f.test)
    # Warm-up: the whole list once, then the measured run.
    return lines + lines, missing


def round_kernels(figures: list[Figure], arch: str) -> list[str]:
    """One round's boots for ARCH: ABBA, or only the series kernel when no
    figure of ARCH reads the base one (booting it would measure nothing)."""
    used = {k for f in figures if arch in f.arches for k in f.kernels.values()}
    if "base" in used or not used:
        return ["base", "series", "series", "base"]
    return ["series", "series"]


def runs_by_command(log: str) -> dict[str, list[analyse.Test]]:
    """Each test command's runs in order, as the analyser read them (with
    its splat policy, so that a run with a splat does not count as passed)."""
    result = analyse.analyse(log, "bench", *analyse.load_policy())
    runs: dict[str, list[analyse.Test]] = {}
    for t in sorted(result.tests.values(), key=lambda t: t.num):
        runs.setdefault(t.name, []).append(t)
    return runs


def read_run(f: Figure, side: str, test: analyse.Test,
             run: str) -> list[tuple[str, str, str, float, str]]:
    """(figure, side, x, value, run) for each match of SIDE's pattern in
    the output of TEST, one run of the figure's test."""
    out = []
    for m in f.patterns[side].findall("\n".join(test.output)):
        x, v = (m if f.curve else ("", m))
        out.append((f.name, side, x, float(v), run))
    return out


def extract(figures: list[Figure], arch: str, variant: str,
            log: str) -> list[tuple[str, str, str, float, str]]:
    """(figure, side, x, value, run) from the runs of each test, for the
    sides of each figure that are read from the VARIANT kernel: run "kept"
    from the measured (last) run, "warmup" from the first when there are
    two. The kept run must have passed and printed the figure; a warm-up
    that did not (or an older log's missing one) is left out."""
    runs = runs_by_command(log)
    samples = []
    for f in figures:
        if arch not in f.arches or f.command not in runs:
            continue
        *earlier, kept = runs[f.command]
        warmup = earlier[0] if earlier and earlier[0].passed() else None
        if not kept.passed():
            raise FigureError(f"{f.name}: '{f.command}' did not pass on {arch} {variant}")
        for side in VARIANTS:
            if f.kernels[side] != variant:
                continue
            found = read_run(f, side, kept, "kept")
            if not found:
                raise FigureError(f"{f.name}: no {side} figure in the output of "
                                  f"'{f.command}' ({arch} {variant} kernel)")
            samples += found + (read_run(f, side, warmup, "warmup") if warmup else [])
    return samples


def read_samples(path: str | Path) -> list[dict]:
    if not Path(path).exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- statistics ---------------------------------------------------------------

def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def ratio_interval(base: list[float], series: list[float], order: str,
                   resamples: int = RESAMPLES, seed: int = SEED):
    """(ratio, lo, hi) of the means; lo/hi None below 2 boots per side."""
    def r(b: list[float], s: list[float]) -> float:
        return mean(s) / mean(b) if order == "series/base" else mean(b) / mean(s)

    point = r(base, series)
    if len(base) < 2 or len(series) < 2:
        return point, None, None
    rng = random.Random(seed)
    stats = sorted(r(rng.choices(base, k=len(base)), rng.choices(series, k=len(series)))
                   for _ in range(resamples))
    lo = stats[int(0.025 * (resamples - 1))]
    hi = stats[int(0.975 * (resamples - 1) + 0.5)]
    return point, lo, hi


def narrow(point: float, lo: float | None, hi: float | None, width: float) -> bool:
    """The stopping rule: the interval's half-width is within WIDTH of the
    ratio (relative)."""
    return lo is not None and (hi - lo) / 2 <= width * abs(point)


def verdict(goal_op: str, goal: float, lo: float | None, hi: float | None) -> str:
    if lo is None:
        return "undecided"
    if goal_op == "<=":
        return "met" if hi <= goal else "missed" if lo > goal else "undecided"
    return "met" if lo >= goal else "missed" if hi < goal else "undecided"


def rows(figures: list[Figure], samples: list[dict], arch: str | None = None,
         run: str = "kept") -> list[dict]:
    """The table's rows from the samples of RUN (a sample without one, from
    an older CSV, is a kept run)."""
    out = []
    for f in figures:
        for a in f.arches:
            if arch and a != arch:
                continue
            pts: dict[str, dict[str, list[float]]] = {}
            for s in samples:
                if s["figure"] == f.name and s["arch"] == a and s.get("run", "kept") == run:
                    pts.setdefault(s["x"], {v: [] for v in VARIANTS})[s["side"]].append(
                        float(s["value"]))
            for x, vals in sorted(pts.items(), key=lambda kv: (len(kv[0]), kv[0])):
                if not vals["base"] or not vals["series"]:
                    continue
                point, lo, hi = ratio_interval(vals["base"], vals["series"], f.ratio)
                out.append({
                    "figure": f"{f.name}@{x}" if x else f.name,
                    "name": f.name, "x": x, "arch": a, "unit": f.unit,
                    "direction": f"{f.better} is better", "ratio_of": f.ratio,
                    "compares": f.compares,
                    "base": mean(vals["base"]), "series": mean(vals["series"]),
                    "ratio": point, "lo": lo, "hi": hi,
                    "boots": f"{len(vals['base'])}+{len(vals['series'])}",
                    "target": f.target, "goal_op": f.goal_op, "goal": f.goal,
                    "narrow": narrow(point, lo, hi, f.width),
                    "verdict": verdict(f.goal_op, f.goal, lo, hi), "run": run,
                })
    return out


def warmup_rows(figures: list[Figure], samples: list[dict], kept: list[dict],
                arch: str | None = None) -> list[dict]:
    """The rows of the warm-up runs, without target or verdict, each with
    the kept ratio of the same figure and point and whether it lies outside
    the warm-up interval: then the two runs of the same boots disagree, and
    the figure measures what the first run left behind, not the patches."""
    ratios = {(r["figure"], r["arch"]): r["ratio"] for r in kept}
    out = rows(figures, samples, arch, "warmup")
    for r in out:
        k = ratios.get((r["figure"], r["arch"]))
        r["target"] = r["verdict"] = ""
        r["kept"] = "-" if k is None else f"{k:.3f}" + (
            "" if r["lo"] is None else ", inside" if r["lo"] <= k <= r["hi"] else ", outside")
    return out


def inboot(samples: list[dict], num: str, den: str, arch: str | None = None,
           run: str = "kept") -> list[dict]:
    """Per arch: NUM/DEN per boot, for each side, and series/base of their
    means. A boot counts when it has both figures (without an x value)."""
    per: dict[tuple[str, str, str], dict[str, float]] = {}
    for s in samples:
        if s["figure"] not in (num, den) or s["x"] or s.get("run", "kept") != run:
            continue
        if arch and s["arch"] != arch:
            continue
        per.setdefault((s["arch"], s["side"], s["boot"]), {})[s["figure"]] = float(s["value"])
    out = []
    for a in sorted({k[0] for k in per}):
        sides = {side: [v[num] / v[den] for (pa, ps, _), v in sorted(per.items())
                        if pa == a and ps == side and num in v and den in v and v[den]]
                 for side in VARIANTS}
        if not sides["base"] or not sides["series"]:
            continue
        point, lo, hi = ratio_interval(sides["base"], sides["series"], "series/base")
        out.append({"arch": a, "base": mean(sides["base"]), "series": mean(sides["series"]),
                    "ratio": point, "lo": lo, "hi": hi,
                    "boots": f"{len(sides['base'])}+{len(sides['series'])}"})
    return out


def stopping(table: list[dict], done: int, least: int, cap: int) -> tuple[int, str]:
    """After DONE rounds: (status, why). 0 stop, 2 another round, 4 cap."""
    wide = [f"{r['figure']} ({r['arch']})" for r in table if not r["narrow"]]
    if not table:
        return (4, "no figure measured") if done >= cap else (2, "no figure measured yet")
    if done < least:
        return 2, f"round {done} of at least {least}"
    if not wide:
        return 0, f"every interval within its target after {done} rounds"
    if done >= cap:
        return 4, f"cap of {cap} rounds hit first; still wide: {', '.join(wide)}"
    return 2, f"still wide after {done} rounds: {', '.join(wide)}"


def interval(row: dict) -> str:
    return "-" if row["lo"] is None else f"[{row['lo']:.3f}, {row['hi']:.3f}]"


def cells(r: dict) -> tuple:
    """A row's cells up to boots, as printed."""
    return (r["figure"], r["arch"], r["unit"], r["direction"],
            f"{r['base']:.6g}", f"{r['series']:.6g}",
            f"{r['ratio']:.3f} ({r['ratio_of']})", interval(r), r["boots"])


def aligned(head: tuple, body: list[tuple]) -> list[str]:
    cells = [head, *body]
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(head))]
    return ["  ".join(str(c[i]).ljust(widths[i]) for i in range(len(head))).rstrip()
            for c in cells]


def render(table: list[dict], warmup: list[dict] = ()) -> str:
    lines = aligned(TABLE, [cells(r) + (r["target"], r["verdict"]) for r in table])
    notes = {r["name"]: r["compares"] for r in table if r["compares"] != "series/base kernels"}
    lines += [f"  {name}: {what}" for name, what in notes.items()]
    if warmup:
        lines += ["", "warm-up runs (the first run of each boot), no verdict; \"outside\": "
                  "the kept ratio is outside the warm-up interval, the two runs disagree"]
        lines += aligned(WARMUP, [cells(r) + (r["kept"],) for r in warmup])
    return "\n".join(lines)


def write_csv(table: list[dict], path: str | Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(TABLE + ("ratio_of", "lo", "hi", "compares", "run", "kept_ratio"))
        for r in table:
            w.writerow((r["figure"], r["arch"], r["unit"], r["direction"], f"{r['base']:.6g}",
                        f"{r['series']:.6g}", f"{r['ratio']:.4f}", interval(r), r["boots"],
                        r["target"], r["verdict"], r["ratio_of"],
                        "" if r["lo"] is None else f"{r['lo']:.4f}",
                        "" if r["hi"] is None else f"{r['hi']:.4f}", r["compares"],
                        r["run"], r.get("kept", "")))


def gnuplot_script(name: str, arch: str, pts: list[dict], png: str, dat: str) -> str:
    r0 = pts[0]
    return "\n".join([
        # pngcairo draws the goal dashed (libgd's png cannot); noenhanced
        # keeps the "_" of x86_64 from becoming a subscript.
        "set terminal pngcairo size 900,600 noenhanced",
        f"set output '{png}'",
        f"set title '{name} on {arch}: {r0['ratio_of']} per point, 95% interval; "
        f"goal {r0['goal_op']} {r0['goal']:g}'",
        "set logscale x 2", "set xlabel 'N'", f"set ylabel 'ratio {r0['ratio_of']}'",
        "set key top left", "set grid", "set yrange [0:*]",
        # Room at both ends, so that the first and last error bars show.
        "set offsets graph 0.04, graph 0.04, 0, 0",
        f"plot '{dat}' using 1:2:3:4 with yerrorlines title '{name}', "
        f"{r0['goal']:g} with lines dashtype 2 title 'goal'",
        "",
    ])


def plot(table: list[dict], outdir: str | Path) -> list[str]:
    """A PNG per curve figure and arch (gnuplot); the .dat and .gp stay."""
    made = []
    curves: dict[tuple[str, str], list[dict]] = {}
    for r in table:
        if r["x"] and r["lo"] is not None:
            curves.setdefault((r["name"], r["arch"]), []).append(r)
    for (name, arch), pts in curves.items():
        base = Path(outdir) / f"{name}-{arch}"
        pts.sort(key=lambda r: float(r["x"]))
        base.with_suffix(".dat").write_text(
            "".join(f"{r['x']} {r['ratio']:.5f} {r['lo']:.5f} {r['hi']:.5f}\n" for r in pts))
        gp = base.with_suffix(".gp")
        gp.write_text(gnuplot_script(name, arch, pts, base.name + ".png", base.name + ".dat"))
        if shutil.which("gnuplot"):
            subprocess.run(["gnuplot", gp.name], cwd=outdir, check=True)
            made.append(str(base.with_suffix(".png")))
    return made


# --- command line -------------------------------------------------------------

def options(args: list[str], allowed: set[str]) -> dict[str, str] | None:
    """The "--name value" pairs of ARGS, or None when a name is not ALLOWED
    or a value is missing."""
    opts = dict(zip(args[::2], args[1::2]))
    return None if len(args) % 2 or set(opts) - allowed else opts


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 3
    cmd = argv[1]
    if cmd == "inboot" and len(argv) >= 5:
        opts = options(argv[5:], {"--arch", "--run"})
        if opts is None:
            print(__doc__, file=sys.stderr)
            return 3
        num, den = argv[3], argv[4]
        got = inboot(read_samples(argv[2]), num, den, opts.get("--arch"),
                     opts.get("--run", "kept"))
        for r in got:
            iv = "" if r["lo"] is None else f" [{r['lo']:.3f}, {r['hi']:.3f}]"
            print(f"{r['arch']}: {num}/{den} per boot, mean: base {r['base']:.4g}, "
                  f"series {r['series']:.4g}; series/base {r['ratio']:.3f}{iv}, "
                  f"{r['boots']} boots")
        return 0 if got else 2
    figures = select(load_figures(argv[2]), os.environ.get("BENCH_FIGURES"))
    if cmd == "list" and len(argv) == 5:
        have = built_programs(argv[4])
        lines, missing = test_list(figures, argv[3], have)
        for m in missing:
            print(f"bench: {argv[3]}: not measured: {m}", file=sys.stderr)
        print("\n".join(lines))
        return 0
    if cmd == "kernels" and len(argv) == 4:
        print(" ".join(round_kernels(figures, argv[3])))
        return 0
    if cmd == "extract" and len(argv) == 8:
        arch, variant, boot, log, out = argv[3:8]
        if variant not in VARIANTS:
            raise FigureError(f"variant {variant}: base or series")
        samples = extract(figures, arch, variant,
                          Path(log).read_text(encoding="utf-8", errors="replace"))
        new = not Path(out).exists()
        if not new:
            with open(out, newline="", encoding="utf-8") as f:
                if next(csv.reader(f), None) != list(FIELDS):
                    raise FigureError(f"{out}: not the columns {','.join(FIELDS)}: start a new one")
        with open(out, "a", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            if new:
                w.writerow(FIELDS)
            for name, side, x, v, run in samples:
                w.writerow((arch, name, side, variant, boot, x, repr(v), run))
        return 0
    if cmd == "table" and len(argv) >= 4:
        opts = options(argv[4:], {"--arch", "--csv", "--plot", "--round", "--rounds"})
        if opts is None or ("--round" in opts) != ("--rounds" in opts):
            print(__doc__, file=sys.stderr)
            return 3
        samples = read_samples(argv[3])
        table = rows(figures, samples, opts.get("--arch"))
        warmup = warmup_rows(figures, samples, table, opts.get("--arch"))
        print(render(table, warmup))
        if "--csv" in opts:
            write_csv(table + warmup, opts["--csv"])
        if "--plot" in opts:
            for png in plot(table, opts["--plot"]):
                print(f"plot: {png}")
        if "--round" in opts:
            least, cap = (int(n) for n in opts["--rounds"].split(":"))
            status, why = stopping(table, int(opts["--round"]), least, cap)
            print(f"bench: {why}")
            return status
        return 0 if table and all(r["narrow"] for r in table) else 2
    print(__doc__, file=sys.stderr)
    return 3


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except FigureError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
