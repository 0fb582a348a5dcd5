/* SPDX-License-Identifier: MIT */
/* The thread count of a run: what the job was given (affinity mask, cgroup CPU quota,
 * SLURM_CPUS_PER_TASK), never the node's core count, and one cap for every way of asking. */
#define _GNU_SOURCE
#include "threads.h"
#include "cgroup.h"
#include "env.h"

#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A positive decimal count up to 10^9 at the start of s, ending at end_char or the string's
 * end; 0 for anything else. */
static long count_of(const char *s, char end_char)
{
    if (!s || *s < '0' || *s > '9')
        return 0;
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || (*end && *end != end_char) || v < 1 || v > 1000000000L)
        return 0;
    return v;
}

/* CPUs allowed by one cgroup folder's quota (rounded up), or 0: none set, or unreadable. */
static long long quota_in(const char *dir, bool is_v2)
{
    char path[PATH_MAX + 32];
    long long q = -1, p = 0;
    if (is_v2) {
        snprintf(path, sizeof path, "%s/cpu.max", dir);
        FILE *f = fopen(path, "r");
        if (!f)
            return 0;
        char word[32];
        if (fscanf(f, "%31s %lld", word, &p) == 2 && strcmp(word, "max"))
            q = strtoll(word, NULL, 10);
        fclose(f);
    } else {
        snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
        FILE *f = fopen(path, "r");
        if (!f)
            return 0;
        if (fscanf(f, "%lld", &q) != 1)
            q = -1;
        fclose(f);
        snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
        if (!(f = fopen(path, "r")))
            return 0;
        if (fscanf(f, "%lld", &p) != 1)
            p = 0;
        fclose(f);
    }
    if (q <= 0 || p <= 0)
        return 0;
    return q / p + (q % p != 0);
}

int cpu_quota(const char *root)
{
    static const char *const v1_mounts[] = {"cpu", "cpu,cpuacct", NULL};
    const long long n = cgroup_least(root, "cpu", v1_mounts, quota_in);
    return n > INT_MAX ? INT_MAX : (int)n;
}

static int affinity_cpus(void)
{
    /* Masks grow past CPU_SETSIZE (1024 CPUs) on big machines: retry with a larger set. */
    for (int n_cpus = 1024; n_cpus <= (1 << 20); n_cpus *= 2) {
        cpu_set_t *set = CPU_ALLOC((size_t)n_cpus);
        if (!set)
            return 0;
        const size_t size = CPU_ALLOC_SIZE((size_t)n_cpus);
        CPU_ZERO_S(size, set);
        if (!sched_getaffinity(0, size, set)) {
            const int n = CPU_COUNT_S(size, set);
            CPU_FREE(set);
            return n;
        }
        CPU_FREE(set);
        if (errno != EINVAL)
            return 0;
    }
    return 0;
}

CpuBudget cpu_budget(char *const *envp, const char *root)
{
    CpuBudget b = {.affinity = affinity_cpus(), .quota = cpu_quota(root)};
    const long slurm = count_of(env_get(envp, "SLURM_CPUS_PER_TASK"), '\0');
    b.slurm = slurm > INT_MAX ? INT_MAX : (int)slurm;
    b.n = INT_MAX;
    const int bounds[3] = {b.affinity, b.quota, b.slurm};
    for (int k = 0; k < 3; k++)
        if (bounds[k] > 0 && bounds[k] < b.n)
            b.n = bounds[k];
    if (b.n == INT_MAX) {
        const long online = sysconf(_SC_NPROCESSORS_ONLN);
        b.n = online > 0 && online < INT_MAX ? (int)online : 1;
    }
    return b;
}

static void say_bound(char *out, size_t n, int v)
{
    if (v)
        snprintf(out, n, "%d", v);
    else
        snprintf(out, n, "none");
}

int threads_resolve(int n_option, char *const *envp, int verbosity, char *msg, size_t msg_n)
{
    const CpuBudget b = cpu_budget(envp, "");
    long n = b.n;
    const char *source = NULL;
    const char *omp = env_get(envp, "OMP_NUM_THREADS");
    if (n_option > 0) {
        n = n_option;
        source = "--threads";
    } else if (omp && *omp) {
        /* A list ("4,2") sets nested levels: cansim nests none, the first is the count. */
        if (!(n = count_of(omp, ','))) {
            snprintf(msg, msg_n,
                     "OMP_NUM_THREADS takes a number of threads (1 or more), not "
                     "'%s'",
                     omp);
            return -1;
        }
        source = "OMP_NUM_THREADS";
    }
    if (n > b.n) {
        if (verbosity >= 1)
            fprintf(stderr,
                    "cansim: note - %s asks for %ld threads, more than the %d CPU%s "
                    "this process may use: %d thread%s\n",
                    source, n, b.n, b.n == 1 ? "" : "s", b.n, b.n == 1 ? "" : "s");
        n = b.n;
    }
    if (verbosity >= 2) {
        char a[16], q[16], s[16];
        say_bound(a, sizeof a, b.affinity);
        say_bound(q, sizeof q, b.quota);
        say_bound(s, sizeof s, b.slurm);
        fprintf(stderr,
                "cansim: %ld thread%s (%s; the affinity mask %s, cgroup quota %s, "
                "SLURM_CPUS_PER_TASK %s)\n",
                n, n == 1 ? "" : "s", source ? source : "all CPUs the process may use", a, q, s);
    }
    omp_set_num_threads((int)n);
    return (int)n;
}
