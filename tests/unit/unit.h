/* SPDX-License-Identifier: MIT */
/* Shared helpers of the unit tests: failure reporting, a seeded PRNG, error measures. */
#ifndef CANSIM_TESTS_UNIT_H
#define CANSIM_TESTS_UNIT_H

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct UnitState {
    uint64_t seed;
    uint64_t rng;
    int n_failures;
    int n_checks;
} UnitState;

/* One per test executable; static in a header is fine since each test is one TU. */
static UnitState unit;

__attribute__((format(printf, 3, 4))) static inline void unit_fail(const char *file, int line,
                                                                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s:%d (seed %" PRIu64 "): ", file, line, unit.seed);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    unit.n_failures++;
}

/* CHECK(cond, fmt, ...): counts a failure (with the seed) and goes on. */
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        unit.n_checks++;                                                                           \
        if (!(cond))                                                                               \
            unit_fail(__FILE__, __LINE__, __VA_ARGS__);                                            \
    } while (0)

/* --seed=N reproduces a run; the default seed is fixed so that CI is deterministic. */
static inline void unit_init(int argc, char **argv, uint64_t default_seed)
{
    unit.seed = default_seed;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--seed=", 7) == 0)
            unit.seed = strtoull(argv[i] + 7, NULL, 0);
    }
    unit.rng = unit.seed;
    printf("seed %" PRIu64 "\n", unit.seed);
}

static inline int unit_finish(const char *name)
{
    if (unit.n_failures) {
        fprintf(stderr, "%s: %d of %d checks failed (seed %" PRIu64 ")\n", name, unit.n_failures,
                unit.n_checks, unit.seed);
        return 1;
    }
    printf("%s: all %d checks passed\n", name, unit.n_checks);
    return 0;
}

/* splitmix64: small, seedable, good enough for test data. */
static inline uint64_t unit_rand_u64(void)
{
    uint64_t z = (unit.rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1), exactly representable in float (24 random bits). */
static inline float unit_rand_float(void)
{
    const int32_t v = (int32_t)(unit_rand_u64() >> 40) - (1 << 23);
    return (float)v / (float)(1 << 23);
}

static inline void unit_fill_random(float *x, size_t n, float scale)
{
    for (size_t i = 0; i < n; i++)
        x[i] = unit_rand_float() * scale;
}

/* 20*log10(rms(a - b) / rms(b)) over n values at the given strides; -INFINITY when equal,
 * +INFINITY when b is all zero but a is not. */
static inline double unit_rel_rms_db(const float *a, size_t stride_a, const double *b,
                                     size_t stride_b, size_t n)
{
    double err = 0.0;
    double ref = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)a[i * stride_a] - b[i * stride_b];
        err += d * d;
        ref += b[i * stride_b] * b[i * stride_b];
    }
    if (err == 0.0)
        return -(double)INFINITY;
    if (ref == 0.0)
        return (double)INFINITY;
    return 10.0 * log10(err / ref);
}

static inline double unit_rel_rms_db_f(const float *a, const float *b, size_t n)
{
    double err = 0.0;
    double ref = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)a[i] - (double)b[i];
        err += d * d;
        ref += (double)b[i] * (double)b[i];
    }
    if (err == 0.0)
        return -(double)INFINITY;
    if (ref == 0.0)
        return (double)INFINITY;
    return 10.0 * log10(err / ref);
}

static inline void *unit_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    return p;
}

#endif
