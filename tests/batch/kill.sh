# SPDX-License-Identifier: MIT
# Killed at any moment, rerun, the tree ends as an uninterrupted run's. 20 SIGKILLs at random
# moments across the run (10 of a fresh run, 10 of its resumption); after each, every file under
# a final name is the reference's byte for byte and every .manifest.json and report.json parses;
# after each rerun to completion, the tree is the reference's (renders and reports byte for
# byte) with no *.part left. Then SIGINT and SIGTERM: exit 130 and 143, a message to rerun, no
# *.part left, and the rerun completes the tree; with --json, a summary that says so.
# Usage: kill.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE [SEED]
. "$(dirname "$0")/batch_lib.sh"
SEED=${1:-$(date +%s)}
echo "seed $SEED (kill.sh ... $SEED repeats these delays)"

# 12 stems of 3 s (2 s under the sanitizers), 44.1/48/96 kHz, mono and stereo, WAV, FLAC and
# AIFF, 16-bit (dithered), 24-bit and float: every kind of output and the rate conversion.
secs=3
[ "$SLOW" -eq 1 ] && secs=2
mkdir -p stems/a stems/b/c
i=0
for spec in "a/s1.wav 44100 2 wav16" "a/s2.wav 48000 1 wav24" "a/s3.flac 96000 2 flac24" \
    "a/s4.aiff 44100 1 aiff16" "b/t1.wav 48000 2 wav32f" "b/t2.flac 44100 2 flac16" \
    "b/t3.wav 96000 1 wav16" "b/c/u1.aiff 48000 2 aiff24" "b/c/u2.wav 44100 2 wav24" \
    "b/c/u3.flac 48000 2 flac16" "b/c/u4.wav 48000 1 wav32f" "top.wav 44100 2 wav16"; do
    set -- $spec
    i=$((i + 1))
    gen noise "stems/$1" "$2" "$3" $(($2 * secs + i)) "$i" "$4"
done
CMD="render stems -r -o out --rate 48000 -p $PROFILES -t 2 -q"

# The reference: uninterrupted, timed; its progress lines at most one a second.
t0=$(now_ms)
run $CMD --json
t1=$(now_ms)
expect_rc 0 "the reference run"
D=$((t1 - t0))
echo "the reference run took $D ms"
expect_json_lines stdout "the reference run (--json)"
# (the last one is the final count, whenever the run ends)
"$JSON" get stdout progress elapsed_s | sed '$d' | awk 'NR > 1 && $1 - last < 0.95 { bad = 1 }
    { last = $1 } END { exit bad }' ||
    fail "--json: progress lines less than a second apart: $("$JSON" get stdout progress elapsed_s | tr '\n' ' ')"
n=$(audio_files out | wc -l)
[ "$n" -eq 36 ] || fail "the reference run wrote $n renders, want 36"
expect_no_part out "the reference run"
mv out ref

# check_killed WHAT: after a kill, whatever is under a final name is the reference's.
check_killed() {
    final_files out >files
    while IFS= read -r f; do
        case $f in
        */"$MANIFEST")
            if ! "$JSON" manifest "out/$f" >listed 2>err; then
                fail "$1: out/$f does not parse: $(cat err)"
                continue
            fi
            d=${f%/"$MANIFEST"}
            while read -r id file size; do
                if [ ! -f "out/$d/$file" ]; then
                    fail "$1: out/$f lists $file, which is missing"
                elif [ "$(stat -c %s "out/$d/$file")" != "$size" ]; then
                    fail "$1: out/$f lists $file with $size bytes, it has $(stat -c %s "out/$d/$file")"
                fi
            done <listed
            ;;
        *)
            if [ ! -f "ref/$f" ]; then
                fail "$1: out/$f is not in the reference"
            elif ! cmp -s "ref/$f" "out/$f"; then
                fail "$1: out/$f differs from the reference ($(stat -c %s "out/$f") bytes, want $(stat -c %s "ref/$f"))"
            fi
            ;;
        esac
    done <files
}

# kill_at MS SIGNAL: runs the command, sends SIGNAL after MS ms; sets rc.
kill_at() {
    last_cmd="cansim $CMD, SIG$2 after $1 ms"
    "$CANSIM" $CMD >stdout 2>stderr &
    pid=$!
    ms_sleep "$1"
    kill -s "$2" "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
    rc=$?
}

n_landed=0
k=0
round=0
while [ $k -lt 20 ]; do
    round=$((round + 1))
    rm -rf out
    for phase in fresh resumed; do
        k=$((k + 1))
        # A resumed run has less to do: its kills fall in the first half.
        span=$D
        [ $phase = resumed ] && span=$((D / 2))
        delay=$(rand_below $((span + 1)) $((SEED + k)))
        kill_at "$delay" KILL
        what="kill $k ($phase run, SIGKILL after $delay of $D ms)"
        case $rc in
        137) n_landed=$((n_landed + 1)) ;;
        0) ;;
        *) fail "$what: exit $rc before the kill"; show_output ;;
        esac
        check_killed "$what"
    done
    run $CMD
    expect_rc 0 "round $round: the rerun to completion"
    expect_same_tree ref out "round $round: after 2 kills and a rerun"
done
echo "$n_landed of 20 kills landed during a run"
# Kills after the run ended test nothing: most must land (not a check of cansim's).
[ $n_landed -ge 8 ] || fail "only $n_landed of 20 kills landed during a run: the runs are too short to test anything"

# SIGINT and SIGTERM: once the first input is done (its report.json is there: a manifest is
# written first, to announce the renders), a clean stop.
# On a busy machine the run can end between the first report and the signal (exit 0): that
# try tests nothing, so it is tried again, up to 5 times; a run that never stops still fails.
for sig in INT TERM; do
    tries=0
    rc=0
    while [ $rc -eq 0 ] && [ $tries -lt 5 ]; do
        tries=$((tries + 1))
        rm -rf out
        "$CANSIM" $(echo "$CMD" | sed 's/ -q$//') >stdout 2>stderr &
        pid=$!
        n=0
        while [ $n -lt 3000 ] && [ -z "$(find out -name report.json 2>/dev/null | head -n 1)" ]; do
            ms_sleep 10
            n=$((n + 1))
        done
        kill -s $sig "$pid"
        wait "$pid"
        rc=$?
    done
    last_cmd="$CMD, SIG$sig once the first input is done"
    want=130
    [ $sig = TERM ] && want=143
    expect_rc $want "SIG$sig"
    grep -q -i 'again' stderr || { fail "SIG$sig: no message to run the command again"; show_output; }
    p=$(parts out)
    [ -z "$p" ] || fail "SIG$sig: temporary files left: $(echo "$p" | tr '\n' ' ')"
    check_killed "SIG$sig"
    n=$(audio_files out | wc -l)
    [ "$n" -lt 36 ] || fail "SIG$sig: the run was not stopped (all 36 renders are there)"
    run $CMD
    expect_rc 0 "SIG$sig: the rerun"
    expect_same_tree ref out "SIG$sig: after the rerun"
done

# --json: the summary says the run was interrupted.
rm -rf out
"$CANSIM" $CMD --json >stdout 2>stderr &
pid=$!
n=0
while [ $n -lt 3000 ] && [ -z "$(find out -name report.json 2>/dev/null | head -n 1)" ]; do
    ms_sleep 10
    n=$((n + 1))
done
kill -s INT "$pid"
wait "$pid"
rc=$?
last_cmd="$CMD --json, SIGINT once the first input is done"
expect_rc 130 "SIGINT, --json"
expect_json_lines stdout "SIGINT, --json"
expect_eq "$(json_get stdout summary interrupted)" true "SIGINT, --json: summary interrupted"
n=$(json_get stdout summary inputs_rendered)
[ "$n" -ge 1 ] && [ "$n" -lt 12 ] || fail "SIGINT, --json: summary inputs_rendered $n, want 1..11"
p=$(parts out)
[ -z "$p" ] || fail "SIGINT, --json: temporary files left: $(echo "$p" | tr '\n' ' ')"

finish
