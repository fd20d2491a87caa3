# Shared helpers for the rig's shell steps. Sourced, never executed.
# shellcheck shell=bash

: "${BUILD:=build}"
RIG_START=${RIG_START:-$(date +%s)}

log() { printf '[%4ds] %s\n' "$(($(date +%s) - RIG_START))" "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command with its output going only to a log file; the terminal sees
# one line per phase with the elapsed time, and the log's tail on failure.
phase() {
	local name=$1 logf=$2; shift 2
	local t0 rc
	t0=$(date +%s)
	mkdir -p "$(dirname "$logf")"
	log "$name ... (log: $logf)"
	if "$@" >"$logf" 2>&1; then rc=0; else rc=$?; fi
	if [ $rc -ne 0 ]; then
		tail -n 40 "$logf" >&2
		die "$name failed (rc=$rc) after $(($(date +%s) - t0))s; full log: $logf"
	fi
	log "$name done in $(($(date +%s) - t0))s"
}

# Where each variant's tree and builds live. Every tree is <dir>/linux with
# its O= directories beside it at <dir>/out-<arch>: the relative paths that
# ccache hashes (CCACHE_BASEDIR=$BUILD) are then the same for the base, the
# series and the bisect builds, and a file none of them changed hits the
# cache whichever variant built it first.
variant_dir() {
	case $1 in
	series) echo "$BUILD" ;;
	base) echo "$BUILD/base" ;;
	bisect) echo "$BUILD/bisect" ;;
	*) die "unknown VARIANT=$1 (series|base)" ;;
	esac
}
tree_of() { echo "$(variant_dir "$1")/linux"; }
# PROFILE=bench (make bench) builds the production-like kernel
# (configs/bench.config) into its own O= directory next to the test one.
out_of() {
	case ${PROFILE:-test} in
	test) echo "$(variant_dir "$1")/out-$2" ;;
	bench) echo "$(variant_dir "$1")/out-bench-$2" ;;
	*) die "unknown PROFILE=$PROFILE (test|bench)" ;;
	esac
}
selftests_of() { echo "$(variant_dir "$1")/selftests-$2"; }

# bench_boot TAG ARCH VARIANT N COLUMN LIST [SKIP_BUILD]: boot N of a
# benchmark (make bench, bench-ab.sh): VARIANT's bench kernel runs LIST,
# the analyser judges the serial log, and the figures of $BENCH_FIGS found
# in it go to $BENCH_SAMPLES as COLUMN (base|series) of boot N. A boot that
# is not clean (failed test, splat) stops the caller: its numbers mean
# nothing. SKIP_BUILD (default 1) as for run.sh.
bench_boot() {
	local tag=$1 arch=$2 v=$3 i=$4 col=$5 list=$6 skip=${7:-1} serial verdict
	ARCH=$arch VARIANT=$v TESTLIST=$list LOG_SUFFIX=-$tag$i QUIET=1 \
		SKIP_BUILD=$skip BUILD_SELFTESTS=0 bash scripts/run.sh
	serial=$BUILD/logs/$arch-$v-$tag$i.serial.log
	verdict=$BUILD/bench/$arch-$tag$i.verdict
	python3 rig/analyser/analyse.py "$arch=$serial" >"$verdict" ||
		die "$tag $arch boot $i ($col) is not clean: $verdict"
	python3 rig/bench/bench.py extract "$BENCH_FIGS" "$arch" "$col" "$i" \
		"$serial" "$BENCH_SAMPLES"
}

# Parallel jobs for every make the rig runs.
make_jobs() { echo "${JOBS:-$(($(nproc) + 1))}"; }

# kmake SRC OUT [TARGET...]: the kernel make, for the arch whose
# rig/arch/*.env is loaded, with its cross compiler under ccache.
kmake() {
	local src=$1 out=$2
	shift 2
	make -C "$src" O="$out" ARCH="$KERNEL_ARCH" CROSS_COMPILE="$CROSS_COMPILE" \
		CC="ccache ${CROSS_COMPILE}gcc" -j"$(make_jobs)" "$@"
}

# One bisect build or series check at a time: both check out commits in
# build/bisect/linux. Held until the script exits; its children inherit it.
bisect_lock() {
	mkdir -p "$BUILD"
	exec 9>"$BUILD/bisect.lock"
	flock -n 9 || die "another series check or bisect build holds $BUILD/bisect.lock"
	export RIG_BISECT_LOCKED=1
}

ccache_env() {
	export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/kvm-series-ccache}
	export CCACHE_BASEDIR=$PWD/$BUILD CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
}

# The base recorded by scripts/base.sh: sets BASE_PKG_VERSION, BASE_KVER,
# BASE_SRC (unpacked, pristine) and BASE_TAG (the tag in build/linux).
load_base() {
	[ -f "$BUILD/base/base.env" ] || die "no base yet: run 'make base'"
	# shellcheck disable=SC1091
	. "$BUILD/base/base.env"
}

# deb_unpack DEST APT-ARG...: apt-get download the packages APT-ARG names
# (apt options may come first) and unpack each with dpkg-deb -x into DEST.
# Nothing is installed. apt downloads as its unprivileged _apt user, hence
# the scratch directory it may write.
deb_unpack() {
	local dest=$1 tmp d rc=0
	shift
	tmp=$(mktemp -d)
	chown _apt "$tmp" 2>/dev/null || chmod 777 "$tmp"
	if (cd "$tmp" && apt-get download -qq "$@"); then
		mkdir -p "$dest"
		for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$dest"; done
	else
		rc=1
	fi
	rm -rf "$tmp"
	return $rc
}
