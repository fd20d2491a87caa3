#!/bin/bash
# Get the base kernel: Debian's $LINUX_SOURCE_PACKAGE at the pinned version
# (base.version), unpacked under $BUILD/base. The package comes from its own
# suite through a private apt configuration under $BUILD/deps/apt: its own
# sources list, lists and cache, and no dpkg state. Signatures are checked as
# usual (signed-by the Debian archive keyring). The package is never
# installed: apt-get download, then dpkg-deb -x.
#
# If the pinned version is gone, the newest linux-source-$FALLBACK* is used,
# with a loud warning. --choose prints the "package version" that would be
# used and changes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. ./base.version

want_pkg=$LINUX_SOURCE_PACKAGE
want=$LINUX_SOURCE_VERSION
fallback=$LINUX_SOURCE_FALLBACK

aptdir=$(realpath -m "$BUILD/deps/apt")
apt_opts=(
	-o "Dir::Etc::SourceList=$aptdir/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::Cache=$aptdir/cache"
	-o "Dir::State::Status=$aptdir/status"
	-o APT::Get::List-Cleanup=0
)
private_apt_update() {
	mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
	: >>"$aptdir/status"
	echo "deb [signed-by=$LINUX_SOURCE_KEYRING] $LINUX_SOURCE_MIRROR $LINUX_SOURCE_SUITE main" \
		>"$aptdir/sources.list"
	apt-get -qq "${apt_opts[@]}" update
}

# "package version" lines for every linux-source-<fallback>* the registry
# offers. RIG_BASE_AVAILABLE (a file in that format) stands in for the
# registry in the rig's unit tests.
available() {
	if [ -n "${RIG_BASE_AVAILABLE:-}" ]; then cat "$RIG_BASE_AVAILABLE"; return; fi
	local p
	for p in $(apt-cache "${apt_opts[@]}" pkgnames "linux-source-$fallback" | sort -u); do
		apt-cache "${apt_opts[@]}" madison "$p" |
			awk -F'|' -v p="$p" '{gsub(/ /,"",$2); print p, $2}'
	done
}

choose() {
	local avail=$1
	if grep -qxF "$want_pkg $want" <<<"$avail"; then
		echo "$want_pkg $want"
		return
	fi
	local use
	use=$(grep -E "^linux-source-${fallback//./\\.}[0-9.]* ${fallback//./\\.}" <<<"$avail" |
		sort -k2,2V | tail -n 1 || true)
	[ -n "$use" ] || die "no linux-source-${fallback}* in the registry at all"
	cat >&2 <<WARN
################################################################
# WARNING: pinned base $want_pkg=$want is gone from the registry.
# WARNING: FALLING BACK to the newest ${fallback}x: $use
# WARNING: results are NOT against the pinned base; update base.version.
################################################################
WARN
	echo "$use"
}

dest=$BUILD/base
if [ -z "${RIG_BASE_AVAILABLE:-}" ] && [ "${1:-}" != --choose ] && [ -f "$dest/base.env" ] &&
	grep -qxF "BASE_PINNED='$want'" "$dest/base.env" &&
	grep -qxF "BASE_PKG_VERSION='$want'" "$dest/base.env" && [ -f "$dest/linux/Makefile" ]; then
	log "base $want_pkg $want already unpacked"
	exit 0
fi

[ -n "${RIG_BASE_AVAILABLE:-}" ] || private_apt_update
read -r pkg use < <(choose "$(available)")
[ "${1:-}" != --choose ] || { echo "$pkg $use"; exit 0; }

if [ -f "$dest/base.env" ] && grep -qxF "BASE_PKG_VERSION='$use'" "$dest/base.env" &&
	grep -qxF "BASE_PKG='$pkg'" "$dest/base.env" && [ -f "$dest/linux/Makefile" ]; then
	log "base $pkg $use already unpacked"
	exit 0
fi

dl=$aptdir/download
rm -rf "$dl"
log "downloading $pkg=$use from $LINUX_SOURCE_SUITE"
deb_unpack "$dl" "${apt_opts[@]}" "$pkg=$use" || die "cannot download $pkg=$use"
tarball=$dl/usr/src/$pkg.tar.xz
[ -f "$tarball" ] || die "$tarball missing in the $pkg package"

rm -rf "$dest/linux" "$dest/base.git" "$dest/base.env"
mkdir -p "$dest"
log "unpacking $tarball"
tar -C "$dest" -xf "$tarball"
mv "$dest/$pkg" "$dest/linux"
rm -rf "$dl"
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
