/* SPDX-License-Identifier: MIT */
/* What the benchmarks ask of the machine: clocks, other processes' load, quiet moments, the CPU
 * they ran on. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The value of the first /proc/cpuinfo line starting with key into buf; false when none. */
static bool cpuinfo(const char *key, char *buf, size_t size)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    bool has = false;
    while (f && !has && fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, key, strlen(key)) == 0 && colon) {
            snprintf(buf, size, "%s", colon[1] == ' ' ? colon + 2 : colon + 1);
            buf[strcspn(buf, "\n")] = '\0';
            has = true;
        }
    }
    if (f)
        fclose(f);
    return has;
}

void bench_cpu_model(char *buf, size_t size)
{
    if (!cpuinfo("model name", buf, size))
        snprintf(buf, size, "unknown cpu");
}

int bench_cpu_mhz(void)
{
    char v[64];
    return cpuinfo("cpu MHz", v, sizeof v) ? (int)(atof(v) + 0.5) : 0;
}

bool bench_cpu_scaling_enabled(void)
{
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
    char gov[64] = "";
    if (!f)
        return false;
    const bool has = fgets(gov, sizeof gov, f) != NULL;
    fclose(f);
    return has && strncmp(gov, "performance", 11) != 0;
}
