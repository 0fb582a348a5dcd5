# SPDX-License-Identifier: MIT
# cansim on a real SLURM (one node on this machine, started and stopped here, see cluster.sh):
#  1. `sbatch --array=1-3 --wait` of `cansim render ... --shard auto`: each task renders its
#     shard (SLURM's index and count, one thread from SLURM_CPUS_PER_TASK); `cansim status`
#     then exits 0, also as a job run after the array, whose --report is the single-process
#     run's report byte for byte; the output tree is the single-process run's (renders,
#     report.json and pages byte for byte, manifests but for their mtimes).
#  2. A task stopped mid-render and cancelled (scancel): status says incomplete while it is
#     stopped and after, naming its shard; the task requeued completes the batch, and the tree
#     is again the single-process run's.
# Usage: slurm.sh CANSIM CANSIM-GEN SCRATCH BATCH-JSON SANITIZE
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../batch/batch_lib.sh"
. "$here/cluster.sh"

unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_MAX SLURM_ARRAY_TASK_COUNT \
    SLURM_ARRAY_TASK_STEP SLURM_CPUS_PER_TASK SLURM_JOB_ID JOB_COMPLETION_INDEX \
    AWS_BATCH_JOB_ARRAY_INDEX AWS_BATCH_JOB_ARRAY_SIZE CI_NODE_INDEX CI_NODE_TOTAL \
    OMP_NUM_THREADS
trap 'cluster_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cluster_start || finish

# Six songs of two stems (gain groups), 1 s (0.5 s under the sanitizers), stereo and mono,
# 24-bit WAV and 16-bit FLAC.
frames() {
    if [ "$SLOW" -eq 1 ]; then echo $(($1 / 2)); else echo "$1"; fi
}
i=0
for song in s1 s2 s3 s4 s5 s6; do
    mkdir -p "in/$song"
    for spec in "bass 48000 2 wav24" "keys 48000 1 flac16"; do
        set -- $spec
        i=$((i + 1))
        gen noise "in/$song/$1.${4%%[0-9]*}" "$2" "$3" "$(frames "$2")" "$i" "$4"
    done
done
n_inputs=12
CMD="in -r -o out -p $PROFILES --page"

# expect_status RC WHAT [OPTIONS]: cansim status over the batch exits RC.
expect_status() {
    want=$1
    what=$2
    shift 2
    run status $CMD "$@"
    expect_rc "$want" "$what"
}

# array_done JOB: no task of JOB is pending or running.
array_done() {
    [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]
}

# expect_identical_tree REF OUT WHAT: the same files; each byte for byte but the manifests,
# which record their outputs' mtimes (compared without them by expect_same_tree). Reports
# hold no time: their loudness, peaks and gains are the renders' own.
expect_identical_tree() {
    expect_same_tree "$1" "$2" "$3"
    final_files "$1" >files.ref
    final_files "$2" >files.out
    cmp -s files.ref files.out ||
        fail "$3: other files than the single run's: $(diff files.ref files.out | grep '^[<>]' | head -6 | tr '\n' ' ')"
    n_diff=0
    while IFS= read -r f; do
        case $f in */"$MANIFEST") continue ;; esac
        if [ -f "$2/$f" ] && ! cmp -s "$1/$f" "$2/$f"; then
            n_diff=$((n_diff + 1))
            [ $n_diff -le 5 ] && fail "$3: $2/$f differs from the single run's"
        fi
    done <files.ref
}

# task_state JOB_TASK: SLURM's state of one task (COMPLETED, CANCELLED, ...).
task_state() {
    scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1
}

# ---- 1. the array, then status
run render $CMD --report ref.json -t 2
expect_rc 0 "the single-process run"
mv out ref
# The run's page (OUT/index.html) comes from an unsharded run only: one task sees its own
# shard, not the batch (docs/page.md). The shards' trees are compared without it.
rm -f ref/index.html

mkdir logs
cat >job.sh <<EOF
#!/bin/sh
exec "$CANSIM" render $CMD --shard auto -v
EOF
cat >status.sh <<EOF
#!/bin/sh
exec "$CANSIM" status $CMD --report run.json
EOF
last_cmd="sbatch --array=1-3 --wait job.sh"
J=$(timeout 300 sbatch --parsable --array=1-3 --wait -c 1 -D "$SCRATCH" -o "logs/%a.out" -e "logs/%a.err" \
    job.sh 2>sbatch.err)
rc=$?
J=${J%%;*}
expect_rc 0 "sbatch --array=1-3 --wait (the array's highest exit status)"
[ -n "$J" ] || { fail "sbatch gave no job id: $(cat sbatch.err)"; finish; }
: >inputs.union
for t in 1 2 3; do
    expect_eq "$(task_state "${J}_$t")" COMPLETED "task $t"
    expect_contains "logs/$t.err" "cansim: shard $t of 3 (SLURM array)" "task $t's log"
    # What the job was given (-c 1): one thread, from SLURM_CPUS_PER_TASK.
    expect_contains "logs/$t.err" "cansim: 1 thread (" "task $t's log"
    expect_contains "logs/$t.err" "SLURM_CPUS_PER_TASK 1)" "task $t's log"
    sed -n 's/^\(in\/[^:]*\): input .*/\1/p' "logs/$t.err" >>inputs.union
done
[ "$(LC_ALL=C sort -u inputs.union | wc -l)" -eq $n_inputs ] &&
    [ "$(wc -l <inputs.union)" -eq $n_inputs ] ||
    fail "the tasks rendered $(wc -l <inputs.union) inputs ($(LC_ALL=C sort -u inputs.union | wc -l) distinct), want each of $n_inputs once"
expect_status 0 "status after the array"
expect_contains stderr "status: complete: $n_inputs of $n_inputs inputs complete" "status after the array"

# The scheduler's own way: a status job that runs after the array (afterany: whatever the
# tasks' exit), writing the run's report; its exit status is the job's.
last_cmd="sbatch --dependency=afterany:$J --wait status.sh"
timeout 300 sbatch --parsable --dependency="afterany:$J" --wait -D "$SCRATCH" -o logs/status.out \
    -e logs/status.err status.sh >/dev/null 2>sbatch.err
rc=$?
expect_rc 0 "the status job after the array"
if [ ! -f run.json ]; then
    fail "the status job wrote no run.json: $(cat logs/status.err sbatch.err)"
elif ! cmp -s ref.json run.json; then
    fail "the status job's run.json is not the single-process run's report: $(diff ref.json run.json | head -6 | tr '\n' ' ')"
fi
expect_identical_tree ref out "the SLURM array"

# ---- 2. a task cancelled mid-render, and run again
# Each input its own unit now; shard 2's inputs made 12 s long (the split depends on the
# names only), so its task is surely mid-render when its first progress line stops it.
CMD="in -r -o out -p $PROFILES --page --gain-group none"
run render $CMD --shard 2/3 --dry-run --json
expect_rc 0 "--shard 2/3 --dry-run"
"$JSON" plans stdout | grep -v '^ ' | awk '{ print $3 }' >shard2.inputs
[ -s shard2.inputs ] || fail "shard 2 of 3 has no inputs"
while IFS= read -r f; do
    case $f in
    *.wav) gen noise "$f" 48000 2 "$(frames 576000)" 99 wav24 ;;
    *) gen noise "$f" 48000 1 "$(frames 576000)" 98 flac16 ;;
    esac
done <shard2.inputs
rm -rf out ref ref.json run.json
run render $CMD --report ref.json -t 2
expect_rc 0 "the single-process run, each input its own unit"
mv out ref
# The run's page (OUT/index.html) comes from an unsharded run only: one task sees its own
# shard, not the batch (docs/page.md). The shards' trees are compared without it.
rm -f ref/index.html

# Task 2, the first time: cansim's progress (JSON lines) read through a FIFO; at the first
# line the job stops cansim (SIGSTOP) and says so in task2.pid. Run again, it renders.
cat >job2.sh <<EOF
#!/bin/sh
if [ "\$SLURM_ARRAY_TASK_ID" != 2 ] || [ -e task2.pid ]; then
    exec "$CANSIM" render $CMD --shard auto -q
fi
rm -f progress.fifo
mkfifo progress.fifo
"$CANSIM" render $CMD --shard auto --json -t 1 >progress.fifo &
pid=\$!
{
    while IFS= read -r line; do
        case \$line in
        *'"progress"'*)
            kill -STOP \$pid
            echo \$pid >task2.pid
            break
            ;;
        esac
    done
    cat >/dev/null
} <progress.fifo
wait \$pid
EOF
last_cmd="sbatch --array=1-3 job2.sh"
J=$(sbatch --parsable --array=1-3 -c 1 -D "$SCRATCH" -o "logs/c%a.out" -e "logs/c%a.err" \
    job2.sh 2>sbatch.err)
J=${J%%;*}
[ -n "$J" ] || { fail "sbatch gave no job id: $(cat sbatch.err)"; finish; }
stopped_or_done() {
    [ -s task2.pid ] || array_done "$J"
}
wait_for 120 "task 2 stopped mid-render, or the array ended" stopped_or_done
[ -s task2.pid ] || fail "task 2 never stopped mid-render: $(cat logs/c2.err 2>/dev/null | head -3)"
if [ -s task2.pid ]; then
    pid=$(cat task2.pid)
    expect_status 1 "status while task 2 is stopped" --shard auto/3
    expect_contains stdout "[shard 2/3]" "status while task 2 is stopped"
    expect_eq "$(task_state "${J}_2")" RUNNING "task 2 while stopped"
    last_cmd="scancel ${J}_2"
    scancel "${J}_2"
    wait_for 60 "task 2 ended by scancel" sh -c "! kill -0 $pid"
    wait_for 120 "tasks 1 and 3 done" array_done "$J"
    expect_eq "$(task_state "${J}_2")" CANCELLED "task 2 after scancel"
    for t in 1 3; do
        expect_eq "$(task_state "${J}_$t")" COMPLETED "task $t beside the cancelled one"
    done
    expect_status 1 "status after task 2 was cancelled" --shard auto/3
    expect_contains stderr "shards to run again: 2" "status after task 2 was cancelled"
    for s in 1 3; do
        grep -q "\[shard $s/3\]" stdout && fail "status after the cancel lists shard $s's inputs"
    done
    # Run again: the same task, requeued (its index, count and offset unchanged); a requeued
    # job waits two minutes unless told to start now.
    last_cmd="scontrol requeue ${J}_2"
    scontrol requeue "${J}_2" >scontrol.out 2>&1 || fail "scontrol requeue ${J}_2: $(cat scontrol.out)"
    scontrol update JobId="${J}_2" StartTime=now >scontrol.out 2>&1 ||
        fail "scontrol update StartTime=now: $(cat scontrol.out)"
    wait_for 120 "task 2 run again" array_done "$J"
    expect_eq "$(task_state "${J}_2")" COMPLETED "task 2 run again"
    expect_status 0 "status after task 2 ran again" --report run.json
    expect_identical_tree ref out "the array with a task cancelled and run again"
    cmp -s ref.json run.json || fail "status --report after the rerun is not the single-process run's report"
    p=$(parts out)
    [ -z "$p" ] || fail "temporary files left: $p"
fi

finish
