#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two variants of the same render (the first 16 bundled profiles, float output, a generated mix),
# alternated, medians of REPS runs, and their ratio: what one option costs end to end.
#   bench/ab_bench.sh BUILD_DIR SECONDS REPS "OPTIONS A" "OPTIONS B"
# e.g. level matching:  bench/ab_bench.sh build 180 5 "--level off --ceiling off" ""
#      crossfeed:       bench/ab_bench.sh build 180 5 "--level off --ceiling off" \
#                           "--level off --ceiling off --crossfeed bs2b"
set -euo pipefail
build=${1:?build dir}
seconds=${2:-180}
reps=${3:-5}
opts_a=${4-}
opts_b=${5-}
work=$build/bench/ab-work
mkdir -p "$work"
mix=$work/mix-${seconds}s.wav
[ -f "$mix" ] || "$build/bench/cansim-synth" mix "$mix" --seconds "$seconds" --rate 48000
profiles=$("$build/cli/cansim" profiles | awk 'NR > 1 && NR <= 17 { printf "%s%s", sep, $1; sep = "," }')
run() { # OPTIONS -> wall seconds
    rm -rf "$work/out"
    sync
    local t0 t1
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$build/cli/cansim" render "$mix" -o "$work/out" -p "$profiles" -f wav32f -q $1
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
a=() b=()
for ((i = 0; i < reps; i++)); do
    a+=("$(run "$opts_a")")
    b+=("$(run "$opts_b")")
done
m_a=$(printf '%s\n' "${a[@]}" | median)
m_b=$(printf '%s\n' "${b[@]}" | median)
printf '%s s mix, 16 bundled profiles, wav32f, %d runs each (alternated)\n' "$seconds" "$reps"
printf '  A [%s]  median %s s  (%s)\n' "$opts_a" "$m_a" "${a[*]}"
printf '  B [%s]  median %s s  (%s)\n' "$opts_b" "$m_b" "${b[*]}"
printf '  B / A  %s\n' "$(awk -v x="$m_b" -v y="$m_a" 'BEGIN { printf "%.3f", x / y }')"
