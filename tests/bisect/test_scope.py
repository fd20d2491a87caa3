#!/usr/bin/env python3
"""rig/bisect_scope.py: which part of an arch's bisect build a patch can
change. A wrong "no" would let a patch that breaks the build through."""
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "rig"))
from bisect_scope import digests  # noqa: E402

KVM = "tools/testing/selftests/kvm/"


def scope(arch, paths):
    """The parts that a commit touching PATHS changes on ARCH."""
    raw = [":100644 100644 %s %s M\t%s" % ("1" * 40, "2" * 40, p) for p in paths]
    return [part for part, _ in digests(arch, raw)]


class Scope(unittest.TestCase):
    def check(self, paths, x86, arm64):
        self.assertEqual(scope("x86_64", paths), x86, paths)
        self.assertEqual(scope("arm64", paths), arm64, paths)

    def test_arch_kernel_code(self):
        self.check(["arch/x86/kvm/x86.c"], ["kernel"], [])
        self.check(["arch/arm64/kvm/vgic/vgic-its.c"], [], ["kernel"])
        self.check(["arch/x86/kvm/Kconfig"], ["kernel"], [])

    def test_common_kernel_code(self):
        both = ["kernel"]
        self.check(["virt/kvm/kvm_main.c"], both, both)
        self.check(["include/linux/kvm_host.h"], both, both)
        # scripts/ is also headers_install's (the selftests' UAPI headers).
        self.check(["scripts/Makefile.build"], both + ["selftests"], both + ["selftests"])
        self.check(["arch/x86/kvm/x86.c", "virt/kvm/kvm_main.c",
                    "Documentation/virt/kvm/locking.rst"], both, both)

    def test_uapi_headers_reach_the_selftests(self):
        both = ["kernel", "selftests"]
        self.check(["include/uapi/linux/kvm.h"], both, both)
        self.check(["arch/x86/include/uapi/asm/kvm.h"], both, [])
        self.check(["arch/arm64/include/uapi/asm/kvm.h"], [], both)

    def test_selftests(self):
        s = ["selftests"]
        self.check([KVM + "x86/hyperv_clock.c"], s, [])
        self.check([KVM + "arm64/vgic_its_save.c"], [], s)
        self.check([KVM + "lib/x86/processor.c"], s, [])
        self.check([KVM + "include/arm64/processor.h"], [], s)
        self.check([KVM + "lib/kvm_util.c"], s, s)
        self.check([KVM + "include/kvm_util.h"], s, s)
        self.check([KVM + "Makefile.kvm"], s, s)
        self.check([KVM + "hardware_disable_test.c"], s, s)
        # The kernel build reads tools/ too: objtool, sorttable.
        ks = ["kernel", "selftests"]
        self.check(["tools/include/linux/bits.h"], ks, ks)
        self.check(["tools/objtool/check.c"], ks, ks)
        self.check(["tools/arch/x86/include/asm/msr-index.h"], ks, [])
        self.check([KVM + "s390/memop.c"], [], [])

    def test_documentation_only(self):
        self.check(["Documentation/virt/kvm/api.rst"], [], [])
        # ... but the top-level Kconfig sources this one.
        self.check(["Documentation/Kconfig"], ["kernel"], ["kernel"])

    def test_kernel_files_the_selftests_read(self):
        ks = ["kernel", "selftests"]
        self.check(["Makefile"], ks, ks)
        self.check(["arch/arm64/tools/sysreg"], [], ks)
        self.check(["arch/arm64/tools/syscall_64.tbl"], [], ks)
        self.check(["arch/arm64/kernel/Makefile.syscalls"], [], ks)
        self.check(["arch/x86/entry/syscalls/syscall_64.tbl"], ks, [])
        self.check(["arch/x86/Makefile"], ks, [])
        self.check(["arch/x86/kvm/Makefile"], ["kernel"], [])

    def test_mixed(self):
        self.check(["arch/x86/kvm/x86.c", KVM + "x86/cpu_online_vm_destroy_test.c"],
                   ["kernel", "selftests"], [])

    def test_files_directly_in_arch_are_every_archs(self):
        both = ["kernel"]
        self.check(["arch/Kconfig"], both, both)
        self.check(["tools/arch/README"], ["kernel", "selftests"], ["kernel", "selftests"])

    def test_digests(self):
        raw = [":100644 100644 %s %s M\t%s" % ("1" * 40, "2" * 40, path)
               for path in ("virt/kvm/kvm_main.c", "include/uapi/linux/kvm.h",
                            "Documentation/virt/kvm/api.rst")]
        both = digests("x86_64", raw)
        self.assertEqual([part for part, _ in both], ["kernel", "selftests"])
        # A kernel-only change leaves the selftests' digest alone...
        other = [raw[0].replace("2" * 40, "3" * 40)] + raw[1:]
        self.assertNotEqual(digests("x86_64", other)[0], both[0])
        self.assertEqual(digests("x86_64", other)[1], both[1])
        # ...and lines that count for no part change no digest.
        self.assertEqual(digests("x86_64", raw[:2]), both)
        self.assertEqual(digests("arm64", [raw[2]]), [])

    def test_command(self):
        # bisect-build.sh reads the output with mapfile and read: nothing
        # at all for no part (a lone newline would be one empty part).
        script = Path(__file__).resolve().parents[2] / "rig" / "bisect_scope.py"
        line = ":100644 100644 %s %s M\t%%s\n" % ("1" * 40, "2" * 40)
        for path, out in (("Documentation/virt/kvm/api.rst", []),
                          ("virt/kvm/kvm_main.c", ["kernel"]),
                          ("include/uapi/linux/kvm.h", ["kernel", "selftests"])):
            run = subprocess.run([sys.executable, str(script), "arm64"], input=line % path,
                                 capture_output=True, text=True, check=True)
            self.assertEqual([l.split()[0] for l in run.stdout.splitlines()], out, path)
            self.assertEqual(run.stdout == "", out == [], path)

if __name__ == "__main__":
    unittest.main()
