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
#   its-cmd-skip-invalid  an ITS command in a command queue whose memslot
#                        is being deleted or moved is skipped again, as
#                        before series patch 88 (probes/its_cmdq_batch:
#                        vgic_its_cmdq_batch must fail)
#   its-no-cap           the capability not reported: vgic_its_restore runs
#                        only its regression guards, as on the base
#   its-no-cwriter-uaccess  userspace GITS_CWRITER writes go through the
#                        guest's handler again (series patch 19 undone)
#   its-no-ctlr-uaccess  same for GITS_CTLR (patch 21 undone)
#   its-no-cbaser-uaccess  same for GITS_CBASER (patch 22's handler undone;
#                        the pointer range check stays at enable)
#   emul-no-invalid-slot-retry  the x86 emulator never retries an access to
#                        a memslot being deleted or moved, as before series
#                        patch 62 (probes/memslot_emulation)
#   batch-phase-times    no behaviour change: KVM_SET_USER_MEMORY_REGION_BATCH
#                        prints, for a batch of 256 entries or more, the time
#                        of each of its phases in us
#                        (probes/memslot_batch_profile)
#   emul-retry-count     no behaviour change: each VM's destruction prints
#                        how often the x86 emulator's access to guest
#                        memory failed and was retried because the memslots
#                        changed during it or the slot was being deleted or
#                        moved (probes/memslot_move_retries)
#   move-phase-times     no behaviour change, applies to the base too: each
#                        VM's destruction prints how long its single-slot
#                        moves took, in total and per phase, and how long
#                        they waited for kvm->srcu readers
#                        (probes/memslot_move_phases)
#   batch-gmem-delete    KVM_SET_USER_MEMORY_REGION_BATCH refuses an entry with
#                        KVM_MEM_GUEST_MEMFD but no longer one that names a
#                        guest_memfd slot, so a batch deletes or moves it
#                        (probes/memslot_batch_gmem: memslot_batch_test's
#                        guest_memfd case must fail)
#   stress-swap-by-singles  test, not kernel: memslot_batch_stress_test swaps
#                        its two scratch slots by three single-slot ioctls,
#                        through a third place, instead of one batch
#                        (probes/memslot_batch_swap: the guest must find a
#                        scratch place without a slot)
#   walk-no-invalid-slot-retry  KVM's walk of the guest's page tables no
#                        longer reports a table in a memslot being deleted
#                        or moved, so the emulator and shadow paging inject a
#                        #PF again, as before series patch 80
#                        (probes/memslot_batch_walk)
#   pae-no-root-reload   FNAME(fetch) no longer loads a new root when the PAE
#                        root's entry for the faulting address is invalid,
#                        as before series patch 78 (probes/pae_root_memslot:
#                        pae_root_memslot_test must fail on shadow paging)
#   xen-timer-drop-on-eagain  a Xen timer event that the vCPU cannot
#                        deliver because shared_info's memslot is being
#                        deleted or moved is dropped again, as before series
#                        patch 82 (probes/xen_timer_batch: timer-batch must
#                        fail)
#   xen-gsi-no-defer     a Xen event raised through a GSI (irqfd,
#                        KVM_IRQ_LINE, PIT) while shared_info's memslot is
#                        being deleted or moved is dropped again, as before
#                        series patch 86 (probes/xen_gsi_batch: gsi-batch
#                        and pit-batch must fail)
#   stress-trace-on-failure  test, not kernel, no behaviour change:
#                        memslot_batch_stress_test clears the trace buffer
#                        when a run starts, stops tracing at its first
#                        failure and prints the last 700 lines of the trace
#                        (mounting tracefs at /sys/kernel/tracing); boot
#                        with BOOT_ARGS="trace_event=kvm:kvm_exit,... 
#                        trace_buf_size=4M" (probes/memslot_batch_stress_flake)
#   srcu-exp-spin        no behaviour change, applies to the base too: every
#                        512 expedited grace periods print running sums
#                        since boot of their time, and of how many of them,
#                        for how long, saw more than one process_srcu() run
#                        (counted for any srcu_struct; the grace-period
#                        kworker polling for a reader, series patch 66)
#                        (probes/srcu_exp_spin)
set -euo pipefail
name=$1
case $name in
gpc-seq-at-start | batch-phase-times | move-phase-times | batch-gmem-delete) f=$2/virt/kvm/kvm_main.c ;;
stress-*) f=$2/tools/testing/selftests/kvm/memslot_batch_stress_test.c ;;
gpc-*) f=$2/virt/kvm/pfncache.c ;;
its-no-cap) f=$2/arch/arm64/kvm/arm.c ;;
srcu-*) f=$2/kernel/rcu/srcutree.c ;;
its-*) f=$2/arch/arm64/kvm/vgic/vgic-its.c ;;
walk-* | pae-*) f=$2/arch/x86/kvm/mmu/paging_tmpl.h ;;
xen-*) f=$2/arch/x86/kvm/xen.c ;;
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


def swap(s, *edits):
    """Replace each (text, replacement): every text occurs exactly once."""
    for text, repl in edits:
        assert s.count(text) == 1, text
        s = s.replace(text, repl, 1)
    return s


def phase_clock(pre, names, more_vars="", more_decls=""):
    """TEST ONLY: the C of a clock that adds, on pre_mark(k), the time since
    the last mark to phase k of pre_ns[] (serialised by slots_lock), and the
    pr_info() format and arguments that report each phase in us."""
    code = ("/* TEST ONLY: serialised by slots_lock */\n"
            f"static u64 {pre}_ns[{len(names)}], {pre}_last{more_vars};\n"
            f"{more_decls}static void {pre}_mark(int k)\n{{\n"
            "\tu64 now = ktime_get_ns();\n\n"
            f"\tif (k >= 0)\n\t\t{pre}_ns[k] += now - {pre}_last;\n"
            f"\t{pre}_last = now;\n}}\n\n")
    fmt = " ".join(f"{x}=%llu" for x in names)
    args = ", ".join(f"{pre}_ns[{i}] / 1000" for i in range(len(names)))
    return code, fmt, args


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
    inc = "\tkvm->mn_active_invalidate_count++;\n"
    s = swap(s, ("\tkvm->gpc_invalidate_seq++;\n", ""),
             (inc, "\tkvm->gpc_invalidate_seq++; /* TEST ONLY: at start */\n" + inc))
elif name == "gpc-no-generation-check":
    check = "\tif (!kvm_is_error_gpa(gpc->gpa) && gpc->generation != slots->generation)\n\t\treturn false;\n"
    s = swap(s, (check, "\t/* TEST ONLY: no memslot generation check */\n"))
elif name == "gpc-keep-pfn-on-new-hva":
    i = s.index("\t\t\t * Even if the GPA and/or the memslot generation changed")
    change = "\t\t\tif (gpc->uhva != old_uhva)\n\t\t\t\thva_change = true;\n"
    j = s.index(change, i)
    s = s[:j] + "\t\t\t/* TEST ONLY: keep the old pfn */\n" + s[j + len(change):]
elif name == "gpc-efault-on-invalid-slot":
    s = swap(s, ("\t\t\t\t\tret = -EAGAIN;\n",
                 "\t\t\t\t\tret = -EFAULT; /* TEST ONLY */\n"))
elif name == "batch-gmem-delete":
    s = swap(s, ("\t\tif ((mem->flags & KVM_MEM_GUEST_MEMFD) ||\n"
                 "\t\t    (e->old && (e->old->flags & KVM_MEM_GUEST_MEMFD)))\n",
                 "\t\tif (mem->flags & KVM_MEM_GUEST_MEMFD) /* TEST ONLY */\n"))
elif name == "stress-swap-by-singles":
    s = swap(s, ("\t\te[n++] = scratch_entry(0, scratch_moved);\n"
                 "\t\te[n++] = scratch_entry(1, scratch_moved);\n",
                 "\t\t/* TEST ONLY: the swap by single ioctls, through a third place */\n"
                 "\t\tstruct kvm_userspace_memory_region2 t[3] = {\n"
                 "\t\t\tscratch_entry(0, scratch_moved), scratch_entry(1, scratch_moved),\n"
                 "\t\t\tscratch_entry(0, scratch_moved),\n"
                 "\t\t};\n\n"
                 "\t\tt[0].guest_phys_addr = REGION_GPA + SCRATCH_PAGE(2) * pg;\n"
                 "\t\tfor (int k = 0; k < 3; k++)\n"
                 "\t\t\tvm_set_user_memory_region2(vm, t[k].slot, 0, t[k].guest_phys_addr,\n"
                 "\t\t\t\t\t\t   pg, (void *)t[k].userspace_addr, 0, 0);\n"))
elif name == "stress-trace-on-failure":
    tracer = r"""/* TEST ONLY: the kernel's trace, around the first failure. */
#include <fcntl.h>
#include <sys/mount.h>

static void trace_ctl(const char *file, const char *val)
{
	char path[128];
	int fd;

	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0)
		printf("# trace: cannot write %s\n", path);
	close(fd);
}

static void trace_dump(void)
{
	size_t cap = 64 << 20, n = 0;
	char *buf = malloc(cap), *p;
	int fd = open("/sys/kernel/tracing/trace", O_RDONLY), lines = 0;
	ssize_t r;

	if (fd < 0 || !buf) {
		printf("# TRACEDUMP: no trace\n");
		return;
	}
	while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	for (p = buf + n; p > buf; p--)
		if (*p == '\n' && ++lines > 700)
			break;
	printf("# TRACEDUMP begin (%zu bytes)\n%s\n# TRACEDUMP end\n", n, p);
	fflush(stdout);
}

"""
    s = swap(s,
             ("static __printf(1, 2) void report_failure(const char *fmt, ...)\n{",
              tracer + "static __printf(1, 2) void report_failure(const char *fmt, ...)\n{"),
             ("\tif (!failure.failed) {\n\t\tva_start(ap, fmt);",
              "\tif (!failure.failed) {\n\t\ttrace_ctl(\"tracing_on\", \"0\");\n\t\tva_start(ap, fmt);"),
             ("\tcreate_vm(prefault);\n",
              "\tcreate_vm(prefault);\n\ttrace_ctl(\"trace\", \"\");\n\ttrace_ctl(\"tracing_on\", \"1\");\n"),
             ("\tTEST_ASSERT(!failure.failed, \"Batches: after",
              "\tif (failure.failed)\n\t\ttrace_dump();\n\tTEST_ASSERT(!failure.failed, \"Batches: after"),
             ("\t\tupdates = run(false, seconds);\n\t\tTEST_ASSERT",
              "\t\tupdates = run(false, seconds);\n\t\tif (failure.failed)\n\t\t\ttrace_dump();\n\t\tTEST_ASSERT"))
elif name == "emul-no-invalid-slot-retry":
    s = swap(s, ("\tif (!ctxt->allow_retry_on_invalid_slot)\n",
                 "\tif (true) /* TEST ONLY: never retry */\n"))
elif name == "pae-no-root-reload":
    s = swap(s, ("\tif (unlikely(!it.level)) {\n",
                 "\tif (false) { /* TEST ONLY */\n"))
elif name == "xen-timer-drop-on-eagain":
    s = swap(s, ("\t\tif (kvm_xen_set_evtchn(&e, vcpu->kvm) == -EAGAIN) {\n",
                 "\t\tif (kvm_xen_set_evtchn(&e, vcpu->kvm) == -EAGAIN && 0) { /* TEST ONLY */\n"))
elif name == "xen-gsi-no-defer":
    s = swap(s, ("\t\tif (rc == -EAGAIN && defer)\n",
                 "\t\tif (rc == -EAGAIN && defer && 0) /* TEST ONLY */\n"))
elif name == "walk-no-invalid-slot-retry":
    s = swap(s, ("\t\t\tinvalid_memslot = slot && (slot->flags & KVM_MEMSLOT_INVALID);\n",
                 "\t\t\tinvalid_memslot = false; /* TEST ONLY */\n"))
elif name == "emul-retry-count":
    # TEST ONLY: [0] failed accesses checked, [1] retried as the generation
    # changed, [2] retried on an INVALID slot; global, printed per VM.
    fn = "static bool emulator_retry_invalid_slot("
    gen = "\tif (READ_ONCE(slots->generation) != gen)\n\t\treturn true;\n"
    ret = "\treturn slot && (slot->flags & KVM_MEMSLOT_INVALID);\n"
    dtor = "void kvm_arch_destroy_vm(struct kvm *kvm)\n{\n"
    edits = [
        (fn, "static atomic64_t emul_retries[3]; /* TEST ONLY */\n\n" + fn),
        (gen, "\tatomic64_inc(&emul_retries[0]);\n"
              "\tif (READ_ONCE(slots->generation) != gen) {\n"
              "\t\tatomic64_inc(&emul_retries[1]);\n\t\treturn true;\n\t}\n"),
        (ret, "\tif (slot && (slot->flags & KVM_MEMSLOT_INVALID))\n"
              "\t\tatomic64_inc(&emul_retries[2]);\n" + ret),
        (dtor, dtor + "\tpr_info(\"emul retries: failed=%lld gen=%lld invalid=%lld\\n\",\n"
               "\t\tatomic64_xchg(&emul_retries[0], 0),\n"
               "\t\tatomic64_xchg(&emul_retries[1], 0),\n"
               "\t\tatomic64_xchg(&emul_retries[2], 0)); /* TEST ONLY */\n"),
    ]
    s = swap(s, *edits)
elif name == "move-phase-times":
    # TEST ONLY: phases of a KVM_MR_MOVE in kvm_set_memslot(): 0 the
    # invalidation, 1 arch prepare, 2 the swap to the moved slot, 3 the
    # rest (commit); 4 the kvm->srcu waits within them; 5 the whole move.
    # Sums in ns, serialised by slots_lock; a log2 histogram of the whole
    # move in us.
    names = "inval prep swap commit srcu total".split()
    fn = "static int kvm_set_memslot(struct kvm *kvm,\n"
    mark = lambda k: f"\tif (move_on) /* TEST ONLY */\n\t\tmove_mark({k});\n"
    inval = "\t\tkvm_invalidate_memslot(kvm, old, invalid_slot);\n\t}\n"
    prep = "\tr = kvm_prepare_memory_region(kvm, old, new, change);\n\tif (r)\n\t\tgoto err;\n"
    chain = "\telse\n\t\tBUG();\n"
    end = "\tkvm_commit_memory_region(kvm, old, new, change);\n\n\treturn 0;\n"
    sync = "\tmutex_unlock(&kvm->slots_arch_lock);\n\n\tsynchronize_srcu_expedited(&kvm->srcu);\n"
    dtor = "\tkvm_destroy_pm_notifier(kvm);\n"
    clock, fmt, args = phase_clock("move", names, ", move_start, move_nr, move_t0",
                                   "static u64 move_hist[16];\nstatic bool move_on;\n")
    edits = [
        ("static void kvm_destroy_vm(struct kvm *kvm)\n",
         clock + "static void kvm_destroy_vm(struct kvm *kvm)\n"),
        (sync, "\tmutex_unlock(&kvm->slots_arch_lock);\n\n"
               "\tmove_t0 = ktime_get_ns(); /* TEST ONLY */\n"
               "\tsynchronize_srcu_expedited(&kvm->srcu);\n"
               "\tif (move_on)\n\t\tmove_ns[4] += ktime_get_ns() - move_t0;\n"),
        (fn, fn.replace("static", "static noinline", 1)),
        ("\tmutex_lock(&kvm->slots_arch_lock);\n\n\t/*\n\t * Invalidate the old slot",
         "\tmove_on = change == KVM_MR_MOVE; /* TEST ONLY */\n"
         "\tif (move_on) {\n\t\tmove_mark(-1);\n\t\tmove_start = move_last;\n\t}\n"
         "\tmutex_lock(&kvm->slots_arch_lock);\n\n\t/*\n\t * Invalidate the old slot"),
        (inval, inval + mark(0)),
        (prep, prep + mark(1)),
        (chain, chain + mark(2)),
        (end, "\tkvm_commit_memory_region(kvm, old, new, change);\n"
              "\tif (move_on) { /* TEST ONLY */\n\t\tu64 us;\n\n"
              "\t\tmove_mark(3);\n"
              "\t\tmove_ns[5] += move_last - move_start;\n"
              "\t\tus = (move_last - move_start) / 1000;\n"
              "\t\tmove_hist[min_t(int, us ? ilog2(us) + 1 : 0, 15)]++;\n"
              "\t\tmove_nr++;\n\t\tmove_on = false;\n\t}\n\n\treturn 0;\n"),
        (dtor, "\tif (move_nr) { /* TEST ONLY */\n"
               f"\t\tpr_info(\"move phases n=%llu {fmt} us; log2 us:\", move_nr, {args});\n"
               "\t\tfor (i = 0; i < 16; i++)\n\t\t\tpr_cont(\" %llu\", move_hist[i]);\n"
               "\t\tpr_cont(\"\\n\");\n\t}\n"
               "\tmove_nr = 0;\n\tmemset(move_ns, 0, sizeof(move_ns));\n"
               "\tmemset(move_hist, 0, sizeof(move_hist));\n" + dtor),
    ]
    s = swap(s, *edits)
elif name == "batch-phase-times":
    # TEST ONLY: one clock per phase; mark(k) adds the time since the last
    # mark to phase k.  Phases: 0 copy-in checks and allocations,
    # 1 invalidation (INVALID copies, swap, zap), 2 arch prepare,
    # 3 installing slots, 4 the final swap, 5 arch commit, 6 the layout
    # check, 7 freeing.
    names = "check inval prep install swap commit layout free".split()
    mark = lambda k, tabs=1: "\t" * tabs + f"batch_mark({k}); /* TEST ONLY */\n"
    inval = "\t\tkvm_invalidate_batch(kvm, as_id, ents, n, vacated_slots);\n"
    final = "\tkvm_swap_active_memslots(kvm, as_id);\n\t/*\n\t * The now inactive"
    start = "\tlockdep_assert_held(&kvm->slots_lock);\n\n\tents = kvcalloc("
    end = "\tif (ents)\n\t\tkvm_free_batch(ents, n);\n"
    decl = "/* One entry of a batch: what it does to which slot. */\n"
    clock, fmt, args = phase_clock("batch", names)
    edits = [
        (decl, clock + decl),
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
    s = swap(s, *edits)
elif name == "srcu-exp-spin":
    # TEST ONLY: process_srcu() calls are counted for every srcu_struct
    # (the other ones are idle in the probe's test); the sums are
    # serialised only by the probe's single updater.
    s = swap(s,
        ("static void process_srcu(struct work_struct *work);\n",
         "static void process_srcu(struct work_struct *work);\n"
         "static atomic_t exp_probe_np; /* TEST ONLY */\n"
         "static u64 exp_probe_ns, exp_probe_spin_ns; /* TEST ONLY */\n"
         "static unsigned int exp_probe_n, exp_probe_spin_n; /* TEST ONLY */\n"),
        ("\tssp = sup->srcu_ssp;\n\n\tsrcu_advance_state(ssp);",
         "\tssp = sup->srcu_ssp;\n\tatomic_inc(&exp_probe_np); /* TEST ONLY */\n\n\tsrcu_advance_state(ssp);"),
        ("\tstruct rcu_synchronize rcu;\n\n\tsrcu_lock_sync(&ssp->dep_map);\n",
         "\tstruct rcu_synchronize rcu;\n\tint np0; /* TEST ONLY */\n\tu64 t0, dt; /* TEST ONLY */\n\n"
         "\tsrcu_lock_sync(&ssp->dep_map);\n"),
        ("\tinit_completion(&rcu.completion);\n\tinit_rcu_head_on_stack(&rcu.head);\n"
         "\t__call_srcu(ssp, &rcu.head, wakeme_after_rcu, do_norm);\n"
         "\twait_for_completion(&rcu.completion);\n",
         "\tnp0 = atomic_read(&exp_probe_np); /* TEST ONLY */\n"
         "\tt0 = ktime_get_ns(); /* TEST ONLY */\n"
         "\tinit_completion(&rcu.completion);\n\tinit_rcu_head_on_stack(&rcu.head);\n"
         "\t__call_srcu(ssp, &rcu.head, wakeme_after_rcu, do_norm);\n"
         "\twait_for_completion(&rcu.completion);\n"
         "\tdt = ktime_get_ns() - t0; /* TEST ONLY */\n"
         "\tif (!do_norm) {\n"
         "\t\texp_probe_n++;\n\t\texp_probe_ns += dt;\n"
         "\t\tif (atomic_read(&exp_probe_np) - np0 > 1) {\n"
         "\t\t\texp_probe_spin_n++;\n\t\t\texp_probe_spin_ns += dt;\n\t\t}\n"
         "\t\tif (!(exp_probe_n % 512))\n"
         "\t\t\tpr_info(\"srcu exp n=%u total=%llu us; process_srcu more than once: n=%u total=%llu us\\n\",\n"
         "\t\t\t\texp_probe_n, exp_probe_ns / 1000, exp_probe_spin_n, exp_probe_spin_ns / 1000);\n"
         "\t}\n"))
elif name == "its-base-vgic":
    base = os.path.abspath(p).replace("/build/linux/", "/build/base/linux/")
    assert base != p
    s = open(base).read()
elif name == "its-cmd-skip-invalid":
    s = swap(s, ("\t\tif (slot && (slot->flags & KVM_MEMSLOT_INVALID))\n\t\t\treturn true;\n",
                 "\t\tif (0 && slot) /* TEST ONLY */\n\t\t\treturn true;\n"))
elif name == "its-no-cap":
    s = swap(s, ("\tcase KVM_CAP_ARM_ITS_RESTORE_ANY_ORDER:\n", ""))
elif name.startswith("its-no-") and name.endswith("-uaccess"):
    reg = name[len("its-no-"):-len("-uaccess")]
    s = swap(s, (f"vgic_mmio_uaccess_write_its_{reg},", "NULL, /* TEST ONLY */"))
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
