# SPDX-License-Identifier: MIT
# Shared by the batch tests (`cansim render` over folders of stems). Sourced with
#   CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE [...]
# as $1..$5: the end-to-end tests' lib.sh (fail, run, expect_rc, expect_info, ...) with
# cansim-gen (tests/e2e) as its GEN, then the helpers below. POSIX sh; GNU find, stat and date.
. "$(dirname "$0")/../e2e/lib.sh"
JSON=${1:?cansim-batch-json}
SANITIZE=${2-}
shift 2

# Three bundled profiles: flat, an open and a closed headphone.
PROFILES=reference,hd-650,7506
IDS="reference sennheiser-hd-650 sony-mdr-7506"
# Each input's folder OUT/<rel>/ holds its renders, report.json and this manifest.
MANIFEST=.manifest.json

# The tests' seconds of audio shrink under the sanitizers, whose renders are ~10x slower.
if [ -n "$SANITIZE" ]; then
    SLOW=1
else
    SLOW=0
fi

# snap DIR: every file and folder under DIR with its inode, size and mtime (ns), sorted; two
# snapshots are equal when nothing was written, replaced or removed.
snap() {
    if [ -d "$1" ]; then
        find "$1" -printf '%P %y %i %s %T@\n' | LC_ALL=C sort
    fi
}

# snap_files DIR PATTERN...: snap of the files under DIR whose names match a PATTERN.
snap_files() {
    d=$1
    shift
    for p in "$@"; do
        find "$d" -type f -name "$p" -printf '%P %i %s %T@\n'
    done | LC_ALL=C sort
}

# final_files DIR: the files under DIR by their final names (no *.part), relative, sorted.
final_files() {
    if [ -d "$1" ]; then
        find "$1" -type f ! -name '*.part' -printf '%P\n' | LC_ALL=C sort
    fi
}

# audio_files DIR: the renders under DIR (no json, no *.part), relative, sorted.
audio_files() {
    if [ -d "$1" ]; then
        find "$1" -type f ! -name '*.part' ! -name '*.json' -printf '%P\n' | LC_ALL=C sort
    fi
}

# parts DIR: the *.part files under DIR.
parts() {
    if [ -d "$1" ]; then
        find "$1" -name '*.part' -printf '%P\n' | LC_ALL=C sort
    fi
}

# expect_same_tree REF OUT WHAT [all|audio]: OUT holds exactly REF's renders (and with "all",
# its report.json files), byte for byte; both without *.part; manifests of OUT all parse and
# record REF's outputs as REF's do (mtimes aside, as they differ run to run; records of
# profiles outside REF's selection may stay in OUT's).
expect_same_tree() {
    ref=$1
    out=$2
    what=$3
    mode=${4-all}
    audio_files "$ref" >"$SCRATCH/tree.ref"
    audio_files "$out" >"$SCRATCH/tree.out"
    if ! cmp -s "$SCRATCH/tree.ref" "$SCRATCH/tree.out"; then
        fail "$what: $out's renders are not $ref's: $(diff "$SCRATCH/tree.ref" "$SCRATCH/tree.out" | grep '^[<>]' | tr '\n' ' ')"
    fi
    n_diff=0
    while IFS= read -r f; do
        if [ -f "$out/$f" ] && ! cmp -s "$ref/$f" "$out/$f"; then
            n_diff=$((n_diff + 1))
            [ $n_diff -le 5 ] && fail "$what: $out/$f differs from $ref/$f"
        fi
    done <"$SCRATCH/tree.ref"
    [ $n_diff -gt 5 ] && fail "$what: $n_diff renders differ in all"
    if [ "$mode" = all ]; then
        find "$ref" -name report.json -printf '%P\n' | LC_ALL=C sort >"$SCRATCH/tree.ref"
        find "$out" -name report.json -printf '%P\n' | LC_ALL=C sort >"$SCRATCH/tree.out"
        if ! cmp -s "$SCRATCH/tree.ref" "$SCRATCH/tree.out"; then
            fail "$what: $out's report.json files are not $ref's"
        fi
        while IFS= read -r f; do
            if [ -f "$out/$f" ] && ! cmp -s "$ref/$f" "$out/$f"; then
                fail "$what: $out/$f differs from $ref/$f: $(diff "$ref/$f" "$out/$f" | head -6 | tr '\n' ' ')"
            fi
        done <"$SCRATCH/tree.ref"
        find "$ref" -name "$MANIFEST" -printf '%P\n' | LC_ALL=C sort >"$SCRATCH/tree.ref"
        while IFS= read -r f; do
            if [ ! -f "$out/$f" ]; then
                fail "$what: $out/$f is missing"
            elif ! "$JSON" strip "$out/$f" "$ref/$f" >"$SCRATCH/man.out" ||
                ! "$JSON" strip "$ref/$f" >"$SCRATCH/man.ref"; then
                fail "$what: $out/$f or $ref/$f does not parse"
            elif ! cmp -s "$SCRATCH/man.ref" "$SCRATCH/man.out"; then
                fail "$what: $out/$f differs from $ref/$f (mtimes aside): $(diff "$SCRATCH/man.ref" "$SCRATCH/man.out" | grep '^[<>]' | head -6 | tr '\n' ' ')"
            fi
        done <"$SCRATCH/tree.ref"
    fi
    p=$(parts "$out")
    [ -z "$p" ] || fail "$what: temporary files left in $out: $(echo "$p" | tr '\n' ' ')"
}

# expect_json_lines FILE WHAT: every line of FILE is a JSON event.
expect_json_lines() {
    if ! "$JSON" lines "$1" >"$SCRATCH/events" 2>"$SCRATCH/events.err"; then
        fail "$2: $(cat "$SCRATCH/events.err")"
    fi
}

# json_get FILE EVENT KEY: the KEY of the last EVENT line of FILE.
json_get() {
    "$JSON" get "$1" "$2" "$3" | tail -n 1
}

# expect_eq GOT WANT WHAT
expect_eq() {
    [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

# expect_contains FILE STRING WHAT: a line of FILE contains STRING.
expect_contains() {
    if [ "$(count_containing "$1" "$2")" -eq 0 ]; then
        fail "$3: no line of $(basename "$1") contains '$2'"
        show_output
    fi
}

# expect_absent FILE STRING WHAT: no line of FILE contains STRING.
expect_absent() {
    if [ "$(count_containing "$1" "$2")" -ne 0 ]; then
        fail "$3: a line of $(basename "$1") contains '$2'"
        show_output
    fi
}

# rounded FRAMES TO FROM: round(FRAMES * TO / FROM), exactly (integers).
rounded() {
    echo "$1 $2 $3" | awk '{ n = $1 * $2; q = int(n / $3); r = n - q * $3;
                              if (2 * r >= $3) q++; print q }'
}

# now_ms: milliseconds since the epoch.
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

# rand N SEED: a pseudo-random integer in [0, N), from SEED (awk's generator).
rand_below() {
    awk -v n="$1" -v s="$2" 'BEGIN { srand(s); print int(rand() * n) }'
}

# ms_sleep MS: sleeps MS milliseconds (GNU sleep takes fractions).
ms_sleep() {
    sleep "$(awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }')"
}
