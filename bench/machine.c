/* SPDX-License-Identifier: MIT */
/* What the benchmarks ask of the machine: clocks, other processes' load, quiet moments. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "machine.h"

double bench_now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double bench_machine_busy_s(void)
{
    unsigned long long v[8] = {0};
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return 0.0;
    const int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                         &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 8)
        return 0.0;
    /* user nice system [idle iowait] irq softirq steal */
    const unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return (double)busy / (double)sysconf(_SC_CLK_TCK);
}

int bench_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

bool bench_settle(double max_s)
{
    const int n_cpus = bench_cpu_count();
    const double t_end = bench_now_s(CLOCK_MONOTONIC) + max_s;
    for (;;) {
        const double b0 = bench_machine_busy_s();
        const double w0 = bench_now_s(CLOCK_MONOTONIC);
        nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
        const double w1 = bench_now_s(CLOCK_MONOTONIC);
        if (bench_machine_busy_s() - b0 < 0.10 * (w1 - w0) * n_cpus)
            return true;
        if (w1 >= t_end)
            return false;
    }
}
