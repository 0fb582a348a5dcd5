/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the midside family (sumdiff, interleave2_ms); shaped as interleave.c. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "checkasm.h"

#define SUMDIFF_SWEEP  256   /* eight AVX-512 vectors, four unrolled AVX-512 steps */
#define SWEEP          200   /* interleave2_ms: a few AVX-512 steps of 16 frames past every tail */
#define LONG_N         16411 /* leaves a tail at every vector width */
#define MAX_OFFSET     16    /* floats; covers every misalignment of a 64-byte vector */
#define MIXED_ROUNDS   4     /* after the patterns: a random pattern per array */
#define SPECIALS_ROUND (CHECKASM_N_PATTERNS + MIXED_ROUNDS)
#define N_ROUNDS       (SPECIALS_ROUND + 1)

/* Sums and differences overflow and cancel: near-FLT_MAX values of both signs, infinities (so
 * inf - inf gives the default NaN) and quiet NaNs with a payload. NaNs go into one array only:
 * with two NaN operands, which payload survives depends on operand order, which the contract
 * does not fix. */
static void fill_specials(float *buf, size_t n, bool with_nan)
{
    for (size_t i = 0; i < n; i++) {
        const float sign = (checkasm_rand() & 1) ? -1.0f : 1.0f;
        switch (checkasm_rand_below(with_nan ? 6 : 5)) {
        case 0:
            buf[i] = sign * FLT_MAX;
            break;
        case 1:
            buf[i] = sign * ldexpf(1.0f + (float)checkasm_randu(), 127);
            break;
        case 2:
            buf[i] = sign * INFINITY;
            break;
        case 3:
            buf[i] = checkasm_randn();
            break;
        case 4:
            buf[i] = sign * ldexpf(checkasm_randn(), -126); /* around FLT_MIN: FTZ boundary */
            break;
        default: {
            const uint32_t u = 0x7fc00000u | (uint32_t)(checkasm_rand() & 0x3fffffu) |
                               (uint32_t)((checkasm_rand() & 1) << 31);
            memcpy(&buf[i], &u, sizeof u);
            break;
        }
        }
    }
}

/* Round r < CHECKASM_N_PATTERNS: pattern r for every array; then random patterns per array;
 * last, the specials. */
static void fill_round(float *buf, size_t n, int round, bool with_nan)
{
    if (round == SPECIALS_ROUND)
        fill_specials(buf, n, with_nan);
    else if (round < CHECKASM_N_PATTERNS)
        checkasm_fill(buf, n, round);
    else
        checkasm_fill(buf, n, (int)checkasm_rand_below(CHECKASM_N_PATTERNS));
}

static const char *round_name(int round)
{
    if (round == SPECIALS_ROUND)
        return "specials";
    return round < CHECKASM_N_PATTERNS ? checkasm_pattern_name(round) : "random per array";
}

/* ---- sumdiff ---- */

/* 0, 16, .. SUMDIFF_SWEEP, then one engine-sized block (an odd count of 16-float vectors). */
#define N_SUMDIFF_SIZES (SUMDIFF_SWEEP / CANSIM_PAD + 2)
static size_t sumdiff_size_at(size_t s)
{
    return s <= SUMDIFF_SWEEP / CANSIM_PAD ? s * CANSIM_PAD : CHECKASM_NB_4096;
}

typedef struct SumdiffBench {
    cansim_sumdiff_fn *fn;
    float *sum;
    float *diff;
    const float *a;
    const float *b;
    size_t n;
} SumdiffBench;

static void sumdiff_loop(void *ctx, unsigned iters)
{
    const SumdiffBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->sum, b->diff, b->a, b->b, b->n);
}

static void bench_sumdiff(cansim_sumdiff_fn *fn, size_t n)
{
    float *buf = checkasm_input(4 * n, 0); /* n % 16 == 0 keeps every plane 64-byte aligned */
    checkasm_fill(buf, 4 * n, CHECKASM_NORMAL);
    SumdiffBench b = {fn, buf, buf + n, buf + 2 * n, buf + 3 * n, n};
    SumdiffBench ref = b;
    ref.fn = checkasm_ref()->sumdiff;
    /* An add and a subtract; a and b read, sum and diff written. */
    const CheckasmBenchUnits units = {"bin", 2, 4 * sizeof(float)};
    checkasm_bench(n, sumdiff_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_sumdiff(void)
{
    cansim_sumdiff_fn *const fn = checkasm_kernels()->sumdiff;
    if (!check_func(fn, "sumdiff"))
        return;
    cansim_sumdiff_fn *const ref = checkasm_ref()->sumdiff;

    /* The contract requires n % 16 == 0 and 64-byte alignment: offset 0 only. */
    bool ok = true;
    for (size_t sz = 0; ok && sz < N_SUMDIFF_SIZES; sz++) {
        const size_t n = sumdiff_size_at(sz);
        float *a = checkasm_input(n, 0);
        float *b = checkasm_input(n, 0);
        CheckasmOutput o[4]; /* ref sum, ref diff, new sum, new diff */
        for (int j = 0; j < 4; j++)
            checkasm_output(&o[j], n, 0);

        for (int round = 0; ok && round < N_ROUNDS; round++) {
            fill_round(a, n, round, true);
            fill_round(b, n, round, false);
            checkasm_set_context("pattern=%s", round_name(round));

            ref(o[0].p, o[1].p, a, b, n);
            fn(o[2].p, o[3].p, a, b, n);

            ok = checkasm_check_exact("sum", n, o[0].p, o[2].p, n) &&
                 checkasm_check_exact("diff", n, o[1].p, o[3].p, n);
            ok = checkasm_check_guards(&o[2], "sum", n) && ok;
            ok = checkasm_check_guards(&o[3], "diff", n) && ok;
        }

        for (int j = 0; j < 4; j++)
            checkasm_free_output(&o[j]);
        checkasm_free_input(a, 0);
        checkasm_free_input(b, 0);
    }

    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {CHECKASM_NB_256, CHECKASM_NB_1024, CHECKASM_NB_4096};
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            bench_sumdiff(fn, sizes[s]);
    }
    checkasm_report();
}

/* ---- interleave2_ms ---- */

/* 0 .. SWEEP, then LONG_N. */
static size_t size_at(size_t s)
{
    return s <= SWEEP ? s : LONG_N;
}

/* Round 0 runs aligned; the others at random offsets, one per pointer. */
static size_t pick_offset(int round)
{
    return round ? checkasm_rand_below(MAX_OFFSET) : 0;
}

typedef struct InterleaveMsBench {
    cansim_interleave2_ms_fn *fn;
    float *dst;
    const float *m;
    const float *s;
    size_t n;
} InterleaveMsBench;

static void interleave_ms_loop(void *ctx, unsigned iters)
{
    const InterleaveMsBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->m, b->s, 0.5f, b->n);
}

static void bench_interleave_ms(cansim_interleave2_ms_fn *fn, size_t n)
{
    float *buf = checkasm_input(4 * n, 0);
    checkasm_fill(buf, 4 * n, CHECKASM_NORMAL);
    InterleaveMsBench b = {fn, buf, buf + 2 * n, buf + 3 * n, n};
    InterleaveMsBench ref = b;
    ref.fn = checkasm_ref()->interleave2_ms;
    /* Add, subtract, two multiplies; m and s read, two values written per frame. */
    const CheckasmBenchUnits units = {"frame", 4, 4 * sizeof(float)};
    checkasm_bench(n, interleave_ms_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_interleave2_ms(void)
{
    cansim_interleave2_ms_fn *const fn = checkasm_kernels()->interleave2_ms;
    if (!check_func(fn, "interleave2_ms"))
        return;
    cansim_interleave2_ms_fn *const ref = checkasm_ref()->interleave2_ms;

    bool ok = true;
    for (size_t sz = 0; ok && sz <= SWEEP + 1; sz++) {
        const size_t n = size_at(sz);
        for (int round = 0; ok && round < N_ROUNDS; round++) {
            const size_t off_m = pick_offset(round);
            const size_t off_s = pick_offset(round);
            const size_t off_dst = pick_offset(round);
            const float gain = round ? checkasm_rand_gain() : checkasm_randn();
            checkasm_set_context("pattern=%s gain=%.9g offsets m=%zu s=%zu dst=%zu",
                                 round_name(round), (double)gain, off_m, off_s, off_dst);
            float *m = checkasm_input(n, off_m);
            float *s = checkasm_input(n, off_s);
            fill_round(m, n, round, true);
            fill_round(s, n, round, false);
            CheckasmOutput o_ref;
            CheckasmOutput o_new;
            checkasm_output(&o_ref, 2 * n, off_dst);
            checkasm_output(&o_new, 2 * n, off_dst);

            ref(o_ref.p, m, s, gain, n);
            fn(o_new.p, m, s, gain, n);

            ok = checkasm_check_exact("dst", n, o_ref.p, o_new.p, 2 * n);
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;
            checkasm_free_output(&o_ref);
            checkasm_free_output(&o_new);
            checkasm_free_input(m, off_m);
            checkasm_free_input(s, off_s);
        }
    }

    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {256, 1024, 4096};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            bench_interleave_ms(fn, sizes[i]);
    }
    checkasm_report();
}

void checkasm_check_midside(void)
{
    check_sumdiff();
    check_interleave2_ms();
}
