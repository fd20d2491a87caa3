#!/bin/bash
# Boot $ARCH-$VARIANT under QEMU with the packed initramfs, tee the serial
# console to build/logs/, stop at a wall-clock limit. The verdict is the
# analyser's job, not this script's.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}" "${VARIANT:?}"
. "rig/arch/$ARCH.env"

out=$(out_of "$VARIANT" "$ARCH")
logs=$BUILD/logs
mkdir -p "$logs"
serial=$logs/$ARCH-$VARIANT${LOG_SUFFIX:-}.serial.log
accel=$(bash scripts/accel.sh)
test_timeout=${TEST_TIMEOUT:-300}

# Wall-clock limit: boot plus every test's own timeout, capped at 25 min so
# that a hung guest on each arch still leaves CI (90 min) time to report.
limit=${VM_TIMEOUT:-$(python3 - "$out/initramfs/etc/rig/tests" "$test_timeout" <<'PY'
import sys
total = 120
for line in open(sys.argv[1]):
    t = [w for w in line.split() if w.startswith("timeout=")]
    total += int(t[0].split("=")[1]) if t else int(sys.argv[2])
print(min(total, 1500))
PY
)}

if [ "$accel" = kvm ]; then cpu=$QEMU_CPU_KVM; accel_opt="-accel kvm"; else
	cpu=$QEMU_CPU_TCG; accel_opt="-accel tcg,thread=multi"; fi
append="console=$CONSOLE panic=-1 kasan_multi_shot printk.devkmsg=on rig.timeout=$test_timeout $CMDLINE_EXTRA${BOOT_ARGS:+ $BOOT_ARGS}"
# QEMU_PREFIX: boot with another QEMU unpacked there (bin/ and share/qemu),
# e.g. to compare emulator versions on the same kernels and lists.
qemu=$QEMU qemu_data=()
if [ -n "${QEMU_PREFIX:-}" ]; then
	qemu=$QEMU_PREFIX/usr/bin/$QEMU
	# Debian builds QEMU with its firmware path relative to the binary,
	# which an unpacked QEMU breaks: name the firmware directories.
	qemu_data=(-L "$QEMU_PREFIX/usr/share/qemu")
	for d in /usr/share/seabios /usr/lib/ipxe/qemu; do
		[ ! -d "$d" ] || qemu_data+=(-L "$d")
	done
fi
log "$("$qemu" --version | head -n 1)"
# shellcheck disable=SC2206
cmd=("$qemu" "${qemu_data[@]}" $QEMU_MACHINE $cpu $accel_opt -smp "${SMP:-2}" -m "${MEM:-4G}"
	-nographic -no-reboot -kernel "$out/$KERNEL_IMAGE"
	-initrd "$out/initramfs.cpio.gz" -append "$append")

log "boot $ARCH-$VARIANT ($accel, limit ${limit}s), serial log: $serial"
printf '%q ' "${cmd[@]}" >&2
echo >&2
rc=0 t0=$(date +%s)
timeout --foreground -k 10 "$limit" "${cmd[@]}" </dev/null 2>&1 | tee "$serial" |
	if [ -n "${QUIET:-}" ]; then cat >/dev/null; else grep --line-buffered -E '^(ok|not ok|1\.\.|KTAP|# rig: )' || true; fi
rc=${PIPESTATUS[0]} ran=$(($(date +%s) - t0))
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	# Said in the log itself, so that the analyser's verdict names the
	# limit rather than "log ended".
	printf '\n# rig-host: VM stopped at its wall-clock limit of %ss\n' "$limit" >>"$serial"
	log "VM hit its wall-clock limit of ${limit}s"
elif [ $((ran * 100)) -gt $((limit * 85)) ]; then
	log "WARNING: the VM ran ${ran}s, over 85% of its ${limit}s limit: the list is about to outgrow it"
fi
log "VM exited (rc=$rc) after ${ran}s of its ${limit}s limit"
exit 0
