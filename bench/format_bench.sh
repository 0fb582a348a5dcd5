#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every output format of the render benchmark's job (a 180 s 48 kHz stereo float mix through 16
# profiles of 4096-tap random 2x2 impulse responses, cansim-synth's, as cansim-bench-render
# uses), each as a ratio to the raw float render of the same run (--level off --ceiling off
# -f wav32f): the variants alternated, REPS runs each, medians; with each variant's output size.
#   bench/format_bench.sh BUILD_DIR [SECONDS] [REPS] [THREADS]
# Prints wall and CPU (user + system) medians, each as a ratio to the raw render.
# Variants, in the order run, all without the translation report (--translation off: issue
# 20's subject is the level, the ceiling and the formats; the report's own cost is measured
# apart, docs/translation.md): raw float; wav32f, wav24, wav16 at the default level and
# ceiling; flac24 at the default FLAC level, then at level 5 (libsndfile's default, cansim's
# before --flac-level); then the parts: wav32f level matched without the ceiling (what the
# analysis alone adds), and raw and wav32f with the translation report (the default).
# bench/flac_levels.sh compares every FLAC level.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-180}
reps=${3:-5}
threads=${4:-2}
cansim=$build/cli/cansim
work=$build/bench/format-work
mkdir -p "$work/ir"
mix=$work/mix-${seconds}s.wav
[ -f "$mix" ] || "$build/bench/cansim-synth" mix "$mix" --seconds "$seconds" --rate 48000
profiles=
for ((j = 0; j < 16; j++)); do
    ir=$work/ir/p$(printf '%02d' "$j").wav
    [ -f "$ir" ] || "$build/bench/cansim-synth" ir "$ir" --kind random --taps 4096 --channels 4 \
        --seed $((j + 1)) --rate 48000
    profiles=$profiles${profiles:+,}$ir
done
names=(raw wav32f wav24 wav16 flac24 flac24-l5 wav32f-noceil raw+tr wav32f+tr)
opts=("--level off --ceiling off -f wav32f" "-f wav32f" "-f wav24" "-f wav16" "-f flac24"
    "-f flac24 --flac-level 5" "--ceiling off -f wav32f")
for ((k = 0; k < ${#opts[@]}; k++)); do opts[k]="${opts[k]} --translation off"; done
opts+=("--level off --ceiling off -f wav32f --translation on" "-f wav32f --translation on")
# shellcheck source=bench/timed_runs.sh
. "$(dirname "$0")/timed_runs.sh"
variant_options() { echo "${opts[$1]}"; }
declare -A times cpus sizes
run_alternated "$reps" "${!names[@]}"
printf '%s s 48 kHz stereo float mix, 16 random 4096-tap 2x2 IRs, %d thread(s), %d runs each (alternated)\n' \
    "$seconds" "$threads" "$reps"
printf '%-13s %-50s %9s %7s %7s %7s %9s  %s\n' variant options median_s x_raw cpu_s x_raw MB runs
# shellcheck disable=SC2086
raw=$(printf '%s\n' ${times[0]} | median)
# shellcheck disable=SC2086
raw_cpu=$(printf '%s\n' ${cpus[0]} | median)
for k in "${!names[@]}"; do
    # shellcheck disable=SC2086
    m=$(printf '%s\n' ${times[$k]} | median)
    # shellcheck disable=SC2086
    c=$(printf '%s\n' ${cpus[$k]} | median)
    awk -v n="${names[$k]}" -v o="${opts[$k]}" -v m="$m" -v r="$raw" -v c="$c" -v rc="$raw_cpu" \
        -v s="${sizes[$k]}" -v t="${times[$k]}" \
        'BEGIN { printf "%-13s %-50s %9.3f %7.2f %7.3f %7.2f %9.1f %s\n", n, o, m, m / r, c, c / rc, s / 1e6, t }'
done
