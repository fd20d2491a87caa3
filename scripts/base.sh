#!/bin/bash
# Get the base kernel: Debian's linux-source-6.12 at the pinned version,
# unpacked under $BUILD/base. Falls back to the newest 6.12.y, loudly.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. ./base.version

pkg=$LINUX_SOURCE_PACKAGE
want=$LINUX_SOURCE_VERSION

# The versions the registry offers. RIG_BASE_AVAILABLE (a file, one version
# a line) stands in for the registry in the rig's unit tests.
available() {
	if [ -n "${RIG_BASE_AVAILABLE:-}" ]; then cat "$RIG_BASE_AVAILABLE"; return; fi
	apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}'
}

installed=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
[ -z "${RIG_BASE_AVAILABLE:-}" ] || installed=
use=$want
if [ "$installed" != "$want" ]; then
	avail=$(available)
	[ -n "$avail" ] || { apt-get update -qq; avail=$(available); }
	if ! grep -qxF "$want" <<<"$avail"; then
		use=$(sort -V <<<"$avail" | grep '^6\.12\.' | tail -n 1 || true)
		[ -n "$use" ] || die "no $pkg 6.12.y in the registry at all"
		cat >&2 <<WARN
################################################################
# WARNING: pinned base $pkg=$want is gone from the registry.
# WARNING: FALLING BACK to the newest 6.12.y: $use
# WARNING: results are NOT against the pinned base; update base.version.
################################################################
WARN
	fi
	# --choose: print the version that would be used, change nothing.
	[ "${1:-}" != --choose ] || { echo "$use"; exit 0; }
	if [ "$installed" != "$use" ]; then
		log "installing $pkg=$use"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades \
			--no-install-recommends "$pkg=$use" >/dev/null
	fi
fi

tarball=/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || die "$tarball missing after installing $pkg"
dest=$BUILD/base
if [ -f "$dest/base.env" ] && grep -qxF "BASE_PKG_VERSION='$use'" "$dest/base.env" \
	&& [ -f "$dest/linux/Makefile" ]; then
	log "base $pkg $use already unpacked"
	exit 0
fi
rm -rf "$dest/linux" "$dest/base.git" "$dest/base.env"
mkdir -p "$dest"
log "unpacking $tarball"
tar -C "$dest" -xf "$tarball"
mv "$dest/$pkg" "$dest/linux"
kver=$(env -u ARCH -u CROSS_COMPILE make -s -C "$dest/linux" kernelversion)
{
	echo "BASE_PKG='$pkg'"
	echo "BASE_PKG_VERSION='$use'"
	echo "BASE_PINNED='$want'"
	echo "BASE_KVER='$kver'"
	echo "BASE_SRC='$dest/linux'"
	echo "BASE_TAG='base-v$kver'"
} >"$dest/base.env"
log "base: $pkg $use (Linux $kver)"
