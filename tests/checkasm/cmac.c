/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the cmac family (cmac, cmac2x2); the model for every family file.
 *
 * How a family file is shaped (copy this one for a new kernel):
 *
 * - checkasm_check_<family>() runs once per CPU level, the levels climbing from C. For each kernel
 *   it asks check_func(k->slot, "kernel"): true only when this level installed a version no lower
 *   level did (and --function selects it). The version is then named kernel_<isa>. ISA functions
 *   are never named: the table from cansim_kernels_init() is what gets tested, so dispatch is too.
 * - The expected values always come from checkasm_ref()->slot, the C version. Never compare with
 *   the level below: float tolerances don't chain.
 * - Sizes: every n the contract allows up to a few vectors past the widest ISA, plus one long run.
 *   Kernels that take unaligned pointers also get random offsets.
 * - Inputs: every checkasm_fill() pattern (normal, zeros, +-1, impulses, subnormals, huge and tiny
 *   mixed, alternating signs) for all arrays at once, then rounds with a random pattern per array.
 *   checkasm_input() ends each input at its allocation's end, so an over-read faults under ASan.
 * - Outputs come from checkasm_output(): canaries around them must survive the call, and the
 *   output starts as canaries so an element left unwritten is a mismatch.
 * - Comparison: bit-exact for exact kernels; otherwise a bound from the error analysis written
 *   beside it, in units of the unit roundoff u = FLT_EPSILON / 2 and the terms' magnitudes.
 *   A failure names the function, n, index, both values, their ulp distance and the seed.
 * - Bench: a loop that calls the kernel `iters` times, and units so the counters mean something.
 *   checkasm_bench() does the timing, the ratio against C and the JSON.
 * - checkasm_report() closes the function with its verdict.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP    256 /* eight AVX-512 vectors, four unrolled AVX-512 steps */
#define MIXED_ROUNDS 8

/* Higham's gamma_k = k u / (1 - k u): a value that went through k roundings, each with relative
 * error at most u, is within gamma_k of exact, relative to the sum of its terms' magnitudes. */
static double gamma_k(int k)
{
    const double u = (double)FLT_EPSILON / 2;
    return k * u / (1 - k * u);
}

/* Under FTZ a rounding whose result is below FLT_MIN becomes zero, an absolute error below
 * FLT_MIN that the relative model misses; one such slack per rounding of either version. */
static double ftz_slack(int roundings)
{
    return roundings * (double)FLT_MIN;
}

/* cmac, one part: C computes acc + (p1 - p2) with four roundings (two products, the difference,
 * the sum): each of p1 and p2 passes three of them, acc one, so C is within gamma_3 * S of exact,
 * S = |acc| + |p1| + |p2|. The SIMD chain fma(-p2, fma(p1, acc)) rounds twice: gamma_2 * S.
 * They are within (gamma_3 + gamma_2) * S ~ 2.5 FLT_EPSILON * S of each other. */
static double cmac_bound(float acc, double p1, double p2)
{
    const double s = fabs((double)acc) + fabs(p1) + fabs(p2);
    return (gamma_k(3) + gamma_k(2)) * s + ftz_slack(4 + 2);
}

/* cmac2x2, one output part: C adds two complex MACs in turn, so each first-cell product passes
 * four roundings (product, difference, two sums) and acc two: gamma_4. The SIMD chain of four
 * FMAs rounds four times: gamma_4. Within 2 gamma_4 * S ~ 4 FLT_EPSILON * S, S = |acc| + the four
 * product magnitudes. */
static double cmac2x2_bound(float acc, double p0, double p1, double p2, double p3)
{
    const double s = fabs((double)acc) + fabs(p0) + fabs(p1) + fabs(p2) + fabs(p3);
    return 2 * gamma_k(4) * s + ftz_slack(8 + 4);
}

static int round_pattern(int round)
{
    return round < CHECKASM_N_PATTERNS ? round : (int)checkasm_rand_below(CHECKASM_N_PATTERNS);
}

static void set_context(int round, const char *what)
{
    if (round < CHECKASM_N_PATTERNS)
        checkasm_set_context("pattern=%s", checkasm_pattern_name(round));
    else
        checkasm_set_context("round %d, random pattern per %s", round, what);
}

static size_t next_n(size_t n)
{
    if (n < MAX_SWEEP)
        return n + CANSIM_PAD;
    return n == MAX_SWEEP ? CHECKASM_NB_4096 : 0;
}

typedef struct CmacBench {
    cansim_cmac_fn *fn;
    float *acc_re[4]; /* rotated, so consecutive calls don't wait on each other's stores */
    float *acc_im[4];
    const float *x_re;
    const float *x_im;
    const float *h_re;
    const float *h_im;
    size_t n;
} CmacBench;

static void cmac_loop(void *ctx, unsigned iters)
{
    const CmacBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->acc_re[i & 3], b->acc_im[i & 3], b->x_re, b->x_im, b->h_re, b->h_im, b->n);
}

static void bench_cmac(cansim_cmac_fn *fn, size_t n)
{
    float *buf = checkasm_input(12 * n, 0);
    CmacBench b = {.fn = fn, .n = n};
    checkasm_fill(buf, 12 * n, CHECKASM_NORMAL);
    for (int j = 0; j < 4; j++) {
        b.acc_re[j] = buf + 2 * j * n;
        b.acc_im[j] = buf + (2 * j + 1) * n;
    }
    b.x_re = buf + 8 * n;
    b.x_im = buf + 9 * n;
    b.h_re = buf + 10 * n;
    b.h_im = buf + 11 * n;
    CmacBench ref = b;
    ref.fn = checkasm_ref()->cmac;
    /* A complex MAC is 4 multiplies and 4 adds (an FMA counts 2); acc, x, h read, acc written. */
    const CheckasmBenchUnits units = {"bin", 8, 8 * sizeof(float)};
    checkasm_bench(n, cmac_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_cmac(void)
{
    cansim_cmac_fn *const fn = checkasm_kernels()->cmac;
    if (!check_func(fn, "cmac"))
        return;
    cansim_cmac_fn *const ref = checkasm_ref()->cmac;

    for (size_t n = CANSIM_PAD; n; n = next_n(n)) {
        float *x_re = checkasm_input(n, 0);
        float *x_im = checkasm_input(n, 0);
        float *h_re = checkasm_input(n, 0);
        float *h_im = checkasm_input(n, 0);
        float *acc_re = checkasm_input(n, 0);
        float *acc_im = checkasm_input(n, 0);
        CheckasmOutput out[4]; /* ref re, ref im, new re, new im */
        for (int j = 0; j < 4; j++)
            checkasm_output(&out[j], n, 0);

        bool ok = true;
        for (int round = 0; ok && round < CHECKASM_N_PATTERNS + MIXED_ROUNDS; round++) {
            checkasm_fill(x_re, n, round_pattern(round));
            checkasm_fill(x_im, n, round_pattern(round));
            checkasm_fill(h_re, n, round_pattern(round));
            checkasm_fill(h_im, n, round_pattern(round));
            checkasm_fill(acc_re, n, round_pattern(round));
            checkasm_fill(acc_im, n, round_pattern(round));
            set_context(round, "array");
            for (int j = 0; j < 4; j++)
                memcpy(out[j].p, j % 2 ? acc_im : acc_re, n * sizeof(float));

            ref(out[0].p, out[1].p, x_re, x_im, h_re, h_im, n);
            fn(out[2].p, out[3].p, x_re, x_im, h_re, h_im, n);

            for (size_t i = 0; ok && i < n; i++) {
                const double xr = (double)x_re[i];
                const double xi = (double)x_im[i];
                const double hr = (double)h_re[i];
                const double hi = (double)h_im[i];
                ok = checkasm_check_bound("acc_re", n, i, out[0].p[i], out[2].p[i],
                                          cmac_bound(acc_re[i], xr * hr, xi * hi)) &&
                     checkasm_check_bound("acc_im", n, i, out[1].p[i], out[3].p[i],
                                          cmac_bound(acc_im[i], xr * hi, xi * hr));
            }
            for (int j = 2; j < 4; j++)
                ok = checkasm_check_guards(&out[j], j == 2 ? "acc_re" : "acc_im", n) && ok;
        }

        for (int j = 0; j < 4; j++)
            checkasm_free_output(&out[j]);
        checkasm_free_input(x_re, 0);
        checkasm_free_input(x_im, 0);
        checkasm_free_input(h_re, 0);
        checkasm_free_input(h_im, 0);
        checkasm_free_input(acc_re, 0);
        checkasm_free_input(acc_im, 0);
        if (!ok)
            break;
    }

    if (checkasm_bench_enabled()) {
        /* Beyond the engine's sizes: tiny, L1-resident, and L2-resident. */
        static const size_t full[] = {
            16, 64, CHECKASM_NB_256, CHECKASM_NB_1024, CHECKASM_NB_2048, CHECKASM_NB_4096, 16400,
        };
        static const size_t quick[] = {CHECKASM_NB_256, CHECKASM_NB_1024, CHECKASM_NB_4096};
        const bool q = checkasm_quick();
        for (size_t s = 0; s < (q ? 3 : sizeof full / sizeof full[0]); s++)
            bench_cmac(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

typedef struct Cmac2x2Bench {
    cansim_cmac2x2_fn *fn;
    float *y[4];
    const float *x;
    const float *h;
    size_t n;
} Cmac2x2Bench;

static void cmac2x2_loop(void *ctx, unsigned iters)
{
    const Cmac2x2Bench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->y[i & 3], b->x, b->h, b->n, true);
}

static void bench_cmac2x2(cansim_cmac2x2_fn *fn, size_t n)
{
    float *buf = checkasm_input(28 * n, 0);
    checkasm_fill(buf, 28 * n, CHECKASM_NORMAL);
    Cmac2x2Bench b = {.fn = fn, .x = buf + 16 * n, .h = buf + 20 * n, .n = n};
    for (int j = 0; j < 4; j++)
        b.y[j] = buf + 4 * j * n;
    Cmac2x2Bench ref = b;
    ref.fn = checkasm_ref()->cmac2x2;
    /* Four complex MACs per bin (two cells into each output), 8 flops each; y, x, h read
     * (16 floats), y written (4 floats). */
    const CheckasmBenchUnits units = {"bin", 32, 20 * sizeof(float)};
    checkasm_bench(n, cmac2x2_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_cmac2x2(void)
{
    cansim_cmac2x2_fn *const fn = checkasm_kernels()->cmac2x2;
    if (!check_func(fn, "cmac2x2"))
        return;
    cansim_cmac2x2_fn *const ref = checkasm_ref()->cmac2x2;

    for (size_t n = CANSIM_PAD; n; n = next_n(n)) {
        float *x = checkasm_input(4 * n, 0);
        float *h = checkasm_input(8 * n, 0);
        float *y = checkasm_input(4 * n, 0);
        CheckasmOutput y_ref;
        CheckasmOutput y_new;
        checkasm_output(&y_ref, 4 * n, 0);
        checkasm_output(&y_new, 4 * n, 0);

        bool ok = true;
        /* Even rounds add into y; odd ones set it (add false: y's contents must not matter, and
         * the result is exactly the version's own sum into a zeroed y). */
        for (int round = 0; ok && round < 2 * (CHECKASM_N_PATTERNS + MIXED_ROUNDS); round++) {
            const bool add = !(round & 1);
            for (size_t plane = 0; plane < 4; plane++) {
                checkasm_fill(x + plane * n, n, round_pattern(round >> 1));
                checkasm_fill(y + plane * n, n, round_pattern(round >> 1));
            }
            for (size_t plane = 0; plane < 8; plane++)
                checkasm_fill(h + plane * n, n, round_pattern(round >> 1));
            for (size_t k = 0; !add && k < 4 * n; k++)
                y[k] = NAN; /* never read */
            set_context(round >> 1, add ? "plane" : "plane, add false");
            memcpy(y_ref.p, y, 4 * n * sizeof(float));
            memcpy(y_new.p, y, 4 * n * sizeof(float));

            ref(y_ref.p, x, h, n, add);
            fn(y_new.p, x, h, n, add);
            if (!add) {
                for (size_t k = 0; k < 4 * n; k++)
                    y[k] = 0.0f;
                memcpy(y_ref.p, y, 4 * n * sizeof(float)); /* the version into a zeroed y */
                fn(y_ref.p, x, h, n, true);
                ok = checkasm_check_exact("y (add false against a zeroed y)", 4 * n, y_ref.p,
                                          y_new.p, 4 * n);
                ref(y_ref.p, x, h, n, false);
            }

            static const char *const names[4] = {"y_l re", "y_l im", "y_r re", "y_r im"};
            for (size_t i = 0; ok && i < n; i++) {
                const double a_re = (double)x[i];
                const double a_im = (double)x[n + i];
                const double b_re = (double)x[2 * n + i];
                const double b_im = (double)x[3 * n + i];
                /* Output o takes cells (l -> o) and (r -> o): ll, rl for y_l; lr, rr for y_r. */
                for (size_t o = 0; ok && o < 2; o++) {
                    const float *la = h + (2 * o) * n;     /* l -> o */
                    const float *rb = h + (4 + 2 * o) * n; /* r -> o */
                    const double la_re = (double)la[i];
                    const double la_im = (double)la[n + i];
                    const double rb_re = (double)rb[i];
                    const double rb_im = (double)rb[n + i];
                    const size_t re = 2 * o * n + i;
                    const size_t im = re + n;
                    ok = checkasm_check_bound(names[2 * o], n, i, y_ref.p[re], y_new.p[re],
                                              cmac2x2_bound(y[re], a_re * la_re, a_im * la_im,
                                                            b_re * rb_re, b_im * rb_im)) &&
                         checkasm_check_bound(names[2 * o + 1], n, i, y_ref.p[im], y_new.p[im],
                                              cmac2x2_bound(y[im], a_re * la_im, a_im * la_re,
                                                            b_re * rb_im, b_im * rb_re));
                }
            }
            ok = checkasm_check_guards(&y_new, "y", n) && ok;
        }

        checkasm_free_output(&y_ref);
        checkasm_free_output(&y_new);
        checkasm_free_input(x, 0);
        checkasm_free_input(h, 0);
        checkasm_free_input(y, 0);
        if (!ok)
            break;
    }

    if (checkasm_bench_enabled()) {
        static const size_t full[] = {
            16, CHECKASM_NB_256, CHECKASM_NB_1024, CHECKASM_NB_2048, CHECKASM_NB_4096,
        };
        static const size_t quick[] = {CHECKASM_NB_256, CHECKASM_NB_1024, CHECKASM_NB_4096};
        const bool q = checkasm_quick();
        for (size_t s = 0; s < (q ? 3 : sizeof full / sizeof full[0]); s++)
            bench_cmac2x2(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

void checkasm_check_cmac(void)
{
    check_cmac();
    check_cmac2x2();
}
