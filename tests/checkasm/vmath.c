/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the vmath family (cexp, vlog); shaped as cmac.c. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP  80    /* five AVX-512 vectors: every tail length at both widths */
#define LONG_N     16411 /* leaves a tail at every vector width */
#define MAX_OFFSET 16    /* floats; covers every misalignment of a 64-byte vector */
#define N_SIZES    (MAX_SWEEP + 2)
#define N_ROUNDS   (CHECKASM_N_PATTERNS + 1) /* the patterns, then the functions' edge values */

/* 0 .. MAX_SWEEP, then LONG_N. */
static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

static size_t pick_offset(int round)
{
    return round ? checkasm_rand_below(MAX_OFFSET) : 0;
}

static const char *round_name(int round)
{
    return round < CHECKASM_N_PATTERNS ? checkasm_pattern_name(round) : "edges";
}

/* Each SLEEF u10 result is within 1 ulp, at most e = FLT_EPSILON relative, of exact. cexp
 * multiplies two of them and rounds once (u = e / 2): within rel = (1 + e)^2 (1 + u) - 1 of
 * exact x. Two versions are then within 2 rel |x| <= 2 rel / (1 - rel) |ref| of each other. */
static double cexp_bound(float ref)
{
    const double e = (double)FLT_EPSILON;
    const double rel = (1 + e) * (1 + e) * (1 + e / 2) - 1;
    /* Below FLT_MIN the relative model fails: a subnormal exp is good to 1 absolute ulp
     * (2^-149), and under FTZ a result that underflows becomes 0; FLT_MIN per version covers
     * both. */
    return 2 * rel / (1 - rel) * fabs((double)ref) + 2 * (double)FLT_MIN;
}

/* One ulp each, so within 2e |x| <= 2e / (1 - e) |ref|. ln is never subnormal. */
static double vlog_bound(float ref)
{
    const double e = (double)FLT_EPSILON;
    return 2 * e / (1 - e) * fabs((double)ref);
}

/* Both NaN is a match: the contract's specials (inf * sin(0), ln of a negative) make NaN in
 * every version. */
static bool check_value(const char *name, size_t n, size_t i, float ref, float got, double bound)
{
    if (isnan(ref) && isnan(got))
        return true;
    return checkasm_check_bound(name, n, i, ref, got, bound);
}

/* ---- cexp ---- */

/* Exponents around expf's overflow (88.72), the normal limit (-87.34) and underflow (-104), and
 * zero; phases at zero, near multiples of pi/2, and large enough for SLEEF's slow argument
 * reductions (beyond 125 and 39000) up to its documented limit 1e28. */
static void fill_cexp_edges(float *re, float *im, size_t n)
{
    static const float re_edges[] = {0.0f,      -0.0f,     88.72283f, 88.7228394f, 88.72284f,
                                     -87.3365f, -87.3366f, -103.97f,  -104.0f,     -104.01f,
                                     1e-30f,    -1e-30f,   0.5f,      -20.0f,      20.0f};
    static const float im_edges[] = {
        0.0f,     -0.0f,     1.5707964f, 3.1415927f, -1.5707964f, 4.712389f, 125.0f, 125.1f,
        39000.5f, -39001.0f, 1e6f,       8388607.5f, 1e15f,       -1e20f,    1e28f,  1e-30f};
    const size_t n_re = sizeof re_edges / sizeof re_edges[0];
    const size_t n_im = sizeof im_edges / sizeof im_edges[0];
    for (size_t i = 0; i < n; i++) {
        re[i] = re_edges[checkasm_rand_below(n_re)];
        im[i] = im_edges[checkasm_rand_below(n_im)];
    }
}

static void fill_cexp(float *re, float *im, size_t n, int round)
{
    if (round == CHECKASM_N_PATTERNS) {
        fill_cexp_edges(re, im, n);
        return;
    }
    checkasm_fill(re, n, round);
    checkasm_fill(im, n, round);
    if (round == CHECKASM_NORMAL) /* the design's range: ln|H| of +-35 dB, phases of a few turns */
        for (size_t i = 0; i < n; i++) {
            re[i] *= 4.0f;
            im[i] *= 8.0f;
        }
}

typedef struct CexpBench {
    cansim_cexp_fn *fn;
    float *re;
    float *im;
    const float *src_re;
    const float *src_im;
    size_t n;
} CexpBench;

/* In place, so each call starts from a fresh copy of the inputs: iterated exponentials would
 * run into infinities and SLEEF's slow paths. The copy is a few percent of a call. */
static void cexp_loop(void *ctx, unsigned iters)
{
    const CexpBench *b = ctx;
    for (unsigned i = 0; i < iters; i++) {
        memcpy(b->re, b->src_re, b->n * sizeof(float));
        memcpy(b->im, b->src_im, b->n * sizeof(float));
        b->fn(b->re, b->im, b->n);
    }
}

static void bench_cexp(cansim_cexp_fn *fn, size_t n)
{
    float *buf = checkasm_input(4 * n, 0);
    fill_cexp(buf + 2 * n, buf + 3 * n, n, CHECKASM_NORMAL);
    CexpBench b = {fn, buf, buf + n, buf + 2 * n, buf + 3 * n, n};
    CexpBench ref = b;
    ref.fn = checkasm_ref()->cexp;
    /* The copy reads and writes 8 bytes per bin, the kernel as many. */
    const CheckasmBenchUnits units = {"bin", 0, 8 * sizeof(float)};
    checkasm_bench(n, cexp_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_cexp(void)
{
    cansim_cexp_fn *const fn = checkasm_kernels()->cexp;
    if (!check_func(fn, "cexp"))
        return;
    cansim_cexp_fn *const ref = checkasm_ref()->cexp;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int round = 0; ok && round < N_ROUNDS; round++) {
            const size_t off_re = pick_offset(round);
            const size_t off_im = pick_offset(round);
            checkasm_set_context("pattern=%s offsets re=%zu im=%zu", round_name(round), off_re,
                                 off_im);
            float *re = checkasm_input(n, 0);
            float *im = checkasm_input(n, 0);
            fill_cexp(re, im, n, round);
            CheckasmOutput o[4]; /* ref re, ref im, new re, new im */
            for (int j = 0; j < 4; j++) {
                checkasm_output(&o[j], n, j % 2 ? off_im : off_re);
                memcpy(o[j].p, j % 2 ? im : re, n * sizeof(float));
            }

            ref(o[0].p, o[1].p, n);
            fn(o[2].p, o[3].p, n);

            for (size_t i = 0; ok && i < n; i++)
                ok = check_value("re", n, i, o[0].p[i], o[2].p[i], cexp_bound(o[0].p[i])) &&
                     check_value("im", n, i, o[1].p[i], o[3].p[i], cexp_bound(o[1].p[i]));
            ok = checkasm_check_guards(&o[2], "re", n) && ok;
            ok = checkasm_check_guards(&o[3], "im", n) && ok;

            for (int j = 0; j < 4; j++)
                checkasm_free_output(&o[j]);
            checkasm_free_input(re, 0);
            checkasm_free_input(im, 0);
        }
    }

    if (checkasm_bench_enabled()) {
        /* 16385 bins: the half spectrum of the 32768-point transform designs use at 48 kHz. */
        static const size_t full[] = {256, 4096, 16385, 32768};
        static const size_t quick[] = {256, 4096};
        const bool q = checkasm_quick();
        for (size_t s = 0; s < (q ? 2 : sizeof full / sizeof full[0]); s++)
            bench_cexp(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

/* ---- vlog ---- */

/* Around 1 (where ln is tiny and cancels), the ends of the normal and subnormal range, the
 * specials, and a few negatives. */
static void fill_vlog_edges(float *src, size_t n)
{
    static const float edges[] = {
        1.0f,   1.0000001f, 0.99999994f, 1.0000002f,  0.9999999f,   2.0f,
        0.5f,   2.7182817f, FLT_MAX,     FLT_MIN,     FLT_TRUE_MIN, 0x1.fffffcp-127f,
        0.0f,   -0.0f,      INFINITY,    -1.0f,       -FLT_MIN,     NAN,
        1e-30f, 1e30f,      1.4142135f,  0.70710677f,
    };
    const size_t m = sizeof edges / sizeof edges[0];
    for (size_t i = 0; i < n; i++)
        src[i] = edges[checkasm_rand_below(m)];
}

/* Mostly |pattern| (the domain), one value in eight left signed so negatives make NaN. */
static void fill_vlog(float *src, size_t n, int round)
{
    if (round == CHECKASM_N_PATTERNS) {
        fill_vlog_edges(src, n);
        return;
    }
    checkasm_fill(src, n, round);
    for (size_t i = 0; i < n; i++)
        if (checkasm_rand() & 7)
            src[i] = fabsf(src[i]);
}

typedef struct VlogBench {
    cansim_vlog_fn *fn;
    float *dst;
    const float *src;
    size_t n;
} VlogBench;

static void vlog_loop(void *ctx, unsigned iters)
{
    const VlogBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->src, b->n);
}

static void bench_vlog(cansim_vlog_fn *fn, size_t n)
{
    float *buf = checkasm_input(2 * n, 0);
    checkasm_fill(buf + n, n, CHECKASM_NORMAL);
    for (size_t i = 0; i < n; i++)
        buf[n + i] = fabsf(buf[n + i]) + 0x1p-20f;
    VlogBench b = {fn, buf, buf + n, n};
    VlogBench ref = b;
    ref.fn = checkasm_ref()->vlog;
    const CheckasmBenchUnits units = {"value", 0, 2 * sizeof(float)};
    checkasm_bench(n, vlog_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_vlog(void)
{
    cansim_vlog_fn *const fn = checkasm_kernels()->vlog;
    if (!check_func(fn, "vlog"))
        return;
    cansim_vlog_fn *const ref = checkasm_ref()->vlog;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int round = 0; ok && round < N_ROUNDS; round++) {
            const size_t off_src = pick_offset(round);
            const size_t off_dst = pick_offset(round);
            checkasm_set_context("pattern=%s offsets src=%zu dst=%zu", round_name(round), off_src,
                                 off_dst);
            float *src = checkasm_input(n, off_src);
            fill_vlog(src, n, round);
            CheckasmOutput o_ref;
            CheckasmOutput o_new;
            checkasm_output(&o_ref, n, off_dst);
            checkasm_output(&o_new, n, off_dst);

            ref(o_ref.p, src, n);
            fn(o_new.p, src, n);
            for (size_t i = 0; ok && i < n; i++)
                ok = check_value("dst", n, i, o_ref.p[i], o_new.p[i], vlog_bound(o_ref.p[i]));
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;

            /* In place (dst == src), the one overlap the contract allows. */
            checkasm_set_context("pattern=%s in place at offset %zu", round_name(round), off_dst);
            memcpy(o_ref.p, src, n * sizeof(float));
            memcpy(o_new.p, src, n * sizeof(float));
            ref(o_ref.p, o_ref.p, n);
            fn(o_new.p, o_new.p, n);
            for (size_t i = 0; ok && i < n; i++)
                ok = check_value("dst", n, i, o_ref.p[i], o_new.p[i], vlog_bound(o_ref.p[i]));
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;

            checkasm_free_output(&o_ref);
            checkasm_free_output(&o_new);
            checkasm_free_input(src, off_src);
        }
    }

    if (checkasm_bench_enabled()) {
        static const size_t full[] = {256, 4096, 16385, 32768};
        static const size_t quick[] = {256, 4096};
        const bool q = checkasm_quick();
        for (size_t s = 0; s < (q ? 2 : sizeof full / sizeof full[0]); s++)
            bench_vlog(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

void checkasm_check_vmath(void)
{
    check_cexp();
    check_vlog();
}
