#!/bin/bash
# scripts/check-uapi.py: a reserved number the base already uses fails, a
# series that defines a reserved name with another number fails, and free
# numbers pass. The trees are fake, one header each.
set -euo pipefail
cd "$(dirname "$0")/../.."
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mk() {	# mk DIR LINES...
	mkdir -p "$t/$1/include/uapi/linux"
	shift_dir=$1; shift
	printf '%s\n' "$@" >"$t/$shift_dir/include/uapi/linux/kvm.h"
}
mk free '#define KVM_CAP_S390_KEYOP 247' '#define KVM_SET_USER_MEMORY_REGION2 _IOW(KVMIO, 0x49, \'
mk series '#define KVM_CAP_USER_MEMORY_BATCH 253' '#define KVM_SET_USER_MEMORY_REGION_BATCH _IOW(KVMIO, 0x4a, \'
python3 scripts/check-uapi.py "$t/free" "$t/free"
python3 scripts/check-uapi.py "$t/free" "$t/series"

mk taken '#define KVM_CAP_S390_NEW 253'
! python3 scripts/check-uapi.py "$t/taken" "$t/free" 2>"$t/err"
grep -q 'KVM_CAP_USER_MEMORY_BATCH=0xfd: the base already uses it for KVM_CAP_S390_NEW' "$t/err"

mk taken-ioctl '#define KVM_NEW_THING _IO(KVMIO, 0x4a)'
! python3 scripts/check-uapi.py "$t/taken-ioctl" "$t/free" 2>"$t/err"
grep -q 'KVM_SET_USER_MEMORY_REGION_BATCH=0x4a: the base already uses it for KVM_NEW_THING' "$t/err"

mk moved '#define KVM_CAP_USER_MEMORY_BATCH 248'
! python3 scripts/check-uapi.py "$t/free" "$t/moved" 2>"$t/err"
grep -q 'the series defines 0xf8, docs/uapi-numbers.md reserves 0xfd' "$t/err"
echo ok
