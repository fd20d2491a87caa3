#!/bin/bash
# kconfig_check.py passes when every requested option landed and fails,
# naming the option, when one did not (or was silently dropped).
set -euo pipefail
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_N=8\n' >"$t/.config"
printf '# a fragment\nCONFIG_A=y\nCONFIG_B=m\nCONFIG_C=n\n# CONFIG_D is not set\nCONFIG_N=8\n' >"$t/good"
printf 'CONFIG_A=y\nCONFIG_LKDTM=y\nCONFIG_N=4\n' >"$t/bad"
python3 ../../rig/kconfig_check.py "$t/.config" "$t/good"
if python3 ../../rig/kconfig_check.py "$t/.config" "$t/bad" 2>"$t/err"; then
	echo "a missing option was not caught"; exit 1
fi
grep -q "CONFIG_LKDTM=y requested, .config has CONFIG_LKDTM=n" "$t/err"
grep -q "CONFIG_N=4 requested, .config has CONFIG_N=8" "$t/err"
# A later fragment overrides an earlier one (the bench profile's debug-off
# fragment after debug.config), and is itself checked.
printf 'CONFIG_A=n\n' >"$t/later"
printf '# CONFIG_A is not set\nCONFIG_B=m\nCONFIG_N=8\n' >"$t/.config2"
python3 ../../rig/kconfig_check.py "$t/.config2" "$t/good" "$t/later"
if python3 ../../rig/kconfig_check.py "$t/.config" "$t/good" "$t/later" 2>"$t/err"; then
	echo "an override that did not land was not caught"; exit 1
fi
grep -q "later: CONFIG_A=n requested, .config has CONFIG_A=y" "$t/err"
