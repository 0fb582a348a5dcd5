/* SPDX-License-Identifier: MIT */
/* How many threads a run uses: what the job was given, found once by the command. */
#ifndef CANSIM_CLI_THREADS_H
#define CANSIM_CLI_THREADS_H

#include <stddef.h>

/* The CPUs this process may use and where each bound comes from (0: no such bound). */
typedef struct CpuBudget {
    int affinity; /* CPUs in the affinity mask (sched_getaffinity; taskset, SLURM, cpusets) */
    int quota;    /* the cgroup's CPU quota, rounded up: v2 cpu.max, v1 cpu.cfs_quota_us, the
                     least along the path from the process's cgroup to the root */
    int slurm;    /* SLURM_CPUS_PER_TASK */
    int n;        /* the least of them, at least 1 */
} CpuBudget;

/* The CPU quota of the cgroup that /proc/self/cgroup names, read below root ("" for the real
 * /proc and /sys/fs/cgroup; a test's fake tree otherwise). Returns the CPUs it allows,
 * rounded up, or 0 when there is no quota or none can be read. */
int cpu_quota(const char *root);

/* The process's CPU budget. envp as environ (SLURM_CPUS_PER_TASK); root as for cpu_quota(). */
CpuBudget cpu_budget(char *const *envp, const char *root);

/* The run's thread count, resolved once: n_option (--threads; 0 when not given), else
 * OMP_NUM_THREADS from envp (its first level), else the budget. A count above the budget is
 * capped to it, with a notice naming where it came from (verbosity >= 1); with verbosity >= 2
 * one line says how the count was found. OpenMP is set to the count, so no parallel region
 * of the process starts more. Returns the count (>= 1), or -1 with one line in msg when
 * OMP_NUM_THREADS is not a positive number (a usage error). */
int threads_resolve(int n_option, char *const *envp, int verbosity, char *msg, size_t msg_n);

#endif
