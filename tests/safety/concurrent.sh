# SPDX-License-Identifier: MIT
# One writer per output folder (issue 13, item 3). Two runs on one tree with different options
# (--level match, and --level -30): after both, every report.json describes the renders beside
# it (each render is its input at the gain the report gives), belongs to the run whose --report
# lists that input with that gain, and every manifest lists complete files; a run that found a
# folder busy says so, naming the other run. Then SIGKILL during each of them: a rerun completes
# and the tree is consistent again with no temporary file left. A folder locked by another
# process fails its input with one line naming that process's pid; the other inputs render.
# Nothing here depends on timing: whichever run wins a folder, the checks hold.
# Usage: concurrent.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE [SEED]
. "$(dirname "$0")/safety_lib.sh"
SEED=${1:-$(date +%s)}
echo "seed $SEED (concurrent.sh ... $SEED repeats these delays)"

secs=6
[ "$SLOW" -eq 1 ] && secs=2
i=0
for d in s1 s2 s3 s4 s5 s6 g g; do
    i=$((i + 1))
    name=mix
    [ "$d" = g ] && name=stem$i
    mkdir -p conc/$d
    gen noise conc/$d/$name.wav 48000 2 $((48000 * secs + i)) $i wav16
done
gen impulse id.wav 48000 1 16 0:0:1
sums conc id.wav >sums.inputs
A="render conc -r -o o -p id.wav -f wav32f -t 1 -q"
B="$A --level -30"

# ledger RUN-REPORT LEDGER: appends "INPUT GAIN" of every input the run's --report lists (the
# runs' reports list only what each rendered, so the ledger keeps them all).
ledger() {
    [ -f "$1" ] || return 0
    n=$("$JSON" at "$1" inputs)
    k=0
    while [ "$k" -lt "$n" ]; do
        echo "$("$JSON" at "$1" inputs $k input) $("$JSON" at "$1" inputs $k outputs 0 gain_db)" >>"$2"
        k=$((k + 1))
    done
    rm -f "$1"
}
: >ledger.match
: >ledger.target

# check_tree WHAT [KILLED-LEVEL]: every report.json of o describes its renders, and belongs to
# the run whose report lists it with that gain (a killed run wrote no report: its level is
# KILLED-LEVEL); every manifest lists complete files.
check_tree() {
    for rep in $(find o -name report.json | LC_ALL=C sort); do
        d=${rep%/report.json}
        input=$("$JSON" at "$rep" input)
        file=$("$JSON" at "$rep" outputs 0 file)
        g=$("$JSON" at "$rep" outputs 0 gain_db)
        if ! result=$("$GEN" compare "$input" "$file" --gain "$(gain_of "$g")" --tol 2e-3 2>&1); then
            fail "$1: $file is not $input at $g dB, as $rep says: $result"
        fi
        level=$("$JSON" at "$rep" level)
        if [ "$level" != "${2-}" ] && ! grep -q -x -F "$input $g" ledger.$level; then
            fail "$1: $rep ($level, $g dB) is from no run whose report lists $input at that gain"
        fi
    done
    for man in $(find o -name "$MANIFEST" | LC_ALL=C sort); do
        d=${man%/"$MANIFEST"}
        "$JSON" manifest "$man" >listed 2>err || { fail "$1: $man does not parse: $(cat err)"; continue; }
        while read -r id file size; do
            [ -f "$d/$file" ] || { fail "$1: $man lists $file, which is missing"; continue; }
            [ "$(stat -c %s "$d/$file")" = "$size" ] || fail "$1: $d/$file is not the size $man records"
        done <listed
    done
}

# busy_only WHAT FILE: every error line of FILE is about another run holding a folder.
busy_only() {
    n=$(awk 'index($0, "cansim: ") == 1 && index(substr($0, 9), ": ") > 0 &&
             index($0, "another cansim run") == 0' "$2" | wc -l)
    [ "$n" -eq 0 ] || { fail "$1: other errors than a busy folder: $(grep '^cansim: ' "$2" | head -3 | tr '\n' ' ')"; }
}

# ---------------------------------------------------------------- two runs at once
for round in 1 2; do
    "$CANSIM" $A --report ra.json >a.out 2>a.err &
    pa=$!
    ms_sleep "$(rand_below 400 $((SEED + round)))"
    "$CANSIM" $B --report rb.json >b.out 2>b.err &
    pb=$!
    wait $pa
    ra=$?
    wait $pb
    rb=$?
    ledger ra.json ledger.match
    ledger rb.json ledger.target
    { [ $ra -le 1 ] && [ $rb -le 1 ]; } || fail "round $round: exit $ra and $rb, want 0 or 1"
    busy_only "round $round, run A" a.err
    busy_only "round $round, run B" b.err
    if grep -q "another cansim run" a.err b.err; then
        grep -h "another cansim run" a.err b.err | grep -q -E 'pid [0-9]+|while this one planned' ||
            fail "round $round: a busy line names no process"
    fi
    check_tree "round $round, two runs"
    expect_no_part o "round $round, two runs"
done
run $A --report ra.json
expect_rc 0 "A alone after both"
ledger ra.json ledger.match
check_tree "A alone after both"
n=$(find o -name report.json -exec grep -l '"level": "target"' {} + | wc -l)
[ "$n" -eq 0 ] || fail "A alone after both: $n folders still hold B's renders"

# ---------------------------------------------------------------- SIGKILL during each
for victim in A B; do
    "$CANSIM" $B --report rb.json >b.out 2>b.err &
    pb=$!
    "$CANSIM" $A --report ra.json >a.out 2>a.err &
    pa=$!
    ms_sleep "$(rand_below 1500 $((SEED + 7)))"
    if [ $victim = A ]; then kill -9 $pa; else kill -9 $pb; fi
    wait $pa
    wait $pb
    killed=match
    [ $victim = B ] && killed=target
    ledger ra.json ledger.match
    ledger rb.json ledger.target
    check_tree "SIGKILL of $victim" $killed
    # The rerun of the killed run completes and leaves nothing temporary.
    if [ $victim = A ]; then run $A --report ra.json; else run $B --report rb.json; fi
    expect_rc 0 "rerun after SIGKILL of $victim"
    ledger ra.json ledger.match
    ledger rb.json ledger.target
    check_tree "rerun after SIGKILL of $victim" $killed
    expect_no_part o "rerun after SIGKILL of $victim"
done

# ---------------------------------------------------------------- a folder held by another process
# flock(1) -o: the lock is flock's own (its pid), not its child's, which ends when "hold" goes.
: >hold
flock -o o/s3/mix sh -c 'while [ -e hold ]; do sleep 0.1; done' </dev/null >/dev/null 2>&1 &
holder=$!
n=0
while ! grep -q "$(stat -c %i o/s3/mix)" /proc/locks && [ $n -lt 600 ]; do
    ms_sleep 100
    n=$((n + 1))
done
run $A --force
expect_rc 1 "a folder held by pid $holder"
expect_error_naming "conc/s3/mix.wav" "pid $holder" "a folder held by pid $holder"
rm hold
wait $holder
check_tree "a folder held by another process" match

expect_kept sums.inputs "the inputs"
finish
