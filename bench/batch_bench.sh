#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The overnight batch (issue 6): N stems of S seconds (16-bit, 48 kHz stereo) in 10 song folders,
# rendered with -r through every bundled profile, 1 thread and 2 threads alternated, REPS runs
# each. Reports medians: wall time, outputs per second, audio hours rendered per hour, the
# 2-vs-1-thread ratio, and the peak RSS (GNU time's maximum resident set size). With OLD_CANSIM
# (another build's cansim command), that build's 2-thread run takes the 1-thread run's place in
# the alternation, and the speedup of this build over it is reported (same stems, same run).
#   bench/batch_bench.sh BUILD_DIR [N] [SECONDS] [REPS] [OUT_JSON] [OLD_CANSIM]
set -euo pipefail
build=${1:?build dir}
n=${2:-200}
seconds=${3:-20}
reps=${4:-3}
json=${5:-}
old=${6:-}
work=$build/bench/batch-work
stems=$work/stems-$n-${seconds}s
cansim=$build/cli/cansim
if [ ! -d "$stems" ]; then
    mkdir -p "$stems.tmp"
    "$build/bench/cansim-synth" mix "$work/one.wav" --seconds "$seconds" --rate 48000 --pcm16
    for ((i = 0; i < n; i++)); do
        d=$stems.tmp/song$((i % 10))
        mkdir -p "$d"
        cp "$work/one.wav" "$d/stem$i.wav"
    done
    mv "$stems.tmp" "$stems"
fi
n_profiles=$("$cansim" profiles | awk 'NR > 1' | wc -l)
run() { # THREADS [CANSIM] -> "wall_s rss_kb"
    rm -rf "$work/out"
    sync
    /usr/bin/time -f '%e %M' -o "$work/time.txt" \
        "${2:-$cansim}" render "$stems" -r -o "$work/out" -t "$1" -q
    echo "run: ${2:-$cansim} -t $1: $(cat "$work/time.txt") (wall s, peak RSS kB)" >&2
    cat "$work/time.txt"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
t1=() t2=() t_old=() rss=()
for ((i = 0; i < reps; i++)); do
    if [ -n "$old" ]; then
        read -r w _ < <(run 2 "$old"); t_old+=("$w")
    else
        read -r w r < <(run 1); t1+=("$w"); rss+=("$r")
    fi
    read -r w r < <(run 2); t2+=("$w"); rss+=("$r")
done
rm -rf "$work/out"
m1=0
[ -z "$old" ] && m1=$(printf '%s\n' "${t1[@]}" | median)
m2=$(printf '%s\n' "${t2[@]}" | median)
peak=$(printf '%s\n' "${rss[@]}" | sort -g | tail -n 1)
m_old=0
[ -n "$old" ] && m_old=$(printf '%s\n' "${t_old[@]}" | median)
outputs=$((n * n_profiles))
awk -v n="$n" -v s="$seconds" -v p="$n_profiles" -v o="$outputs" -v m1="$m1" -v m2="$m2" \
    -v peak="$peak" -v reps="$reps" -v t1="${t1[*]}" -v t2="${t2[*]}" -v json="$json" \
    -v old="$old" -v m_old="$m_old" -v t_old="${t_old[*]}" '
BEGIN {
    hours = o * s / 3600
    printf "%d stems x %d s (16-bit 48 kHz stereo) through %d profiles = %d outputs, %.1f h of audio; medians of %d\n", n, s, p, o, hours, reps
    if (m1 > 0)
        printf "  1 thread : %.2f s  %.1f outputs/s  %.0f audio h/h   (%s)\n", m1, o / m1, hours * 3600 / m1, t1
    printf "  2 threads: %.2f s  %.1f outputs/s  %.0f audio h/h   (%s)\n", m2, o / m2, hours * 3600 / m2, t2
    if (m1 > 0)
        printf "  2 vs 1 thread: %.2fx\n", m1 / m2
    printf "  peak RSS: %.1f MB\n", peak / 1024
    one = "null, \"outputs_per_s_1thread\": null, \"speedup_2_vs_1\": null"
    if (m1 > 0)
        one = sprintf("%.3f, \"outputs_per_s_1thread\": %.2f, \"speedup_2_vs_1\": %.3f", m1, o / m1, m1 / m2)
    old_json = ""
    if (old != "") {
        printf "  old build, 2 threads: %.2f s   (%s)  [%s]\n", m_old, t_old, old
        printf "  this build vs the old, 2 threads: %.2fx faster\n", m_old / m2
        old_json = sprintf(", \"wall_s_2threads_old\": %.3f, \"speedup_vs_old\": %.3f", m_old, m_old / m2)
    }
    if (json != "") {
        printf "{\"stems\": %d, \"seconds\": %d, \"profiles\": %d, \"outputs\": %d, \"audio_hours\": %.3f, \"reps\": %d, \"wall_s_1thread\": %s, \"wall_s_2threads\": %.3f, \"outputs_per_s_2threads\": %.2f, \"audio_hours_per_hour_2threads\": %.1f, \"peak_rss_mb\": %.1f%s}\n", n, s, p, o, hours, reps, one, m2, o / m2, hours * 3600 / m2, peak / 1024, old_json > json
    }
}'
