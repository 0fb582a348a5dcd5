#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What level matching costs: the same render (bundled profiles, float output) as the bare engine
# (--level off --ceiling off) and with the defaults (--level match, -1 dBTP ceiling), alternated,
# medians of REPS runs.
# Usage: bench/level_bench.sh BUILD_DIR [SECONDS] [REPS]
set -euo pipefail
build=${1:?build dir}
seconds=${2:-180}
reps=${3:-5}
work=$build/bench/level-work
mkdir -p "$work"
mix=$work/mix-${seconds}s.wav
[ -f "$mix" ] || "$build/bench/cansim-synth" mix "$mix" --seconds "$seconds" --rate 48000
profiles=$("$build/cli/cansim" profiles | awk 'NR > 1 && NR <= 17 { printf "%s%s", sep, $1; sep = "," }')
run() { # LEVEL CEILING -> wall seconds
    rm -rf "$work/out"
    sync
    local t0 t1
    t0=$(date +%s.%N)
    "$build/cli/cansim" render "$mix" -o "$work/out" -p "$profiles" -f wav32f -q --level "$1" --ceiling "$2"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
off=() match=()
for ((i = 0; i < reps; i++)); do
    off+=("$(run off off)")
    match+=("$(run match -1)")
done
m_off=$(printf '%s\n' "${off[@]}" | median)
m_match=$(printf '%s\n' "${match[@]}" | median)
printf 'level matching: %s s mix, 16 bundled profiles, wav32f, %d runs each (alternated)\n' \
    "$seconds" "$reps"
printf '  --level off --ceiling off  median %.3f s  (%s)\n' "$m_off" "${off[*]}"
printf '  --level match (ceiling -1) median %.3f s  (%s)\n' "$m_match" "${match[*]}"
printf '  match / off                %s  (target <= 1.15)\n' \
    "$(awk -v a="$m_match" -v b="$m_off" 'BEGIN { printf "%.3f", a / b }')"
