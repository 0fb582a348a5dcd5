# SPDX-License-Identifier: MIT
# Scaling out without a cluster: --shard auto maps every scheduler's variables to the shard
# --shard I/N names (SLURM from 0, 1 or an offset, Kubernetes with auto/N, AWS Batch, GitLab),
# refuses sparse arrays, and outside a job array is a usage error that writes nothing.
# cansim status says what is missing per input and shard, exits 0 only when the batch is
# complete, writes nothing, and then writes the run's report (byte for byte a single run's)
# and missing pages. The thread default follows taskset and SLURM_CPUS_PER_TASK; --threads
# and OMP_NUM_THREADS are capped to the CPUs the process may use, with a notice.
# Usage: scale.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
. "$(dirname "$0")/batch_lib.sh"

# No scheduler of the machine running the tests may leak in.
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_COUNT \
    SLURM_ARRAY_TASK_STEP SLURM_CPUS_PER_TASK JOB_COMPLETION_INDEX AWS_BATCH_JOB_ARRAY_INDEX \
    AWS_BATCH_JOB_ARRAY_SIZE CI_NODE_INDEX CI_NODE_TOTAL OMP_NUM_THREADS

# 12 short mixes and two songs' stems (gain groups), 1 s each but song b's 7 s: the longest
# group renders first, so a report in the order of completion would not be sorted.
mkdir -p in/mixes in/songs/a in/songs/b
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
    gen noise "in/mixes/mix$i.wav" 48000 2 48000 "$i" wav16
done
gen noise in/songs/a/bass.wav 48000 2 48000 21 wav24
gen noise in/songs/a/drums.wav 48000 2 48000 22 wav24
gen noise in/songs/b/keys.wav 44100 2 308700 23 wav16
gen noise in/songs/b/vox.wav 44100 1 308700 24 wav16
n_inputs=16
CMD="in -r -o out -p $PROFILES"
# The same batch into another folder (-o once).
cmd_to() { echo "in -r -o $1 -p $PROFILES"; }

# plan_of FILE: the inputs of a --dry-run --json plan, sorted.
plan_of() {
    "$JSON" plans "$1" | grep -v '^ ' | awk '{ print $2 }' | LC_ALL=C sort
}

# Three gain groups (the mixes' folder and each song's) over 4 shards: three shards get one
# each, whole.
all_shards=""
for s in 1 2 3 4; do
    run render $CMD --shard $s/4 --dry-run --json
    expect_rc 0 "--shard $s/4 --dry-run"
    plan_of stdout >plan.$s
    [ -s plan.$s ] && all_shards="$all_shards${all_shards:+, }$s"
done
[ "$(cat plan.1 plan.2 plan.3 plan.4 | wc -l)" -eq $n_inputs ] &&
    [ "$(cat plan.1 plan.2 plan.3 plan.4 | sort -u | wc -l)" -eq $n_inputs ] ||
    fail "the 4 shards' plans do not hold the $n_inputs inputs once each"
[ "$all_shards" = "1, 2, 3" ] || [ "$(echo "$all_shards" | tr -cd , | wc -c)" -eq 2 ] ||
    fail "3 gain groups over 4 shards: shards $all_shards have inputs, want 3 of them"
for g in mixes/ songs/a/ songs/b/; do
    [ "$(grep -l "^$g" plan.1 plan.2 plan.3 plan.4 | wc -l)" -eq 1 ] ||
        fail "the gain group $g is split over shards"
done

# --shard auto: each scheduler's variables, the shard --shard I/N names.
# expect_auto WHAT SHARD ENV... [-- OPTION]: with ENV, --shard auto (or OPTION) plans SHARD.
expect_auto() {
    what=$1
    want=$2
    shift 2
    opt="--shard auto"
    envs=""
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then
            opt=$2
            break
        fi
        envs="$envs $1"
        shift
    done
    last_cmd="env$envs cansim render $CMD $opt --dry-run --json"
    env $envs "$CANSIM" render $CMD $opt --dry-run --json -v >stdout 2>stderr
    rc=$?
    expect_rc 0 "$what"
    plan_of stdout >plan.auto
    cmp -s plan.auto "plan.$want" || fail "$what: planned other inputs than --shard $want/4"
}
expect_auto "SLURM --array=1-4, task 2" 2 SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=1
expect_contains stderr "shard 2 of 4 (SLURM array)" "SLURM --array=1-4, task 2 (-v)"
expect_auto "SLURM --array=0-3, task 0" 1 SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 \
    SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_STEP=1
expect_auto "SLURM --array=10-13, task 13" 4 SLURM_ARRAY_TASK_ID=13 SLURM_ARRAY_TASK_MIN=10 \
    SLURM_ARRAY_TASK_MAX=13 SLURM_ARRAY_TASK_COUNT=4
expect_auto "Kubernetes index 2, auto/4" 3 JOB_COMPLETION_INDEX=2 -- "--shard auto/4"
expect_auto "AWS Batch index 3 of 4" 4 AWS_BATCH_JOB_ARRAY_INDEX=3 AWS_BATCH_JOB_ARRAY_SIZE=4
expect_auto "GitLab node 1 of 4" 1 CI_NODE_INDEX=1 CI_NODE_TOTAL=4

# Refusals: usage errors (exit 2), one line, nothing written.
# expect_refused WHAT WORD ENV... [-- OPTION]
expect_refused() {
    what=$1
    word=$2
    shift 2
    opt="--shard auto"
    envs=""
    while [ $# -gt 0 ]; do
        if [ "$1" = -- ]; then
            opt=$2
            break
        fi
        envs="$envs $1"
        shift
    done
    rm -rf bad
    last_cmd="env$envs cansim render in -r -o bad -p reference $opt"
    env $envs "$CANSIM" render in -r -o bad -p reference $opt >stdout 2>stderr
    rc=$?
    expect_rc 2 "$what"
    expect_contains stderr "$word" "$what"
    [ "$(count_prefix stderr 'cansim: ')" -eq 1 ] || fail "$what: not one line: $(cat stderr)"
    [ ! -e bad ] || fail "$what: the output folder was created"
}
expect_refused "--shard auto outside a job array" "not in a job array"
expect_refused "--shard auto/4 outside a job array" "not in a job array" -- "--shard auto/4"
expect_refused "SLURM sparse --array=1,3,5" "sparse" SLURM_ARRAY_TASK_ID=3 \
    SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=5 SLURM_ARRAY_TASK_COUNT=3
expect_refused "SLURM stepped --array=1-7:3" "step" SLURM_ARRAY_TASK_ID=4 \
    SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_COUNT=3 \
    SLURM_ARRAY_TASK_STEP=3
expect_refused "Kubernetes without auto/N" "auto/N" JOB_COMPLETION_INDEX=0
expect_refused "AWS Batch, auto/N disagreeing" "4 tasks" AWS_BATCH_JOB_ARRAY_INDEX=0 \
    AWS_BATCH_JOB_ARRAY_SIZE=4 -- "--shard auto/5"
for bad in auto/0 auto/ autox auto/2/3; do
    expect_refused "--shard $bad" "--shard" -- "--shard $bad"
done

# ---- status
# A fresh batch: incomplete, every input listed with its shard, nothing written.
run status $CMD --shard auto/4
expect_rc 1 "status before any render"
[ ! -e out ] || fail "status created the output folder"
[ "$(count_prefix stdout 'incomplete  ')" -eq $n_inputs ] ||
    fail "status before any render: $(count_prefix stdout 'incomplete  ') inputs incomplete, want $n_inputs"
expect_contains stderr "shards to run again: $all_shards" "status before any render"
run status $CMD --json
expect_rc 1 "status --json before any render"
expect_json_lines stdout "status --json"
expect_eq "$(json_get stdout status complete)" false "status --json: complete"
expect_eq "$(json_get stdout status inputs_incomplete)" $n_inputs "status --json: inputs_incomplete"
expect_eq "$(json_get stdout status outputs_up_to_date)" 0 "status --json: outputs_up_to_date"

# The single-process reference, its run report from two threads (any order of completion),
# into out (reports name their files) and moved aside.
run render $CMD -t 2 --report ref.json --page
expect_rc 0 "the single-process run"
mv out ref
# The run's page (OUT/index.html) comes from an unsharded run only: one task sees its own
# shard, not the batch (docs/page.md). The shards' trees are compared without it.
rm -f ref/index.html

# Shards 1..4 one after the other; status after each names the shards still to run.
for s in 1 2 3 4; do
    run render $CMD --shard $s/4 --page --report shard$s.json
    expect_rc 0 "--shard $s/4"
    snap out >snap.before
    run status $CMD --shard 4/4 --report all.json
    snap out >snap.after
    cmp -s snap.before snap.after || fail "status after shard $s wrote into the tree"
    want_left=""
    for t in $(seq $((s + 1)) 4); do
        [ -s plan.$t ] && want_left="$want_left${want_left:+, }$t"
    done
    if [ -n "$want_left" ]; then
        expect_rc 1 "status after shards 1..$s"
        [ ! -e all.json ] || fail "status wrote the run's report of an incomplete batch"
        expect_contains stderr "not written" "status --report, incomplete"
        for t in $(seq 1 $s); do
            [ -s plan.$t ] || continue
            grep -q "\[shard $t/4\]" stdout && fail "status after shards 1..$s: shard $t still listed"
        done
        expect_contains stderr "shards to run again: $want_left" "status after shards 1..$s"
        rm -f all.json
    fi
done
expect_rc 0 "status after every shard"
expect_contains stderr "status: complete: $n_inputs of $n_inputs inputs complete, 48 of 48 outputs up to date" "status after every shard"
expect_same_tree ref out "four shards"
for f in $(find ref -name index.html -printf '%P\n'); do
    cmp -s "ref/$f" "out/$f" || fail "out/$f (a shard's page) differs from the single run's"
done
# The run's report, built by status from the folders: the single run's, byte for byte.
if [ ! -f all.json ]; then
    fail "status of the complete batch did not write --report all.json"
elif ! cmp -s ref.json all.json; then
    fail "status --report differs from the single run's --report: $(diff ref.json all.json | head -6 | tr '\n' ' ')"
fi
run status $CMD --json
expect_rc 0 "status --json, complete"
expect_eq "$(json_get stdout status complete)" true "status --json, complete"
expect_eq "$(json_get stdout status outputs_up_to_date)" 48 "status --json: outputs_up_to_date"

# A render lost (a shard's disk, a deleted file): incomplete, naming it, its reason, its
# shard; that shard again completes the batch.
victim=$(head -n 1 plan.3)
[ -n "$victim" ] || victim=$(head -n 1 plan.1)
vs=3
[ -s plan.3 ] || vs=1
rm "out/$victim/sennheiser-hd-650.wav"
run status $CMD --shard auto/4
expect_rc 1 "status with a render missing"
# (its gain group's other members too: the group renders a stale profile for all)
[ "$(count_prefix stdout 'incomplete  ')" -eq "$(count_lines plan.$vs)" ] ||
    fail "status with a render missing: $(count_prefix stdout 'incomplete  ') inputs listed, want $(count_lines plan.$vs) (its gain group)"
expect_contains stdout "sennheiser-hd-650: output missing" "status with a render missing"
expect_contains stdout "[shard $vs/4]" "status with a render missing"
expect_contains stderr "shards to run again: $vs" "status with a render missing"
run render $CMD --shard $vs/4
expect_rc 0 "shard $vs/4 again"
run status $CMD
expect_rc 0 "status after shard $vs/4 again"

# --page: the pages missing, written once complete, as a render writes those of inputs up to
# date.
rm out/mixes/mix01/index.html
run render $CMD --page
expect_rc 0 "render --page, everything up to date"
mv out/mixes/mix01/index.html kept.html
run status $CMD --page
expect_rc 0 "status --page"
cmp -s kept.html out/mixes/mix01/index.html ||
    fail "status --page: out/mixes/mix01/index.html missing or not the one render writes"

# status renders nothing: --force and --dry-run are usage errors.
run status $CMD --force
expect_rc 2 "status --force"
run status $CMD --dry-run
expect_rc 2 "status --dry-run"
# status --shard auto outside an array covers the whole batch (no shard to label).
run status $CMD --shard auto
expect_rc 0 "status --shard auto outside an array"

# ---- threads
# threads_of: the count the verbose line reports.
threads_of() {
    sed -n 's/^cansim: \([0-9]*\) threads\{0,1\} (.*/\1/p' stderr | head -n 1
}
n_cpus=$(nproc)
run render in/mixes/mix01.wav -o t0 -p reference -v
expect_rc 0 "the default thread count"
n0=$(threads_of)
if [ -z "$n0" ] || [ "$n0" -lt 1 ] || [ "$n0" -gt "$n_cpus" ]; then
    fail "the default thread count is '${n0}', want 1..$n_cpus (nproc)"
fi
expect_contains stderr "affinity mask $n_cpus" "the default thread count"

export SLURM_CPUS_PER_TASK=1
run render in/mixes/mix01.wav -o t1 -p reference -v
unset SLURM_CPUS_PER_TASK
expect_rc 0 "SLURM_CPUS_PER_TASK=1"
expect_eq "$(threads_of)" 1 "SLURM_CPUS_PER_TASK=1: threads"
expect_contains stderr ", 1 threads" "SLURM_CPUS_PER_TASK=1: the engine's line"

if command -v taskset >/dev/null; then
    last_cmd="taskset -c 0 cansim render ... -v"
    taskset -c 0 "$CANSIM" render in/mixes/mix01.wav -o t2 -p reference -v >stdout 2>stderr
    rc=$?
    expect_rc 0 "taskset -c 0"
    expect_eq "$(threads_of)" 1 "taskset -c 0: threads"
    expect_contains stderr "affinity mask 1" "taskset -c 0"
    # What a job was given caps what it asks for: the mask holds OMP_NUM_THREADS too.
    last_cmd="OMP_NUM_THREADS=2 taskset -c 0 cansim render ..."
    OMP_NUM_THREADS=2 taskset -c 0 "$CANSIM" render in/mixes/mix01.wav -o t3 -p reference -v \
        >stdout 2>stderr
    rc=$?
    expect_rc 0 "OMP_NUM_THREADS=2 under taskset -c 0"
    expect_eq "$(threads_of)" 1 "OMP_NUM_THREADS=2 under taskset -c 0: threads"
    expect_contains stderr "OMP_NUM_THREADS asks for 2 threads" "OMP_NUM_THREADS=2 under taskset -c 0"
else
    fail "taskset (util-linux) is missing"
fi

# Absurd counts: capped with a notice, never a crash; the same outputs.
export OMP_NUM_THREADS=100000
run render $(cmd_to t4) -v
unset OMP_NUM_THREADS
expect_rc 0 "OMP_NUM_THREADS=100000"
expect_contains stderr "note - OMP_NUM_THREADS asks for 100000 threads" "OMP_NUM_THREADS=100000"
expect_eq "$(threads_of)" "$n0" "OMP_NUM_THREADS=100000: threads"
run render $(cmd_to t5) -t 1024 -v
expect_rc 0 "--threads 1024"
expect_contains stderr "note - --threads asks for 1024 threads" "--threads 1024"
expect_eq "$(threads_of)" "$n0" "--threads 1024: threads"
for f in $(audio_files t4); do
    cmp -s "t4/$f" "t5/$f" || fail "$f differs between OMP_NUM_THREADS=100000 and -t 1024"
    cmp -s "t4/$f" "out/$f" || fail "$f differs from the sharded run's"
done
# --threads takes precedence over OMP_NUM_THREADS, and needs no notice when within the CPUs.
export OMP_NUM_THREADS=100000
run render in/mixes/mix01.wav -o t6 -p reference -t 1 -v
unset OMP_NUM_THREADS
expect_rc 0 "-t 1 with OMP_NUM_THREADS=100000"
expect_eq "$(threads_of)" 1 "-t 1 with OMP_NUM_THREADS=100000: threads"
expect_absent stderr "note -" "-t 1 with OMP_NUM_THREADS=100000"
# Not a count: usage errors, from the option and the environment alike.
for bad in 0 -2 abc 2x ""; do
    last_cmd="OMP_NUM_THREADS='$bad' cansim render"
    OMP_NUM_THREADS=$bad "$CANSIM" render in/mixes/mix01.wav -o t7 -p reference >stdout 2>stderr
    rc=$?
    if [ -z "$bad" ]; then
        expect_rc 0 "an empty OMP_NUM_THREADS (unset)"
    else
        expect_rc 2 "OMP_NUM_THREADS='$bad'"
        expect_contains stderr "OMP_NUM_THREADS" "OMP_NUM_THREADS='$bad'"
    fi
done

finish
