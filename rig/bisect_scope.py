#!/usr/bin/env python3
"""What a patch can change in one arch's bisect build.

Usage: git diff-tree --no-commit-id -r COMMIT | bisect_scope.py ARCH

Reads the raw lines of the commit's diff (":mode mode blob blob status<TAB>
path"), and prints "kernel DIGEST" when the patch can change that arch's KVM
build and "selftests DIGEST" when it can change that arch's KVM selftests,
one per line; nothing when it can change neither (e.g. Documentation/ only).
The bisect build skips what the patch cannot change: the tree it would build
is, for that part, the tree the previous step already built. DIGEST hashes
the raw lines that count for the part (the paths and their new blobs): the
bisect build chains it into a key for the part's sources at that patch, so
that a part whose sources did not change since it last built is not built
again, whatever else changed in the tree.

A path counts for the kernel unless it is under Documentation/ (but
Documentation/Kconfig) or tools/testing/, or under another arch's
arch/<srcarch>/ (the kernel build reads the rest of tools/: objtool,
sorttable). It counts for the selftests when it is under tools/, is a UAPI
header (installed for the selftests), or is read by headers_install or the
selftests' Makefile: the top-level Makefile, scripts/, and the arch's
Makefile, tools/ (arm64's sysreg), entry/syscalls/ and
kernel/Makefile.syscalls. Either way not if it belongs to another arch's
part of the KVM selftests (<arch>/, lib/<arch>/, include/<arch>/ under
tools/testing/selftests/kvm) or to another arch's tools/arch/<srcarch>/. A
file directly in arch/ or tools/arch/ (arch/Kconfig) belongs to every arch.
"""
import hashlib
import sys

SRCARCH = {"x86_64": "x86", "arm64": "arm64"}
# Every arch KVM has, by its directory names in the tree.
ALL_SRCARCH = ("x86", "arm64", "s390", "riscv", "loongarch", "powerpc", "mips")
KVM_SELFTESTS = "tools/testing/selftests/kvm/"
PARTS = ("kernel", "selftests")


def other_arch(path: str, mine: str) -> bool:
    """PATH belongs to an arch other than MINE (an arch/, tools/arch/ or KVM
    selftests arch directory)."""
    parts = path.split("/")
    for prefix in (["arch"], ["tools", "arch"]):
        n = len(prefix)
        if parts[:n] == prefix and len(parts) > n + 1:
            return parts[n] != mine
    if path.startswith(KVM_SELFTESTS):
        rest = path[len(KVM_SELFTESTS):].split("/")
        for i in (0, 1) if rest[0] in ("lib", "include") else (0,):
            if len(rest) > i + 1 and rest[i] in ALL_SRCARCH:
                return rest[i] != mine
    return False


# Outside tools/ and the UAPI headers, what the KVM selftests' build reads:
# headers_install's recipe and the arch's generated UAPI headers (syscall
# tables), and, on arm64, the sysreg definitions it generates a header from.
SELFTESTS_KERNEL_FILES = ("Makefile",)
SELFTESTS_KERNEL_DIRS = ("scripts/",)
SELFTESTS_ARCH_PATHS = ("Makefile", "tools/", "entry/syscalls/", "kernel/Makefile.syscalls")


def parts_of(arch: str, path: str) -> list[str]:
    """The parts of ARCH's bisect build that PATH counts for."""
    mine = SRCARCH[arch]
    if other_arch(path, mine):
        return []
    out = []
    # The kernel build reads tools/ too (objtool, sorttable's includes), and
    # the top-level Kconfig sources Documentation/Kconfig.
    if (not path.startswith(("Documentation/", "tools/testing/"))
            or path == "Documentation/Kconfig"):
        out.append("kernel")
    if (path.startswith("tools/") or "/uapi/" in f"/{path}"
            or path in SELFTESTS_KERNEL_FILES or path.startswith(SELFTESTS_KERNEL_DIRS)
            or path.startswith(tuple(f"arch/{mine}/{p}" for p in SELFTESTS_ARCH_PATHS))):
        out.append("selftests")
    return out


def digests(arch: str, raw: list[str]) -> list[tuple[str, str]]:
    """(part, digest) for each part that RAW, a commit's raw diff lines,
    changes on ARCH, in the order of PARTS."""
    lines: dict[str, list[str]] = {part: [] for part in PARTS}
    for line in raw:
        path = line.split("\t", 1)[1]
        for part in parts_of(arch, path):
            lines[part].append(line)
    return [(part, hashlib.sha1("\n".join(sorted(lines[part])).encode()).hexdigest())
            for part in PARTS if lines[part]]


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SRCARCH:
        sys.exit(__doc__)
    # Nothing at all for no part: a lone newline would read as one empty
    # part to bisect-build.sh's mapfile.
    for part, digest in digests(sys.argv[1], [l.rstrip("\n") for l in sys.stdin if "\t" in l]):
        print(part, digest)
