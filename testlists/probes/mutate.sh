#!/bin/bash
# Test-only kernel changes for the probes here: each makes one of the
# series' proofs observable under TCG, or takes one of its changes back to
# show that a test fails without it. Never part of the series.
#   testlists/probes/mutate.sh NAME TREE apply    # TREE: build/base/linux or build/linux
#   make run ARCH=x86_64 VARIANT=base|series TESTLIST=testlists/probes/<list>
#   testlists/probes/mutate.sh NAME TREE revert   # touches the file: the next build drops it
#
# NAME:
#   widen-vm-list-walk   a 200 ms delay in x86's walk of each VM on CPU online,
#                        which widens the vm_list race window from microseconds
#                        to the test's scale (probes/cpu_online_vm_destroy-widened)
#   narrow-compat-check  kvm_x86_check_host_values() compares the CR4 reserved
#                        bits only, as the check did before the series
#                        (probes/kvm_x86_compat; series tree only)
#   gpc-seq-at-start     gpc_invalidate_seq is bumped when an invalidation
#                        starts instead of when it ends: the hole of v1's
#                        patch 25, which lets a gfn_to_pfn cache refresh
#                        install a page the invalidation is zapping
#                        (probes/xen_gpc_stress)
#   gpc-no-generation-check  kvm_gpc_check() keeps a cache of a GPA valid
#                        after its memslots changed (probes/xen_gpc_stress:
#                        churn-single must fail; the test stops there, so
#                        churn-batch is not reached)
#   gpc-keep-pfn-on-new-hva  a refresh that finds a new HVA for the GPA
#                        keeps the old pfn (probes/xen_gpc_stress: the
#                        retarget case must fail; the churn cases would
#                        too, but the test stops at retarget's failure)
#   gpc-efault-on-invalid-slot  a refresh of a GPA in a memslot being deleted
#                        or moved fails with -EFAULT, as before series patch
#                        59 (probes/xen_gpc_stress: churn-batch must fail)
#   its-base-vgic        vgic-its.c as in the base (v7.3.4), with the series'
#                        capability still reported, so that vgic_its_restore
#                        runs every case against the base's ITS (probes/its)
#   its-no-cap           the capability not reported: vgic_its_restore runs
#                        only its regression guards, as on the base
#   its-no-cwriter-uaccess  userspace GITS_CWRITER writes go through the
#                        guest's handler again (series patch 19 undone)
#   its-no-ctlr-uaccess  same for GITS_CTLR (patch 21 undone)
#   its-no-cbaser-uaccess  same for GITS_CBASER (patch 22's handler undone;
#                        the pointer range check stays at enable)
#   emul-no-invalid-slot-retry  the x86 emulator never retries an access to
#                        a memslot being deleted or moved, as before series
#                        patch 61 (probes/memslot_emulation)
#   batch-phase-times    no behaviour change: KVM_SET_USER_MEMORY_REGION_BATCH
#                        prints, for a batch of 256 entries or more, the time
#                        of each of its phases in us
#                        (probes/memslot_batch_profile)
set -euo pipefail
name=$1
case $name in
gpc-seq-at-start | batch-phase-times) f=$2/virt/kvm/kvm_main.c ;;
gpc-*) f=$2/virt/kvm/pfncache.c ;;
its-no-cap) f=$2/arch/arm64/kvm/arm.c ;;
its-*) f=$2/arch/arm64/kvm/vgic/vgic-its.c ;;
*) f=$2/arch/x86/kvm/x86.c ;;
esac
case $3 in
apply)
	[ ! -e "$f.orig" ] || { echo "a mutation is already applied to $f" >&2; exit 1; }
	cp "$f" "$f.orig"
	python3 - "$f" "$name" <<'PY'
import os, sys
p, name = sys.argv[1:]
s = open(p).read()
if name == "widen-vm-list-walk":
    s = s.replace('#include "x86.h"', '#include "x86.h"\n#include <linux/delay.h>', 1)
    i = s.index("int kvm_arch_enable_virtualization_cpu(void)")
    j = s.index("{\n\t\tkvm_for_each_vcpu(i, vcpu, kvm) {\n\t\t\tif (!stable", i)
    s = s[:j] + "{\n\t\tmdelay(200); /* TEST ONLY: widen the window */" + s[j + 1:]
elif name == "narrow-compat-check":
    i = s.index("\tbad |= kvm_host_value_differs(cpu, \"MAXPHYADDR\"")
    j = s.index("\tbad |= kvm_host_value_differs(cpu, \"CR4 reserved bits\"")
    s = s[:i] + "\t/* TEST ONLY: compare the CR4 reserved bits only */\n" + s[j:]
elif name == "gpc-seq-at-start":
    bump = "\tkvm->gpc_invalidate_seq++;\n"
    assert s.count(bump) == 1
    s = s.replace(bump, "", 1)
    inc = "\tkvm->mn_active_invalidate_count++;\n"
    assert s.count(inc) == 1
    s = s.replace(inc, "\tkvm->gpc_invalidate_seq++; /* TEST ONLY: at start */\n" + inc, 1)
elif name == "gpc-no-generation-check":
    check = "\tif (!kvm_is_error_gpa(gpc->gpa) && gpc->generation != slots->generation)\n\t\treturn false;\n"
    assert s.count(check) == 1
    s = s.replace(check, "\t/* TEST ONLY: no memslot generation check */\n", 1)
elif name == "gpc-keep-pfn-on-new-hva":
    i = s.index("\t\t\t * Even if the GPA and/or the memslot generation changed")
    change = "\t\t\tif (gpc->uhva != old_uhva)\n\t\t\t\thva_change = true;\n"
    j = s.index(change, i)
    s = s[:j] + "\t\t\t/* TEST ONLY: keep the old pfn */\n" + s[j + len(change):]
elif name == "gpc-efault-on-invalid-slot":
    again = "\t\t\t\t\tret = -EAGAIN;\n"
    assert s.count(again) == 1
    s = s.replace(again, "\t\t\t\t\tret = -EFAULT; /* TEST ONLY */\n", 1)
elif name == "emul-no-invalid-slot-retry":
    check = "\tif (!ctxt->allow_retry_on_invalid_slot)\n"
    assert s.count(check) == 1
    s = s.replace(check, "\tif (true) /* TEST ONLY: never retry */\n", 1)
elif name == "batch-phase-times":
    # TEST ONLY: one clock per phase; mark(k) adds the time since the last
    # mark to phase k.  Phases: 0 copy-in checks and allocations,
    # 1 invalidation (INVALID copies, swap, zap), 2 arch prepare,
    # 3 installing slots, 4 the final swap, 5 arch commit, 6 the layout
    # check, 7 freeing.
    names = "check inval prep install swap commit layout free".split()
    mark = lambda k, tabs=1: "\t" * tabs + f"batch_mark({k}); /* TEST ONLY */\n"
    inval = "\t\tr = kvm_invalidate_batch(kvm, as_id, ents, n, nr_vacated);\n"
    final = "\tkvm_swap_active_memslots(kvm, as_id);\n\t/*\n\t * The now inactive"
    start = "\tlockdep_assert_held(&kvm->slots_lock);\n\n\tents = kvcalloc("
    end = "\tif (ents)\n\t\tkvm_free_batch(ents, n);\n"
    decl = "/* One entry of a batch: what it does to which slot. */\n"
    fmt = " ".join(f"{x}=%llu" for x in names)
    args = ", ".join(f"batch_ns[{i}] / 1000" for i in range(len(names)))
    edits = [
        (decl, "/* TEST ONLY: serialised by slots_lock */\n"
               f"static u64 batch_ns[{len(names)}], batch_last;\n"
               "static void batch_mark(int k)\n{\n"
               "\tu64 now = ktime_get_ns();\n\n"
               "\tif (k >= 0)\n\t\tbatch_ns[k] += now - batch_last;\n"
               "\tbatch_last = now;\n}\n\n" + decl),
        (start, mark(-1) + start),
        (inval, inval + mark(1, 2)),
        ("\t/* The inactive memslots still hold the original slots. */\n",
         mark(2) + "\t/* The inactive memslots still hold the original slots. */\n"),
        (final, mark(3) + final.replace("\t/*", mark(4) + "\t/*", 1)),
        ("\tkvm_batch_dirty_bits(kvm, ents, n, placed, nr_placed, true, NULL);\n",
         "\tkvm_batch_dirty_bits(kvm, ents, n, placed, nr_placed, true, NULL);\n" + mark(3)),
        ("\t}\n\treturn 0;\n\nerr:", "\t}\n" + mark(5) + "\treturn 0;\n\nerr:"),
        ("\tr = kvm_check_batch_layout(", mark(0) + "\tr = kvm_check_batch_layout("),
        ("\tr = kvm_apply_batch(", mark(6) + "\tr = kvm_apply_batch("),
        (end, end + mark(7) +
              f"\tif (n >= 256)\n\t\tpr_info(\"batch phases n=%d {fmt}\\n\", n, {args});\n"
              "\tmemset(batch_ns, 0, sizeof(batch_ns));\n"),
    ]
    for text, repl in edits:
        assert s.count(text) == 1, text
        s = s.replace(text, repl, 1)
elif name == "its-base-vgic":
    base = os.path.abspath(p).replace("/build/linux/", "/build/base/linux/")
    assert base != p
    s = open(base).read()
elif name == "its-no-cap":
    cap = "\tcase KVM_CAP_ARM_ITS_RESTORE_ANY_ORDER:\n"
    assert s.count(cap) == 1
    s = s.replace(cap, "", 1)
elif name.startswith("its-no-") and name.endswith("-uaccess"):
    reg = name[len("its-no-"):-len("-uaccess")]
    fn = f"vgic_mmio_uaccess_write_its_{reg},"
    assert s.count(fn) == 1
    s = s.replace(fn, "NULL, /* TEST ONLY */", 1)
else:
    sys.exit(f"unknown mutation {name}")
open(p, "w").write(s)
PY
	;;
revert)
	mv "$f.orig" "$f"
	touch "$f"
	;;
*) echo "usage: $0 NAME TREE apply|revert" >&2; exit 1 ;;
esac
