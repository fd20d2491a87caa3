#!/bin/bash
# Install the Debian packages the rig needs, only those that are missing.
# Idempotent: a second run with everything present does no apt work at all.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

host_pkgs=(
	make gcc libc6-dev flex bison bc libelf-dev libssl-dev cpio xz-utils gzip
	git ccache perl python3 python3-ply python3-git rsync kmod
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	busybox-static uuid-dev
	gnuplot-nox  # make bench: the plots of curve figures
)
# Foreign-arch libraries the static arm64 selftests link (7.3's libvfio
# links -luuid); installed multiarch next to the host's.
foreign_pkgs=(uuid-dev:arm64)
# QEMU comes from bookworm-backports, pinned (rig/qemu.version says why).
# shellcheck disable=SC1091
. rig/qemu.version

# install_missing PKG...: apt-get install those of PKG that are not
# installed (foreign-arch ones after enabling their architecture).
install_missing() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ "${#missing[@]}" -gt 0 ] || return 0
	echo "deps: installing ${missing[*]}"
	[ "$(id -u)" = 0 ] || { echo "deps: must run as root to install packages" >&2; exit 1; }
	for p in "${missing[@]}"; do
		case $p in *:arm64)
			dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
		esac
	done
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing "${host_pkgs[@]}"
install_missing "${foreign_pkgs[@]}"

# The arm64 guest needs an arm64 busybox: take the arm64 .deb of the same
# package from the registry and unpack it (never installed on the host).
bb_dir=$BUILD/deps/busybox-arm64
if [ ! -x "$bb_dir/bin/busybox" ]; then
	echo "deps: fetching busybox-static:arm64 from the Debian registry"
	dpkg --print-foreign-architectures | grep -qx arm64 || {
		dpkg --add-architecture arm64
		apt-get update -qq
	}
	deb_unpack "$bb_dir" busybox-static:arm64 || {
		apt-get update -qq
		deb_unpack "$bb_dir" busybox-static:arm64
	}
fi
# QEMU at the pinned version from its suite, through a private sources
# list and lists directory (the host's apt configuration is not changed;
# the packages are installed with the host's dpkg, signatures checked).
qemu_ok=1
for p in $QEMU_PACKAGES; do
	[ "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)" = "$QEMU_VERSION" ] || qemu_ok=0
done
if [ $qemu_ok = 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "deps: must run as root to install QEMU" >&2; exit 1; }
	aptdir=$(realpath -m "$BUILD/deps/apt-qemu")
	mkdir -p "$aptdir/lists/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $QEMU_MIRROR $QEMU_SUITE main" \
		>"$aptdir/extra.list"
	opts=(-o "Dir::Etc::SourceList=$aptdir/extra.list" -o "Dir::State::Lists=$aptdir/lists")
	echo "deps: installing QEMU $QEMU_VERSION from $QEMU_SUITE"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -qq "${opts[@]}" update
	want=()
	for p in $QEMU_PACKAGES; do want+=("$p=$QEMU_VERSION"); done
	apt-get install -y -qq --no-install-recommends --allow-downgrades "${opts[@]}" \
		-t "$QEMU_SUITE" "${want[@]}" >/dev/null
fi
echo "deps: ok"
