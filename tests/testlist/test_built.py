#!/usr/bin/env python3
"""scripts/check-testlists.py: what Makefile.kvm builds for an arch is its
default programs, with $(TEST_GEN_PROGS_COMMON) expanded, in order, plus the
TEST_GEN_PROGS_EXTENDED ones that a list may run explicitly."""
import importlib.util
import tempfile
from pathlib import Path

here = Path(__file__).resolve().parents[2] / "scripts"
spec = importlib.util.spec_from_file_location("ct", here / "check-testlists.py")
ct = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ct)

MAKEFILE = """TEST_GEN_PROGS_COMMON = demand_paging_test
TEST_GEN_PROGS_COMMON += guest_print_test
TEST_GEN_PROGS_x86 = $(TEST_GEN_PROGS_COMMON)
TEST_GEN_PROGS_x86 += x86/cpuid_test
TEST_GEN_PROGS_EXTENDED_x86 += x86/nx_huge_pages_test
TEST_GEN_PROGS_arm64 = $(TEST_GEN_PROGS_COMMON)
TEST_GEN_PROGS_arm64 += arm64/vgic_init
"""

with tempfile.NamedTemporaryFile("w", suffix=".kvm", delete=False) as f:
    f.write(MAKEFILE)
assert ct.built_in_order(f.name, "x86_64") == [
    "demand_paging_test", "guest_print_test", "cpuid_test"]
assert ct.built(f.name, "x86_64") == {
    "demand_paging_test", "guest_print_test", "cpuid_test", "nx_huge_pages_test"}
assert ct.built(f.name, "arm64") == {
    "demand_paging_test", "guest_print_test", "vgic_init"}
print("ok")
