/* SPDX-License-Identifier: MIT */
/* What the benchmarks ask of the machine: clocks, other processes' load, quiet moments, the CPU
 * they ran on. */
#ifndef CANSIM_BENCH_MACHINE_H
#define CANSIM_BENCH_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Seconds on clock (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, ...). */
double bench_now_s(clockid_t clock);
/* Busy CPU seconds of the whole machine, all processes (/proc/stat); 0 when absent. */
double bench_machine_busy_s(void);
/* CPUs this process may run on. */
int bench_cpu_count(void);
/* Waits up to max_s for a quiet 250 ms window (other processes below 10 % of the machine), so
 * that a neighbour's burst lands between runs rather than in one; false when none came. */
bool bench_settle(double max_s);
/* The CPU's model name from /proc/cpuinfo into buf, "unknown cpu" when absent. */
void bench_cpu_model(char *buf, size_t size);
/* The first CPU's clock in MHz from /proc/cpuinfo, rounded; 0 when absent. */
int bench_cpu_mhz(void);
/* Whether cpu0's frequency governor is other than "performance" (false when unknown). */
bool bench_cpu_scaling_enabled(void);

#endif
