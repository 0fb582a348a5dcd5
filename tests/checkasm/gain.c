/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the gain kernel, out of place and in place; shaped as cmac.c. */
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP  200   /* a few unrolled AVX-512 steps of 64 values past every tail length */
#define LONG_N     16411 /* leaves a tail at every vector width */
#define MAX_OFFSET 16
#define N_SIZES    (MAX_SWEEP + 2)

static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

typedef struct GainBench {
    cansim_gain_fn *fn;
    float *dst;
    const float *src;
    size_t n;
} GainBench;

/* Out of place: in place, repeated gains would drift the data to zero or infinity. */
static void gain_loop(void *ctx, unsigned iters)
{
    const GainBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->src, 0.5f, b->n);
}

static void bench_gain(cansim_gain_fn *fn, size_t n)
{
    float *buf = checkasm_input(2 * n, 0);
    checkasm_fill(buf, 2 * n, CHECKASM_NORMAL);
    GainBench b = {fn, buf, buf + n, n};
    GainBench ref = b;
    ref.fn = checkasm_ref()->gain;
    const CheckasmBenchUnits units = {"sample", 0, 2 * sizeof(float)};
    checkasm_bench(n, gain_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_gain(void)
{
    cansim_gain_fn *const fn = checkasm_kernels()->gain;
    if (!check_func(fn, "gain"))
        return;
    cansim_gain_fn *const ref = checkasm_ref()->gain;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int p = 0; ok && p < CHECKASM_N_PATTERNS; p++) {
            /* Pattern 0 runs aligned; the others at random offsets. */
            const size_t off_src = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            const size_t off_dst = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            const float gain = p ? checkasm_rand_gain() : checkasm_randn();
            checkasm_set_context("pattern=%s gain=%.9g offsets src=%zu dst=%zu",
                                 checkasm_pattern_name(p), (double)gain, off_src, off_dst);
            float *src = checkasm_input(n, off_src);
            checkasm_fill(src, n, p);
            CheckasmOutput o_ref;
            CheckasmOutput o_new;
            checkasm_output(&o_ref, n, off_dst);
            checkasm_output(&o_new, n, off_dst);

            ref(o_ref.p, src, gain, n);
            fn(o_new.p, src, gain, n);
            ok = checkasm_check_exact("dst", n, o_ref.p, o_new.p, n);
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;

            /* In place (dst == src), the one overlap the contract allows. */
            checkasm_set_context("pattern=%s gain=%.9g in place at offset %zu",
                                 checkasm_pattern_name(p), (double)gain, off_dst);
            memcpy(o_ref.p, src, n * sizeof(float));
            memcpy(o_new.p, src, n * sizeof(float));
            ref(o_ref.p, o_ref.p, gain, n);
            fn(o_new.p, o_new.p, gain, n);
            ok = checkasm_check_exact("dst", n, o_ref.p, o_new.p, n) && ok;
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;

            checkasm_free_output(&o_ref);
            checkasm_free_output(&o_new);
            checkasm_free_input(src, off_src);
        }
    }

    if (checkasm_bench_enabled()) {
        static const size_t full[] = {256, 1024, 4096, 65536};
        static const size_t quick[] = {256, 1024, 4096};
        const bool q = checkasm_quick();
        for (size_t s = 0; s < (q ? 3 : sizeof full / sizeof full[0]); s++)
            bench_gain(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

void checkasm_check_gain(void)
{
    check_gain();
}
