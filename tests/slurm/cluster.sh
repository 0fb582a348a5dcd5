# SPDX-License-Identifier: MIT
# A one-node SLURM on this machine for the scale-out test, sourced: munged, slurmctld and
# slurmd (Debian's slurm-wlm and munge), their state, sockets and logs in a fresh folder under
# /tmp (short paths: a socket's path must fit in 108 bytes), talking over 127.0.0.1 on free
# ports. No cgroups: processes are tracked by their parents (proctrack/linuxproc) and tasks
# get no binding (task/none), so it runs in a container as root. cluster_start brings it up
# and exports SLURM_CONF for sbatch, squeue, scancel and scontrol; cluster_stop cancels what
# is left, stops the daemons it started (by their process ids) and removes the folder. A
# watchdog stops them too if the test itself is killed (a ctest timeout) before its trap runs.
# Uses: fail, finish (tests/e2e/lib.sh).

CLUSTER_DIR=""
CLUSTER_PIDS=""
CLUSTER_WATCHDOG=""

# cluster_need: every program the cluster needs, and root (slurmd starts jobs as their user).
cluster_need() {
    for p in munged munge slurmctld slurmd sbatch squeue scancel scontrol sinfo; do
        if ! command -v "$p" >/dev/null 2>&1; then
            echo "FAIL: $p is not installed (bash scripts/deps.sh --tests installs slurm-wlm and munge)" >&2
            exit 1
        fi
    done
    if [ "$(id -u)" -ne 0 ]; then
        echo "FAIL: a one-node SLURM needs root here (slurmd starts each job as its user)" >&2
        exit 1
    fi
}

# in_use PORT: true when something listens on PORT (TCP, v4 or v6).
in_use() {
    hex=$(printf '%04X' "$1")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }'
}

# free_port FROM: the first port from FROM on that nothing listens on.
free_port() {
    p=$1
    while in_use "$p" || [ "$p" = "${2-}" ]; do
        p=$((p + 1))
    done
    echo "$p"
}

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds; false (with a
# failure naming WHAT) when SECONDS pass first.
wait_for() {
    limit=$(($1 * 5))
    what=$2
    shift 2
    k=0
    until "$@" >/dev/null 2>&1; do
        k=$((k + 1))
        if [ $k -ge $limit ]; then
            fail "$what: not within $((limit / 5)) s"
            return 1
        fi
        sleep 0.2
    done
    return 0
}

node_idle() {
    sinfo -h -o %T 2>/dev/null | grep -q '^idle'
}

cluster_logs() {
    for f in "$CLUSTER_DIR"/munged.log "$CLUSTER_DIR"/slurmctld.log "$CLUSTER_DIR"/slurmd.log; do
        [ -f "$f" ] || continue
        echo "--- $f (last lines)" >&2
        tail -n 15 "$f" >&2
    done
}

cluster_start() {
    cluster_need
    CLUSTER_DIR=$(mktemp -d /tmp/cansim-slurm.XXXXXX) || exit 99
    # munged refuses a socket folder others cannot enter, and a key others can read.
    chmod 755 "$CLUSTER_DIR"
    mkdir -p "$CLUSTER_DIR/state" "$CLUSTER_DIR/spool"
    dd if=/dev/urandom of="$CLUSTER_DIR/munge.key" bs=1024 count=1 2>/dev/null
    chmod 400 "$CLUSTER_DIR/munge.key"
    munged --foreground --key-file="$CLUSTER_DIR/munge.key" --socket="$CLUSTER_DIR/munge.sock" \
        --pid-file="$CLUSTER_DIR/munged.pid" --log-file="$CLUSTER_DIR/munged.log" \
        --seed-file="$CLUSTER_DIR/munged.seed" >"$CLUSTER_DIR/munged.out" 2>&1 &
    CLUSTER_PIDS=$!
    wait_for 20 "munged's socket" test -S "$CLUSTER_DIR/munge.sock" || { cluster_logs; return 1; }

    node=$(hostname -s)
    ctld_port=$(free_port $((20000 + $$ % 20000)))
    d_port=$(free_port $((ctld_port + 1)) "$ctld_port")
    cat >"$CLUSTER_DIR/slurm.conf" <<EOF
ClusterName=cansimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$CLUSTER_DIR/munge.sock
CredType=cred/munge
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=2
MinJobAge=600
MailProg=/bin/true
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=cansim Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    SLURM_CONF=$CLUSTER_DIR/slurm.conf
    export SLURM_CONF
    slurmctld -D -f "$SLURM_CONF" >"$CLUSTER_DIR/slurmctld.out" 2>&1 &
    CLUSTER_PIDS="$CLUSTER_PIDS $!"
    slurmd -D -f "$SLURM_CONF" >"$CLUSTER_DIR/slurmd.out" 2>&1 &
    CLUSTER_PIDS="$CLUSTER_PIDS $!"
    # The watchdog: if this shell dies without its trap, it stops the daemons.
    test_pid=$$
    (
        trap '' INT
        while kill -0 "$test_pid" 2>/dev/null; do
            sleep 1
        done
        # shellcheck disable=SC2086
        kill $CLUSTER_PIDS 2>/dev/null
    ) >/dev/null 2>&1 &
    CLUSTER_WATCHDOG=$!
    if ! wait_for 60 "the node idle in sinfo" node_idle; then
        cat "$CLUSTER_DIR"/*.out >&2
        cluster_logs
        return 1
    fi
    return 0
}

cluster_stop() {
    if [ -n "$SLURM_CONF" ] && [ -n "$CLUSTER_PIDS" ]; then
        scancel --quiet --user=root >/dev/null 2>&1
        k=0
        while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && [ $k -lt 50 ]; do
            sleep 0.2
            k=$((k + 1))
        done
    fi
    for pid in $CLUSTER_PIDS; do
        kill "$pid" 2>/dev/null
    done
    for pid in $CLUSTER_PIDS; do
        wait "$pid" 2>/dev/null
    done
    [ -n "$CLUSTER_WATCHDOG" ] && kill "$CLUSTER_WATCHDOG" 2>/dev/null
    CLUSTER_PIDS=""
    [ -n "$CLUSTER_DIR" ] && rm -rf "$CLUSTER_DIR"
    CLUSTER_DIR=""
}
