#!/usr/bin/env python3
"""The series' UAPI numbers (docs/uapi-numbers.md) against the base and
the series tree.

Usage: check-uapi.py BASE_TREE SERIES_TREE

Fails if the base's include/uapi/linux/kvm.h already uses a reserved
number, or if the series tree defines a reserved name with another number.
A name the series does not define yet is fine.
"""
import re
import sys
from pathlib import Path

# name -> (kind, value); the table in docs/uapi-numbers.md says why.
RESERVED = {
    "KVM_CAP_USER_MEMORY_BATCH": ("cap", 253),
    "KVM_CAP_ARM_ITS_RESTORE_ANY_ORDER": ("cap", 252),
    "KVM_SET_USER_MEMORY_REGION_BATCH": ("ioctl", 0x4A),
}

CAP = re.compile(r"^#define\s+(KVM_CAP_\w+)\s+(\d+)\b", re.M)
IOCTL = re.compile(r"^#define\s+(KVM_\w+)\s+_IO\w*\(\s*KVMIO\s*,\s*(0x[0-9a-fA-F]+|\d+)", re.M)


def numbers(header):
    text = Path(header).read_text()
    caps = {n: int(v) for n, v in CAP.findall(text)}
    ioctls = {n: int(v, 0) for n, v in IOCTL.findall(text)}
    return caps, ioctls


def check(base, series):
    errors = []
    bcaps, bioctls = numbers(Path(base, "include/uapi/linux/kvm.h"))
    scaps, sioctls = numbers(Path(series, "include/uapi/linux/kvm.h"))
    for name, (kind, value) in RESERVED.items():
        used = bcaps if kind == "cap" else bioctls
        clash = [n for n, v in used.items() if v == value and n != name]
        if clash:
            errors.append(f"{name}={value:#x}: the base already uses it for {', '.join(clash)}")
        defined = (scaps if kind == "cap" else sioctls).get(name)
        if defined is not None and defined != value:
            errors.append(f"{name}: the series defines {defined:#x}, docs/uapi-numbers.md reserves {value:#x}")
    return errors


def main(argv):
    errors = check(argv[1], argv[2])
    for e in errors:
        print(f"uapi: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
