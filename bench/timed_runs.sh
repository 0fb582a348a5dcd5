# SPDX-License-Identifier: MIT
# Sourced by bench/format_bench.sh and bench/flac_levels.sh: one render job ($cansim, $mix,
# $profiles, $threads, scratch under $work) run in several variants, alternated, timed.
# The callers set those variables and declare times, cpus and sizes as associative arrays:
# shellcheck shell=bash disable=SC2154,SC2004,SC2034

# render_timed OPTIONS: the job with OPTIONS (word-split) into $work/out; prints "wall_s cpu_s
# bytes" (cpu: user + system of the render; bytes: its outputs, reports left out).
render_timed() {
    rm -rf "$work/out"
    sync
    # shellcheck disable=SC2086
    /usr/bin/time -o "$work/time.txt" -f '%e %U %S' "$cansim" render "$mix" -o "$work/out" \
        -p "$profiles" -t "$threads" -q $1
    printf '%s %s\n' "$(awk '{ printf "%.3f %.3f", $1, $2 + $3 }' "$work/time.txt")" \
        "$(find "$work/out" -type f ! -name '*.json' -printf '%s\n' | awk '{ s += $1 } END { print s }')"
}

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_alternated REPS KEY...: REPS rounds of every variant in turn, the options of KEY given by
# the caller's variant_options KEY; each run's wall and CPU seconds appended to times[KEY] and
# cpus[KEY], its size in sizes[KEY] (associative arrays the caller declares).
run_alternated() {
    local reps=$1 i k w c s
    shift
    for ((i = 0; i < reps; i++)); do
        for k in "$@"; do
            read -r w c s < <(render_timed "$(variant_options "$k")")
            times[$k]="${times[$k]-} $w"
            cpus[$k]="${cpus[$k]-} $c"
            sizes[$k]=$s
        done
    done
    rm -rf "$work/out"
}
