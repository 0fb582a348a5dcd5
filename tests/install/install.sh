#!/bin/sh
# SPDX-License-Identifier: MIT
# cmake --install puts the CLI, the library, the header, cansim.pc and the bundled profiles in a
# prefix; a program builds against it through pkg-config alone, and the installed CLI finds its
# profiles beside itself.
set -eu
build=$1 cc=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
for f in bin/cansim include/cansim/cansim.h include/cansim/cpu.h share/cansim/profiles/sennheiser-hd-650.ini; do
    [ -e "$work/prefix/$f" ] || { echo "FAIL: $f was not installed"; exit 1; }
done
pc=$(find "$work/prefix" -name cansim.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: cansim.pc was not installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
cat >"$work/consumer.c" <<'C'
#include <cansim/cansim.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
    CansimDiag d;
    CansimCrossfeed cf;
    if (cansim_crossfeed_parse("bs2b", &cf, &d) || strcmp(cansim_strerror(CANSIM_ENOMEM), "out of memory"))
        return 1;
    printf("%s\n", cansim_version());
    return 0;
}
C
# shellcheck disable=SC2046
"$cc" "$work/consumer.c" -o "$work/consumer" \
    $(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs cansim) -Wl,-rpath,"$libdir"
"$work/consumer" >/dev/null || { echo "FAIL: the consumer did not run"; exit 1; }
n=$(env -u CANSIM_PROFILES_DIR "$work/prefix/bin/cansim" profiles | tail -n +2 | wc -l)
[ "$n" -ge 20 ] || { echo "FAIL: the installed cansim lists $n profiles"; exit 1; }
# The README's promise: after setup, a new shell finds the command and its drawer on PATH.
out=$(env -i HOME="$work" PATH="$work/prefix/bin:/usr/bin:/bin" sh -c 'cansim --version && cansim profiles') ||
    { echo "FAIL: cansim --version / cansim profiles from a new shell"; exit 1; }
printf '%s\n' "$out" | grep -q '^cansim ' || { echo "FAIL: cansim --version printed no version"; exit 1; }
printf '%s\n' "$out" | grep -q 'sennheiser-hd-650' || { echo "FAIL: cansim profiles misses hd-650"; exit 1; }
echo "1 passed, 0 failed"
