/* SPDX-License-Identifier: MIT */
/* The summary figures of a benchmark's repetitions. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(const double *x, int n)
{
    double s[BENCH_MAX_SAMPLES];
    if (n <= 0)
        return 0.0;
    n = n < BENCH_MAX_SAMPLES ? n : BENCH_MAX_SAMPLES;
    memcpy(s, x, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

double bench_min(const double *x, int n)
{
    double m = n > 0 ? x[0] : 0.0;
    for (int i = 1; i < n; i++)
        m = x[i] < m ? x[i] : m;
    return m;
}

double bench_max(const double *x, int n)
{
    double m = n > 0 ? x[0] : 0.0;
    for (int i = 1; i < n; i++)
        m = x[i] > m ? x[i] : m;
    return m;
}
