#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# FLAC's compression levels on realistic material: a cansim-synth mix of SECONDS through the
# first 16 bundled profiles (as bench/ab_bench.sh), rendered to flac24 at each level 0..8 and,
# for reference, to raw float (--level off --ceiling off -f wav32f); alternated, REPS runs each.
# Prints each level's median wall time and its ratio to the raw float render's, its median CPU
# time (user + system, steadier than wall time on a shared machine) and its ratio, its size and
# its size against level 8's.
#   bench/flac_levels.sh BUILD_DIR [SECONDS] [REPS] [THREADS]
set -euo pipefail
build=${1:?build dir}
seconds=${2:-180}
reps=${3:-3}
threads=${4:-2}
cansim=$build/cli/cansim
work=$build/bench/ab-work
mkdir -p "$work"
mix=$work/mix-${seconds}s.wav
[ -f "$mix" ] || "$build/bench/cansim-synth" mix "$mix" --seconds "$seconds" --rate 48000
profiles=$("$cansim" profiles | awk 'NR > 1 && NR <= 17 { printf "%s%s", sep, $1; sep = "," }')
names=(raw 0 1 2 3 4 5 6 7 8)
# shellcheck source=bench/timed_runs.sh
. "$(dirname "$0")/timed_runs.sh"
variant_options() { if [ "$1" = raw ]; then echo "--level off --ceiling off -f wav32f"; else echo "-f flac24 --flac-level $1"; fi; }
declare -A times cpus sizes
run_alternated "$reps" "${names[@]}"
printf '%s s mix, 16 bundled profiles, flac24, %d thread(s), %d runs each (alternated)\n' \
    "$seconds" "$threads" "$reps"
printf '%-6s %9s %8s %9s %8s %10s %9s  %s\n' level median_s x_raw cpu_s x_raw MB x_level8 'wall runs'
# shellcheck disable=SC2086
raw_cpu=$(printf '%s\n' ${cpus[raw]} | median)
# shellcheck disable=SC2086
raw=$(printf '%s\n' ${times[raw]} | median)
for n in "${names[@]}"; do
    # shellcheck disable=SC2086
    m=$(printf '%s\n' ${times[$n]} | median)
    # shellcheck disable=SC2086
    c=$(printf '%s\n' ${cpus[$n]} | median)
    awk -v n="$n" -v m="$m" -v r="$raw" -v c="$c" -v rc="$raw_cpu" -v s="${sizes[$n]}" \
        -v s8="${sizes[8]}" -v t="${times[$n]}" 'BEGIN {
        printf "%-6s %9.3f %8.2f %9.3f %8.2f %10.1f %9.3f %s\n", n, m, m / r, c, c / rc, s / 1e6, s / s8, t
    }'
done
