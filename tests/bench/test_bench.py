#!/usr/bin/env python3
"""make bench's pure parts: the figure declarations, the samples read from
recorded serial logs, the statistics and the stopping rule."""
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "rig" / "bench"))
import bench  # noqa: E402

FIGS = """
[move]
arches = x86_64 arm64
test = timeout=300 memslot_perf_test -f 3 -e 3
pattern = Best runtime result was ([0-9.]+)s per iteration
unit = s
better = lower
goal = <= 1.05

[batch]
arches = arm64
test = memslot_batch_test -b
base_kernel = series
base_pattern = N=([0-9]+) singles: ([0-9]+) us
series_pattern = N=([0-9]+) batch: ([0-9]+) us
unit = us
better = lower
ratio = base/series
goal = >= 50
width = 10

[later]
issue = 99
arches = x86_64
test = not_yet_test -b
pattern = rate ([0-9]+)/s
unit = 1/s
better = higher
goal = >= 0.98
"""

# A recorded serial log, trimmed: each test twice (warm-up, measured),
# with kernel lines and the init's markers around the test output.
LOG = """\
[    8.7] rig: test-start 1 memslot_perf_test -f 3 -e 3
# rig: start 1 memslot_perf_test -f 3 -e 3
# Best runtime result was 0.000900000s per iteration (with 10 iterations)
ok 1 memslot_perf_test -f 3 -e 3
# rig: 1 memslot_perf_test -f 3 -e 3 took 3.1s tainted before=0 after=0
# rig: start 2 memslot_batch_test -b
# N=1 singles: 500 us
# N=1 batch: 20 us
ok 2 memslot_batch_test -b
# rig: start 3 memslot_perf_test -f 3 -e 3
[   12.0] some kernel line
# Best runtime result was 0.000800000s per iteration (with 12 iterations)
ok 3 memslot_perf_test -f 3 -e 3
# rig: start 4 memslot_batch_test -b
# N=1 singles: 400 us
# N=1 batch: 10 us
# N=16 singles: 6400 us
# N=16 batch: 40 us
ok 4 memslot_batch_test -b
"""


# A recorded bench's samples with both runs of each boot; boots 5 and 6
# come from logs without a warm-up figure. The kept runs say 1.2, the
# warm-up runs about 1.01: the disagreement the warm-up table is there for.
SAMPLES_BOTH_RUNS = """\
arch,figure,side,kernel,boot,x,value,run
x86_64,move,base,base,1,,0.00100,kept
x86_64,move,base,base,1,,0.00120,warmup
x86_64,move,series,series,2,,0.00121,kept
x86_64,move,series,series,2,,0.00119,warmup
x86_64,move,series,series,3,,0.00119,kept
x86_64,move,series,series,3,,0.00122,warmup
x86_64,move,base,base,4,,0.00098,kept
x86_64,move,base,base,4,,0.00118,warmup
x86_64,move,base,base,5,,0.00102,kept
x86_64,move,series,series,6,,0.00120,kept
"""

# What bench.py printed for the kept rows alone before the samples had a
# run column (its table must not change).
KEPT_TABLE = """\
figure  arch    unit  direction        base   series  ratio                interval        boots  target         verdict
move    x86_64  s     lower is better  0.001  0.0012  1.200 (series/base)  [1.176, 1.224]  3+3    <= 1.05 (±5%)  missed
"""

WARMUP_TABLE = """
warm-up runs (the first run of each boot), no verdict; "outside": the kept ratio is outside the warm-up interval, the two runs disagree
figure  arch    unit  direction        base     series    ratio                interval        boots  kept ratio
move    x86_64  s     lower is better  0.00119  0.001205  1.013 (series/base)  [0.992, 1.034]  2+2    1.200, outside
"""


def figures(text=FIGS):
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(text)
    try:
        return bench.load_figures(f.name)
    finally:
        Path(f.name).unlink()


def samples(base, series, fig="move", arch="x86_64", x=""):
    out = []
    for side, vals in (("base", base), ("series", series)):
        for i, v in enumerate(vals):
            out.append({"arch": arch, "figure": fig, "side": side, "kernel": side,
                        "boot": str(i), "x": x, "value": str(v)})
    return out


class Declarations(unittest.TestCase):
    def test_repo_figures_load(self):
        figs = bench.load_figures(ROOT / "rig" / "bench" / "figures.ini")
        self.assertTrue(figs)
        for f in figs:
            self.assertTrue(set(f.arches) <= {"x86_64", "arm64"}, f.name)
            self.assertTrue(f.issue, f"{f.name} names no issue")

    def test_fields(self):
        move, batch, later = figures()
        self.assertEqual(move.program, "memslot_perf_test")
        self.assertEqual(move.command, "memslot_perf_test -f 3 -e 3")
        self.assertFalse(move.curve)
        self.assertTrue(batch.curve)
        self.assertEqual(batch.kernels, {"base": "series", "series": "series"})
        self.assertEqual((batch.goal_op, batch.goal, batch.width), (">=", 50.0, 0.10))
        self.assertEqual(move.width, 0.05)
        self.assertEqual(move.compares, "series/base kernels")
        self.assertIn("series kernel", batch.compares)

    def test_bad_declarations(self):
        good = FIGS.split("[batch]")[0]
        for bad, why in ((good.replace("unit = s\n", ""), "no 'unit'"),
                         (good.replace("better = lower", "better = faster"), "better"),
                         (good.replace("<= 1.05", "< 1.05"), "goal"),
                         (good.replace("([0-9.]+)", "[0-9.]+"), "captures"),
                         (good.replace("goal = <= 1.05", "goal = <= 1.05\nwidth = 0"), "width"),
                         (good + "base_kernel = other\n", "base_kernel"),
                         (good.replace("([0-9.]+)", "(["), "bad base pattern")):
            with self.assertRaisesRegex(bench.FigureError, why):
                figures(bad)


class Samples(unittest.TestCase):
    def test_list_warms_up_and_names_what_is_missing(self):
        figs = figures()
        lines, missing = bench.test_list(figs, "x86_64", {"memslot_perf_test"})
        self.assertEqual(lines, ["timeout=300 memslot_perf_test -f 3 -e 3"] * 2)
        self.assertEqual(missing, ["later: not_yet_test is not built (issue 99)"])
        lines, _ = bench.test_list(figs, "arm64", {"memslot_perf_test", "memslot_batch_test"})
        self.assertEqual(len(lines), 4)
        self.assertEqual(lines[:2], lines[2:])

    def test_a_round_boots_base_only_when_a_figure_reads_it(self):
        figs = figures()
        abba = ["base", "series", "series", "base"]
        self.assertEqual(bench.round_kernels(figs, "x86_64"), abba)
        self.assertEqual(bench.round_kernels(figs, "arm64"), abba)
        self.assertEqual(bench.round_kernels(bench.select(figs, "batch"), "arm64"),
                         ["series", "series"])
        self.assertEqual(bench.round_kernels(bench.select(figs, "batch"), "x86_64"), abba)

    def test_bench_figures_selects_by_name(self):
        figs = figures()
        self.assertEqual(bench.select(figs, None), figs)
        self.assertEqual([f.name for f in bench.select(figs, " batch,move ")], ["move", "batch"])
        with self.assertRaisesRegex(bench.FigureError, "no such figure: nope"):
            bench.select(figs, "move,nope")

    def test_programs_in_the_arch_directories_count_as_built(self):
        with tempfile.TemporaryDirectory() as d:
            for rel, mode in (("memslot_perf_test", 0o755), ("x86/vendor_module_reload_test", 0o755),
                              ("x86/README", 0o644), ("x86/deep/too_deep_test", 0o755)):
                path = Path(d, rel)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("")
                path.chmod(mode)
            self.assertEqual(bench.built_programs(d),
                             {"memslot_perf_test", "vendor_module_reload_test"})
            self.assertEqual(bench.built_programs(os.path.join(d, "missing")), set())

    def test_extract_reads_the_measured_run_and_the_warm_up(self):
        # Each test ran twice: the last run is kept, the first is the warm-up.
        figs = figures()
        got = bench.extract(figs, "arm64", "base", LOG)
        self.assertEqual(got, [("move", "base", "", 0.0008, "kept"),
                               ("move", "base", "", 0.0009, "warmup")])
        got = bench.extract(figs, "arm64", "series", LOG)
        self.assertEqual(got, [("move", "series", "", 0.0008, "kept"),
                               ("move", "series", "", 0.0009, "warmup"),
                               ("batch", "base", "1", 400.0, "kept"),
                               ("batch", "base", "16", 6400.0, "kept"),
                               ("batch", "base", "1", 500.0, "warmup"),
                               ("batch", "series", "1", 10.0, "kept"),
                               ("batch", "series", "16", 40.0, "kept"),
                               ("batch", "series", "1", 20.0, "warmup")])

    def test_a_missing_warm_up_is_left_out(self):
        figs = figures()
        kept = [("move", "base", "", 0.0008, "kept")]
        # An older log's warm-up without the figure, one that failed, none.
        silent = LOG.replace("0.000900000s per", "?")
        failed = LOG.replace("ok 1 memslot", "not ok 1 memslot")
        once = "# rig: start 3 " + LOG.split("# rig: start 3 ")[1]
        for log in (silent, failed, once):
            self.assertEqual(bench.extract(figs, "x86_64", "base", log), kept)

    def test_extract_refuses_a_failed_or_silent_run(self):
        figs = figures()
        with self.assertRaisesRegex(bench.FigureError, "did not pass"):
            bench.extract(figs, "x86_64", "base", LOG.replace("ok 3 memslot", "not ok 3 memslot"))
        with self.assertRaisesRegex(bench.FigureError, "no base figure"):
            bench.extract(figs, "x86_64", "base", LOG.replace("0.000800000s per", "?"))
        skipped = LOG.replace("ok 3 memslot_perf_test -f 3 -e 3",
                              "ok 3 memslot_perf_test -f 3 -e 3 # SKIP no KVM")
        with self.assertRaisesRegex(bench.FigureError, "did not pass"):
            bench.extract(figs, "x86_64", "base", skipped)

    def test_extract_reads_lines_as_the_analyser_does(self):
        figs = figures()
        # A printk that lands in the middle of the figure's line: the
        # analyser glues the line back together, so the value is read.
        cut = LOG.replace("# Best runtime result was 0.000800000s per iteration",
                          "# Best runtime result was 0.0008[   12.500000] kvm: hello\n"
                          "00000s per iteration")
        self.assertEqual(bench.extract(figs, "x86_64", "base", cut)[0],
                         ("move", "base", "", 0.0008, "kept"))
        # A splat during the measured run: the run did not pass.
        splat = LOG.replace("[   12.0] some kernel line",
                            "[   12.0] WARNING: CPU: 1 PID: 7 at x.c:1 f+0x1/0x2")
        with self.assertRaisesRegex(bench.FigureError, "did not pass"):
            bench.extract(figs, "x86_64", "base", splat)


class Statistics(unittest.TestCase):
    def test_no_interval_below_two_boots(self):
        self.assertEqual(bench.ratio_interval([100], [105, 104], "series/base")[1:], (None, None))
        self.assertFalse(bench.narrow(1.0, None, None, 0.05))

    def test_identical_boots_give_a_point(self):
        r, lo, hi = bench.ratio_interval([10, 10, 10], [11, 11], "series/base")
        self.assertAlmostEqual(r, 1.1)
        self.assertAlmostEqual(lo, 1.1)
        self.assertAlmostEqual(hi, 1.1)

    def test_orientation(self):
        r, _, _ = bench.ratio_interval([400, 400], [10, 10], "base/series")
        self.assertEqual(r, 40)

    def test_deterministic(self):
        a = bench.ratio_interval([98, 103, 100, 101], [99, 104, 100, 97], "series/base")
        self.assertEqual(a, bench.ratio_interval([98, 103, 100, 101], [99, 104, 100, 97],
                                                 "series/base"))

    def test_debug_kernel_noise_is_not_narrow_in_one_round(self):
        # Two boots a side that differ by 25%, as the debug kernels' did.
        r, lo, hi = bench.ratio_interval([80, 100], [82, 104], "series/base")
        self.assertFalse(bench.narrow(r, lo, hi, 0.05))
        self.assertEqual(bench.verdict("<=", 1.05, lo, hi), "undecided")

    def test_interval_covers_the_truth(self):
        # 200 simulated benches of 6 boots a side, 8% boot-to-boot noise,
        # true ratio 1.03: the 95% interval covers it most of the time
        # (a small-sample percentile bootstrap undercovers a little).
        rng = random.Random(1)
        hits = 0
        for _ in range(200):
            b = [100 * rng.gauss(1, 0.08) for _ in range(6)]
            s = [103 * rng.gauss(1, 0.08) for _ in range(6)]
            _, lo, hi = bench.ratio_interval(b, s, "series/base", resamples=500)
            hits += lo <= 1.03 <= hi
        self.assertGreaterEqual(hits, 170)
        self.assertLess(hits, 200)

    def test_verdicts(self):
        self.assertEqual(bench.verdict("<=", 1.05, 0.97, 1.04), "met")
        self.assertEqual(bench.verdict("<=", 1.05, 1.06, 1.10), "missed")
        self.assertEqual(bench.verdict("<=", 1.05, 1.00, 1.08), "undecided")
        self.assertEqual(bench.verdict(">=", 50, 55, 60), "met")
        self.assertEqual(bench.verdict(">=", 50, 20, 30), "missed")
        self.assertEqual(bench.verdict(">=", 50, 45, 55), "undecided")


class StoppingRule(unittest.TestCase):
    def table(self, base, series):
        return bench.rows(figures(), samples(base, series))

    def test_rows(self):
        (row,) = self.table([100, 101, 99, 100], [102, 103, 101, 102])
        self.assertEqual((row["figure"], row["arch"], row["boots"]), ("move", "x86_64", "4+4"))
        self.assertAlmostEqual(row["ratio"], 1.02)
        self.assertTrue(row["narrow"])
        self.assertEqual(row["verdict"], "met")

    def test_rules(self):
        narrow = self.table([100, 101, 99, 100], [102, 103, 101, 102])
        wide = self.table([80, 100], [82, 104])
        self.assertEqual(bench.stopping(narrow, 1, 2, 6)[0], 2)   # fewer than MIN rounds
        self.assertEqual(bench.stopping(narrow, 2, 2, 6)[0], 0)
        self.assertEqual(bench.stopping(wide, 3, 2, 6)[0], 2)
        status, why = bench.stopping(wide, 6, 2, 6)
        self.assertEqual(status, 4)
        self.assertIn("cap of 6 rounds hit first; still wide: move (x86_64)", why)
        self.assertEqual(bench.stopping([], 6, 2, 6)[0], 4)

    def test_curve_rows_and_same_kernel_sides(self):
        s = []
        for boot in range(3):
            for x, single, batch in (("1", 400 + boot, 10), ("16", 6400, 40 + boot)):
                s.append({"arch": "arm64", "figure": "batch", "side": "base",
                          "kernel": "series", "boot": str(boot), "x": x, "value": str(single)})
                s.append({"arch": "arm64", "figure": "batch", "side": "series",
                          "kernel": "series", "boot": str(boot), "x": x, "value": str(batch)})
        rows = bench.rows(figures(), s)
        self.assertEqual([r["figure"] for r in rows], ["batch@1", "batch@16"])
        self.assertAlmostEqual(rows[0]["ratio"], 40.1)
        self.assertEqual(rows[0]["verdict"], "missed")
        self.assertEqual(rows[1]["verdict"], "met")


class CommandLine(unittest.TestCase):
    def run_cli(self, *args):
        out = io.StringIO()
        with redirect_stdout(out):
            rc = bench.main(["bench.py", *args])
        return rc, out.getvalue()

    def test_extract_then_table(self):
        with tempfile.TemporaryDirectory() as d:
            ini, log, smp = Path(d, "f.ini"), Path(d, "serial.log"), Path(d, "s.csv")
            ini.write_text(FIGS)
            log.write_text(LOG)
            for boot, v in enumerate(("base", "series", "series", "base")):
                self.assertEqual(self.run_cli("extract", str(ini), "arm64", v, str(boot),
                                              str(log), str(smp))[0], 0)
            with open(smp, newline="") as f:
                self.assertEqual(next(csv.reader(f)), list(bench.FIELDS))
                self.assertEqual([r[-1] for r in csv.reader(f)][:2], ["kept", "warmup"])
            rc, out = self.run_cli("table", str(ini), str(smp), "--csv", str(Path(d, "t.csv")),
                                   "--plot", d, "--round", "1", "--rounds", "1:3")
            self.assertEqual(rc, 0, out)
            self.assertIn("every interval within its target after 1 rounds", out)
            with open(Path(d, "t.csv"), newline="") as f:
                head = next(csv.reader(f))
            self.assertEqual(head[:11], list(bench.TABLE))
            gp = Path(d, "batch-arm64.gp").read_text()
            self.assertIn("yerrorlines", gp)
            if subprocess.run(["sh", "-c", "command -v gnuplot"],
                              capture_output=True).returncode == 0:
                self.assertTrue(Path(d, "batch-arm64.png").stat().st_size > 0)

    def table_of(self, text, *opts):
        with tempfile.TemporaryDirectory() as d:
            ini, smp = Path(d, "f.ini"), Path(d, "s.csv")
            ini.write_text(FIGS)
            smp.write_text(text)
            return self.run_cli("table", str(ini), str(smp), *opts)

    def test_warm_up_runs_are_tabled_below_the_unchanged_kept_table(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d, "t.csv")
            rc, text = self.table_of(SAMPLES_BOTH_RUNS, "--csv", str(out))
            self.assertEqual(rc, 0)
            self.assertEqual(text, KEPT_TABLE + WARMUP_TABLE)
            with open(out, newline="") as f:
                kept, warmup = csv.DictReader(f)
        self.assertEqual((kept["run"], kept["verdict"], kept["kept_ratio"]), ("kept", "missed", ""))
        self.assertEqual((warmup["run"], warmup["verdict"], warmup["kept_ratio"], warmup["ratio"]),
                         ("warmup", "", "1.200, outside", "1.0126"))

    def test_an_old_csv_without_the_run_column_is_all_kept(self):
        old = "".join(line.rsplit(",", 1)[0] + "\n"
                      for line in SAMPLES_BOTH_RUNS.splitlines() if not line.endswith("warmup"))
        self.assertTrue(old.startswith(",".join(bench.FIELDS[:-1]) + "\n"))
        self.assertEqual(self.table_of(old), (0, KEPT_TABLE))

    def test_extract_does_not_append_to_an_old_csv(self):
        with tempfile.TemporaryDirectory() as d:
            ini, log, smp = Path(d, "f.ini"), Path(d, "serial.log"), Path(d, "s.csv")
            ini.write_text(FIGS)
            log.write_text(LOG)
            smp.write_text(",".join(bench.FIELDS[:-1]) + "\n")
            with self.assertRaisesRegex(bench.FigureError, "start a new one"):
                self.run_cli("extract", str(ini), "x86_64", "base", "1", str(log), str(smp))

    def test_usage(self):
        self.assertEqual(bench.main(["bench.py"]), 3)
        ini = str(ROOT / "rig" / "bench" / "figures.ini")
        self.assertEqual(bench.main(["bench.py", "table", ini, "/nonexistent", "--round", "1"]), 3)


class InBoot(unittest.TestCase):
    """bench.py inboot: a ratio of two figures read in the same boot."""

    @staticmethod
    def sample(arch, fig, side, boot, value, run="kept", x=""):
        return {"arch": arch, "figure": fig, "side": side, "kernel": side,
                "boot": str(boot), "x": x, "value": str(value), "run": run}

    def test_slow_boots_cancel_out(self):
        # Every boot of B does the batch in 80% of A's time; some boots of
        # either side run everything 1.8x slower. Each figure's own ratio
        # follows the slow boots, the per-boot ratio does not.
        samples = []
        for boot, side, slow in ((1, "base", 1), (2, "base", 1.8), (3, "series", 1.8),
                                 (4, "series", 1.8), (5, "series", 1), (6, "base", 1)):
            batch = 2000 * slow * (0.8 if side == "series" else 1)
            samples += [self.sample("arm64", "single", side, boot, 40000 * slow),
                        self.sample("arm64", "batch", side, boot, batch),
                        self.sample("arm64", "batch", side, boot, 1, run="warmup"),
                        self.sample("arm64", "other", side, boot, 7)]
        (row,) = bench.inboot(samples, "single", "batch")
        self.assertEqual(row["arch"], "arm64")
        self.assertAlmostEqual(row["base"], 20.0)
        self.assertAlmostEqual(row["series"], 25.0)
        self.assertAlmostEqual(row["ratio"], 1.25)
        self.assertLessEqual(row["lo"], 1.25)
        self.assertGreaterEqual(row["hi"], 1.25)
        self.assertEqual(row["boots"], "3+3")
        batch = {side: [float(x["value"]) for x in samples if x["figure"] == "batch"
                        and x["side"] == side and x["run"] == "kept"] for side in bench.VARIANTS}
        own, _, _ = bench.ratio_interval(batch["base"], batch["series"], "series/base")
        self.assertGreater(own, 0.9)

    def test_a_boot_missing_a_figure_and_x_values_are_left_out(self):
        samples = [self.sample("x86_64", "single", "base", 1, 100),
                   self.sample("x86_64", "batch", "base", 1, 10),
                   self.sample("x86_64", "single", "base", 2, 100),
                   self.sample("x86_64", "single", "series", 3, 100, x="16"),
                   self.sample("x86_64", "batch", "series", 3, 10, x="16"),
                   self.sample("x86_64", "single", "series", 4, 90),
                   self.sample("x86_64", "batch", "series", 4, 6)]
        (row,) = bench.inboot(samples, "single", "batch")
        self.assertEqual(row["boots"], "1+1")
        self.assertAlmostEqual(row["ratio"], 1.5)
        self.assertIsNone(row["lo"])
        self.assertEqual(bench.inboot(samples, "single", "batch", arch="arm64"), [])

    def test_command_line(self):
        with tempfile.TemporaryDirectory() as d:
            csv_path = Path(d) / "ab.csv"
            with open(csv_path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(bench.FIELDS)
                for boot, side, single, batch in ((1, "base", 100, 10), (2, "base", 120, 20),
                                                  (3, "series", 100, 8), (4, "series", 90, 9)):
                    w.writerow(("arm64", "single", side, side, boot, "", single, "kept"))
                    w.writerow(("arm64", "batch", side, side, boot, "", batch, "kept"))
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(bench.main(["bench.py", "inboot", str(csv_path),
                                             "single", "batch"]), 0)
            # The mean of the per-boot ratios (10 and 6), not 220/30.
            self.assertIn("arm64: single/batch per boot, mean: base 8, series 11.25; "
                          "series/base 1.406 [", out.getvalue())
            with redirect_stdout(io.StringIO()):
                self.assertEqual(bench.main(["bench.py", "inboot", str(csv_path),
                                             "single", "nothing"]), 2)
            self.assertEqual(bench.main(["bench.py", "inboot", str(csv_path),
                                         "single", "batch", "--bogus", "1"]), 3)


if __name__ == "__main__":
    unittest.main()
