#!/usr/bin/env python3
"""rig/cover.py turns a format-patch cover letter back into the branch
description it was made from (subject paragraph, then body)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "rig"))
import cover  # noqa: E402

LETTER = """From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Date: Sat, 21 Nov 2026 11:07:41 +0000
Subject: [PATCH v2 0/2] KVM: a subject long enough to be folded by git
 format-patch
To: kvm@vger.kernel.org

First paragraph.

Second paragraph, with a list:
 - item (1):
 - item

A Developer (2):
  KVM: one
  KVM: two

 virt/kvm/kvm_main.c | 2 ++
 1 file changed, 2 insertions(+)


base-commit: 04fb6de208747c2892d90aeda48e59fad1615f91
-- 
2.39.5
"""

want = ("KVM: a subject long enough to be folded by git format-patch\n\n"
        "First paragraph.\n\nSecond paragraph, with a list:\n - item (1):\n - item\n")
got = cover.description(LETTER)
assert got == want, repr(got)
print("ok")
