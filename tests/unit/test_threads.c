/* SPDX-License-Identifier: MIT */
/* The thread default (cli/threads.c): the cgroup CPU quota read from fake /proc and
 * /sys/fs/cgroup trees (v2 cpu.max, v1 cpu.cfs_quota_us, the least along the path, a
 * container that mounts only its own subtree), and the budget's least bound
 * (SLURM_CPUS_PER_TASK, the affinity mask, the quota). The real binary under taskset and
 * SLURM_CPUS_PER_TASK is tested by tests/batch/scale.sh. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "threads.h"
#include "unit.h"
#include "unit_files.h"

static char g_root[4096];

/* A fresh fake root named name under the scratch folder. */
static const char *fresh(const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", g_root, name);
    mkdir(out, 0755);
    return out;
}

static void test_quota(void)
{
    char r[4200];
    /* v2: "QUOTA PERIOD" rounds up; "max" is no quota. */
    fresh("v2", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/job\n");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
    unit_put(r, "sys/fs/cgroup/job/cpu.max", "250000 100000\n");
    CHECK(cpu_quota(r) == 3, "v2 cpu.max 250000/100000: %d CPUs, want 3", cpu_quota(r));
    unit_put(r, "sys/fs/cgroup/job/cpu.max", "200000 100000\n");
    CHECK(cpu_quota(r) == 2, "v2 cpu.max 200000/100000: %d CPUs, want 2", cpu_quota(r));
    unit_put(r, "sys/fs/cgroup/job/cpu.max", "max 100000\n");
    CHECK(cpu_quota(r) == 0, "v2 cpu.max max: %d CPUs, want 0 (none)", cpu_quota(r));
    unit_put(r, "sys/fs/cgroup/job/cpu.max", "50000 100000\n");
    CHECK(cpu_quota(r) == 1, "v2 half a CPU: %d, want 1", cpu_quota(r));

    /* v2 nested: the least along the path wins, wherever it is set. */
    fresh("v2n", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/slurm/uid_0/job_7/step_batch\n");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "cpu\n");
    unit_put(r, "sys/fs/cgroup/slurm/cpu.max", "max 100000\n");
    unit_put(r, "sys/fs/cgroup/slurm/uid_0/cpu.max", "800000 100000\n");
    unit_put(r, "sys/fs/cgroup/slurm/uid_0/job_7/cpu.max", "100000 100000\n");
    unit_put(r, "sys/fs/cgroup/slurm/uid_0/job_7/step_batch/cpu.max", "max 100000\n");
    CHECK(cpu_quota(r) == 1, "v2 nested, 1 CPU at the job: %d, want 1", cpu_quota(r));

    /* A container that sees its host path but mounts only its own subtree: the mount's
     * root is its cgroup. */
    fresh("v2c", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/kubepods/burstable/pod1/c1\n");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "cpu\n");
    unit_put(r, "sys/fs/cgroup/cpu.max", "400000 100000\n");
    CHECK(cpu_quota(r) == 4, "v2 container: %d CPUs, want 4", cpu_quota(r));

    /* v1 (and hybrid: the cpu controller on v1 beside a v2 0:: line without a quota). */
    fresh("v1", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "4:memory:/job\n3:cpu,cpuacct:/job\n0::/\n");
    unit_put(r, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "150000\n");
    unit_put(r, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
    unit_put(r, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    unit_put(r, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    CHECK(cpu_quota(r) == 2, "v1 cfs 150000/100000: %d CPUs, want 2", cpu_quota(r));
    unit_put(r, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
    CHECK(cpu_quota(r) == 0, "v1 cfs -1: %d CPUs, want 0 (none)", cpu_quota(r));

    /* v1 with the controller named alone ("cpu"), mounted at cpu/. */
    fresh("v1b", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "2:cpuacct:/\n1:cpu:/\n");
    unit_put(r, "sys/fs/cgroup/cpu/cpu.cfs_quota_us", "300000\n");
    unit_put(r, "sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
    CHECK(cpu_quota(r) == 3, "v1 cpu/: %d CPUs, want 3", cpu_quota(r));
    /* cpuacct or cpuset alone is not cpu. */
    unit_put(r, "proc/self/cgroup", "2:cpuacct:/\n1:cpuset:/\n");
    CHECK(cpu_quota(r) == 0, "cpuacct and cpuset only: %d CPUs, want 0", cpu_quota(r));

    /* Nothing readable: no quota. */
    fresh("none", r, sizeof r);
    CHECK(cpu_quota(r) == 0, "no /proc: %d CPUs, want 0", cpu_quota(r));
    unit_put(r, "proc/self/cgroup", "garbage\n0::relative\n::\n");
    CHECK(cpu_quota(r) == 0, "a garbled /proc/self/cgroup: %d CPUs, want 0", cpu_quota(r));
}

static int affinity_now(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) ? 0 : CPU_COUNT(&set);
}

static void test_budget(void)
{
    char r[4200];
    fresh("b0", r, sizeof r); /* no quota */
    const int aff = affinity_now();
    char *none[] = {"HOME=/root", NULL};
    CpuBudget b = cpu_budget(none, r);
    CHECK(b.affinity == aff && b.quota == 0 && b.slurm == 0 && b.n == aff,
          "no bounds but the mask: affinity %d quota %d slurm %d -> %d, want %d", b.affinity,
          b.quota, b.slurm, b.n, aff);

    char *one[] = {"SLURM_CPUS_PER_TASK=1", NULL};
    b = cpu_budget(one, r);
    CHECK(b.slurm == 1 && b.n == 1, "SLURM_CPUS_PER_TASK=1: %d threads, want 1", b.n);

    /* SLURM's count above the mask: the mask wins (never more than the job has). */
    char *big[] = {"SLURM_CPUS_PER_TASK=4096", NULL};
    b = cpu_budget(big, r);
    CHECK(b.slurm == 4096 && b.n == aff, "SLURM_CPUS_PER_TASK=4096: %d threads, want %d", b.n, aff);
    char *bad[] = {"SLURM_CPUS_PER_TASK=two", NULL};
    b = cpu_budget(bad, r);
    CHECK(b.slurm == 0 && b.n == aff, "SLURM_CPUS_PER_TASK=two: %d threads, want %d", b.n, aff);

    /* A quota of 1 CPU under a wider mask. */
    fresh("b1", r, sizeof r);
    unit_put(r, "proc/self/cgroup", "0::/\n");
    unit_put(r, "sys/fs/cgroup/cgroup.controllers", "cpu\n");
    unit_put(r, "sys/fs/cgroup/cpu.max", "100000 100000\n");
    b = cpu_budget(none, r);
    CHECK(b.quota == 1 && b.n == 1, "a 1-CPU quota: %d threads, want 1", b.n);

    /* A narrower affinity mask (as taskset -c 0 sets it). */
    cpu_set_t set, old;
    CPU_ZERO(&old);
    if (!sched_getaffinity(0, sizeof old, &old) && CPU_COUNT(&old) > 1) {
        int first = 0;
        while (!CPU_ISSET(first, &old))
            first++;
        CPU_ZERO(&set);
        CPU_SET(first, &set);
        CHECK(!sched_setaffinity(0, sizeof set, &set), "sched_setaffinity failed");
        fresh("b0", r, sizeof r);
        b = cpu_budget(none, r);
        CHECK(b.affinity == 1 && b.n == 1, "a mask of one CPU: %d threads, want 1", b.n);
        sched_setaffinity(0, sizeof old, &old);
    } else {
        printf("one CPU only: the narrower mask is the whole mask, checked above\n");
    }
}

int main(int argc, char **argv)
{
    unit_init(argc, argv, 1);
    unit_make_tmp_dir(g_root, sizeof g_root, "cansim-threads-");
    test_quota();
    test_budget();
    unit_remove_tree(g_root);
    return unit_finish("test_threads");
}
