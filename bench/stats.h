/* SPDX-License-Identifier: MIT */
/* The summary figures of a benchmark's repetitions. */
#ifndef CANSIM_BENCH_STATS_H
#define CANSIM_BENCH_STATS_H

/* The most repetitions one figure summarises. */
#define BENCH_MAX_SAMPLES 64

/* The median of x[0..n), n <= BENCH_MAX_SAMPLES (the mean of the middle two when n is even);
 * 0 when n <= 0. x is left as it was. */
double bench_median(const double *x, int n);
/* The smallest and largest of x[0..n); 0 when n <= 0. */
double bench_min(const double *x, int n);
double bench_max(const double *x, int n);

#endif
