#!/usr/bin/env python3
"""What a patch can change in one arch's bisect build.

Usage: bisect_scope.py ARCH < FILES   (the paths a commit touches, one per line)

Prints "kernel" when the patch can change that arch's KVM build and
"selftests" when it can change that arch's KVM selftests, one per line;
nothing when it can change neither (e.g. Documentation/ only). The bisect
build skips what the patch cannot change: the tree it would build is, for
that part, the tree the previous step already built.

A path counts for the kernel unless it is under Documentation/ or tools/,
or under another arch's arch/<srcarch>/. It counts for the selftests when
it is under tools/, or is a UAPI header (installed for the selftests),
unless it belongs to another arch's part of the KVM selftests
(<arch>/, lib/<arch>/, include/<arch>/ under tools/testing/selftests/kvm)
or to another arch's tools/arch/<srcarch>/.
"""
import sys

SRCARCH = {"x86_64": "x86", "arm64": "arm64"}
# Every arch KVM has, by its directory names in the tree.
ALL_SRCARCH = ("x86", "arm64", "s390", "riscv", "loongarch", "powerpc", "mips")
KVM_SELFTESTS = "tools/testing/selftests/kvm/"


def other_arch(path: str, mine: str) -> bool:
    """PATH belongs to an arch other than MINE (an arch/, tools/arch/ or KVM
    selftests arch directory)."""
    parts = path.split("/")
    for prefix in (["arch"], ["tools", "arch"]):
        n = len(prefix)
        if parts[:n] == prefix and len(parts) > n:
            return parts[n] != mine
    if path.startswith(KVM_SELFTESTS):
        rest = path[len(KVM_SELFTESTS):].split("/")
        for i in (0, 1) if rest[0] in ("lib", "include") else (0,):
            if len(rest) > i + 1 and rest[i] in ALL_SRCARCH:
                return rest[i] != mine
    return False


def scope(arch: str, paths: list[str]) -> list[str]:
    mine = SRCARCH[arch]
    kernel = selftests = False
    for p in paths:
        if other_arch(p, mine):
            continue
        if not p.startswith(("Documentation/", "tools/")):
            kernel = True
        if p.startswith("tools/") or "/uapi/" in f"/{p}":
            selftests = True
    return [name for name, on in (("kernel", kernel), ("selftests", selftests)) if on]


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SRCARCH:
        sys.exit(__doc__)
    print("\n".join(scope(sys.argv[1], [l.strip() for l in sys.stdin if l.strip()])))
