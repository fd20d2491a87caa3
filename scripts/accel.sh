#!/bin/bash
# Decide the QEMU accelerator for a guest of $ARCH and print it (kvm|tcg).
# ACCEL=tcg forces TCG, ACCEL=kvm demands KVM (error if the probe fails),
# ACCEL=auto (default) uses KVM only when the probe says the host really
# runs such a guest with nested virtualization.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}"
. "rig/arch/$ARCH.env"

probe() {
	[ "$(uname -m)" = "$HOST_MACHINE" ] || { echo "host is $(uname -m), guest is $HOST_MACHINE"; return 1; }
	[ -n "$KVM_NESTED_FLAG" ] || { echo "no nested-virtualization probe for $ARCH"; return 1; }
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "/dev/kvm is not usable"; return 1; }
	grep -qwE "$KVM_NESTED_FLAG" /proc/cpuinfo ||
		{ echo "host CPU lacks $KVM_NESTED_FLAG: guests could not run KVM themselves"; return 1; }
	echo quit | timeout 20 "$QEMU" -accel kvm -M none -display none -monitor stdio \
		>/dev/null 2>&1 || { echo "$QEMU -accel kvm does not start"; return 1; }
}

case ${ACCEL:-auto} in
tcg) echo tcg ;;
kvm | auto)
	if why=$(probe); then
		echo kvm
	elif [ "${ACCEL:-auto}" = kvm ]; then
		die "ACCEL=kvm but KVM cannot run a nested $ARCH guest here: $why"
	else
		log "accel: tcg ($why)"
		echo tcg
	fi
	;;
*) die "unknown ACCEL=${ACCEL} (auto|tcg|kvm)" ;;
esac
