#!/bin/bash
# Generate $O/.config: tinyconfig + configs/{common,debug,$ARCH}.config,
# and configs/bench.config last with PROFILE=bench, merged with the
# kernel's merge_config.sh. Fails loudly when a requested
# option did not land. .config is only replaced when it really changed,
# so warm builds stay incremental.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
src=$1 out=$2
: "${ARCH:?}"
. "rig/arch/$ARCH.env"

frags=(configs/common.config configs/debug.config "configs/$ARCH.config")
# configs/optional.config: only the options whose symbol this tree defines
# for this arch, i.e. in a Kconfig file outside arch/ or under this arch's
# own arch/ directory (tests a patch of the series adds; the base, and the
# other arch, have no such symbol).
optional=$out/.rig-config/rig-optional.config
mkdir -p "$out/.rig-config"
: >"$optional"
srcarch=$(cut -d/ -f2 <<<"$KVM_DIR")
kconfig_dirs=("$src/arch/$srcarch")
for d in "$src"/*/; do
	[ "$d" = "$src/arch/" ] || kconfig_dirs+=("$d")
done
while read -r line; do
	sym=$(sed -nE 's/^(# )?CONFIG_([A-Za-z0-9_]+)[= ].*/\2/p' <<<"$line")
	[ -n "$sym" ] || continue
	if grep -rqsE --include='Kconfig*' "^(menu)?config $sym\$" "${kconfig_dirs[@]}"; then
		echo "$line" >>"$optional"
	fi
done <configs/optional.config
frags+=("$optional")
[ "${PROFILE:-test}" != bench ] || frags+=(configs/bench.config)
scratch=$(realpath "$out/.rig-config")
mapfile -t abs_frags < <(realpath "${frags[@]}")
mk=(make -s -C "$src" O="$scratch" ARCH="$KERNEL_ARCH" CROSS_COMPILE="$CROSS_COMPILE")
"${mk[@]}" tinyconfig >/dev/null
(cd "$src" && ARCH=$KERNEL_ARCH CROSS_COMPILE=$CROSS_COMPILE \
	scripts/kconfig/merge_config.sh -m -O "$scratch" "$scratch/.config" \
	"${abs_frags[@]}") >/dev/null
"${mk[@]}" olddefconfig >/dev/null

python3 rig/kconfig_check.py "$scratch/.config" "${frags[@]}"

if ! cmp -s "$scratch/.config" "$out/.config"; then
	cp "$scratch/.config" "$out/.config"
	log "config: $out/.config updated"
fi
