#!/bin/bash
# Pack the guest initramfs for $ARCH-$VARIANT: the static PID-1 init, an
# arch-matching busybox from Debian's busybox-static, the listed selftests,
# the vendor modules and the test list.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${ARCH:?}" "${VARIANT:?}"
. "rig/arch/$ARCH.env"
load_base

out=$(out_of "$VARIANT" "$ARCH")
sel=$(selftests_of "${SELFTESTS:-series}" "$ARCH")/kvm
root=$out/initramfs
list=${TESTLIST:-testlists/$ARCH}
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,kvm,rig,etc/rig,lib/modules,dev,proc,sys,tmp}

make -s -C guest OUT="$(realpath -m "$BUILD/guest")" "$(realpath -m "$BUILD/guest")/init-$ARCH"
install -m 755 "$BUILD/guest/init-$ARCH" "$root/init"
install -m 755 "$BUSYBOX" "$root/bin/busybox"
for applet in sh cat echo ls sleep grep insmod rmmod lsmod dmesg mount umount; do
	ln -s busybox "$root/bin/$applet"
done
cp -a guest/rootfs/. "$root/"

# shellcheck disable=SC2086
python3 scripts/testlist.py "$list" ${TESTS:-} >"$root/etc/rig/tests"
while read -r line; do
	prog=$(tr ' ' '\n' <<<"$line" | grep -v '^timeout=' | head -n 1)
	[ -e "$root/rig/$prog" ] || [ -e "$root/bin/$prog" ] && continue
	bin=$(find "$sel" -maxdepth 2 -type f -name "$prog" -perm -u+x | head -n 1)
	[ -n "$bin" ] || die "test '$prog' is not a built selftest (looked in $sel)"
	install -m 755 "$bin" "$root/kvm/$prog"
done <"$root/etc/rig/tests"

for m in $GUEST_MODULES; do
	install -m 644 "$out/$m" "$root/lib/modules/"
done
# BOOT_MODULE_ARGS: parameters for every boot module, for a probe (x86:
# BOOT_MODULE_ARGS=npt=0 runs kvm-amd on shadow paging).
for m in $BOOT_MODULES; do echo "/lib/modules/$m${BOOT_MODULE_ARGS:+ $BOOT_MODULE_ARGS}"; done \
	>"$root/etc/rig/modules"
{
	echo "base $BASE_PKG $BASE_PKG_VERSION (Linux $BASE_KVER)$([ "$BASE_PKG_VERSION" = "$BASE_PINNED" ] || echo " NOT THE PINNED $BASE_PINNED")"
	echo "variant $VARIANT ($( [ "$VARIANT" = series ] && git -C "$(tree_of series)" rev-list --count "$BASE_TAG"..HEAD || echo 0) patches), arch $ARCH"
} >"$root/etc/rig/info"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc --reproducible | gzip -1 -n) >"$out/initramfs.cpio.gz"
log "initramfs: $(wc -l <"$root/etc/rig/tests") tests, $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
