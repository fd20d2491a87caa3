#!/bin/bash
# Test-only kernel change for probes/cpu_online_vm_destroy-widened: a 200 ms
# delay in x86's walk of each VM on CPU online, which widens the vm_list race
# window from microseconds to the test's scale. Never part of the series.
#   testlists/probes/widen-vm-list-walk.sh build/base/linux apply    # or build/linux
#   make run ARCH=x86_64 VARIANT=base TESTLIST=testlists/probes/cpu_online_vm_destroy-widened
#   testlists/probes/widen-vm-list-walk.sh build/base/linux revert
# revert touches the file so that the next build drops the delay again.
set -euo pipefail
f=$1/arch/x86/kvm/x86.c
case $2 in
apply)
	[ ! -e "$f.orig" ] || { echo "already applied to $f" >&2; exit 1; }
	cp "$f" "$f.orig"
	python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('#include "x86.h"', '#include "x86.h"\n#include <linux/delay.h>', 1)
i = s.index("int kvm_arch_enable_virtualization_cpu(void)")
j = s.index("{\n\t\tkvm_for_each_vcpu(i, vcpu, kvm) {\n\t\t\tif (!stable", i)
s = s[:j] + "{\n\t\tmdelay(200); /* TEST ONLY: widen the window */" + s[j + 1:]
open(p, "w").write(s)
PY
	;;
revert)
	mv "$f.orig" "$f"
	touch "$f"
	;;
*) echo "usage: $0 TREE apply|revert" >&2; exit 1 ;;
esac
