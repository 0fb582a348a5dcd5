/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the finishing kernel (gain and TPDF dither): bit-exact against C,
 * the generator's state too, for every length and offset, with and without dither, in place and
 * out; shaped as gain.c. */
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP  100
#define LONG_N     16411
#define MAX_OFFSET 16
#define N_SIZES    (MAX_SWEEP + 2)

static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

typedef struct DitherBench {
    cansim_gain_dither_fn *fn;
    float *dst;
    const float *src;
    size_t n;
    uint64_t state;
} DitherBench;

static void dither_loop(void *ctx, unsigned iters)
{
    DitherBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->src, b->n, 0.5, &b->state);
}

static void bench_dither(cansim_gain_dither_fn *fn, size_t n)
{
    float *buf = checkasm_input(2 * n, 0);
    checkasm_fill(buf, 2 * n, CHECKASM_NORMAL);
    DitherBench b = {fn, buf, buf + n, n, 1};
    DitherBench ref = b;
    ref.fn = checkasm_ref()->gain_dither;
    const CheckasmBenchUnits units = {"sample", 0, 2 * sizeof(float)};
    checkasm_bench(n, dither_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

/* One call of fn and ref from the same state (NULL: no dither) on the same input, out of place
 * (is_in_place false) or in place; compares the outputs, the guards and the states. */
static bool check_call(cansim_gain_dither_fn *fn, cansim_gain_dither_fn *ref, const float *src,
                       size_t n, size_t off, double gain, const uint64_t *seed, bool is_in_place)
{
    CheckasmOutput o_ref, o_new;
    checkasm_output(&o_ref, n, off);
    checkasm_output(&o_new, n, off);
    uint64_t s_ref = seed ? *seed : 0, s_new = s_ref;
    if (is_in_place) {
        memcpy(o_ref.p, src, n * sizeof(float));
        memcpy(o_new.p, src, n * sizeof(float));
    }
    ref(o_ref.p, is_in_place ? o_ref.p : src, n, gain, seed ? &s_ref : NULL);
    fn(o_new.p, is_in_place ? o_new.p : src, n, gain, seed ? &s_new : NULL);
    bool ok = checkasm_check_exact("dst", n, o_ref.p, o_new.p, n);
    ok = checkasm_check_guards(&o_new, "dst", n) && ok;
    if (s_ref != s_new) {
        checkasm_fail("state %llu after the call, reference %llu", (unsigned long long)s_new,
                      (unsigned long long)s_ref);
        ok = false;
    }
    checkasm_free_output(&o_ref);
    checkasm_free_output(&o_new);
    return ok;
}

static void check_dither(void)
{
    cansim_gain_dither_fn *const fn = checkasm_kernels()->gain_dither;
    if (!check_func(fn, "gain_dither"))
        return;
    cansim_gain_dither_fn *const ref = checkasm_ref()->gain_dither;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int p = 0; ok && p < CHECKASM_N_PATTERNS; p++) {
            const size_t off_src = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            const size_t off_dst = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            /* gains as the finish uses them (about 1, a few dB either way) and the harness's
             * families (0, 2^+-60, subnormal, ...) */
            const double gain = p % 2 ? (double)checkasm_rand_gain() : 0.5 + checkasm_randu();
            const uint64_t seed = checkasm_rand();
            float *src = checkasm_input(n, off_src);
            checkasm_fill(src, n, p);
            for (int mode = 0; ok && mode < 4; mode++) {
                const bool is_dithered = mode & 1, is_in_place = mode & 2;
                checkasm_set_context("pattern=%s n=%zu gain=%.17g seed=%llu %s %s offsets src=%zu "
                                     "dst=%zu",
                                     checkasm_pattern_name(p), n, gain, (unsigned long long)seed,
                                     is_dithered ? "dithered" : "no dither",
                                     is_in_place ? "in place" : "out of place", off_src, off_dst);
                ok = check_call(fn, ref, src, n, off_dst, gain, is_dithered ? &seed : NULL,
                                is_in_place);
            }
            checkasm_free_input(src, off_src);
        }
    }

    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {1024, 16384};
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            bench_dither(fn, sizes[s]);
    }
    checkasm_report();
}

void checkasm_check_dither(void)
{
    check_dither();
}
