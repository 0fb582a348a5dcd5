/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the interleave family (deinterleave2, interleave2); shaped as cmac.c. */
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP  200   /* a few AVX-512 steps of 16 frames past every tail length */
#define LONG_N     16411 /* leaves a tail at every vector width */
#define MAX_OFFSET 16    /* floats; covers every misalignment of a 64-byte vector */

#define N_SIZES (MAX_SWEEP + 2)

/* 0 .. MAX_SWEEP, then LONG_N. */
static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

/* Pattern 0 runs aligned; the others at random offsets, one per pointer. */
static size_t pick_offset(int pattern)
{
    return pattern ? checkasm_rand_below(MAX_OFFSET) : 0;
}

static const size_t bench_full[] = {256, 1024, 4096, 65536};
static const size_t bench_quick[] = {256, 1024, 4096};
#define N_BENCH(q)                                                                                 \
    ((q) ? sizeof bench_quick / sizeof bench_quick[0] : sizeof bench_full / sizeof bench_full[0])

typedef struct DeinterleaveBench {
    cansim_deinterleave2_fn *fn;
    float *l;
    float *r;
    const float *src;
    size_t n;
} DeinterleaveBench;

static void deinterleave_loop(void *ctx, unsigned iters)
{
    const DeinterleaveBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->l, b->r, b->src, b->n);
}

static void bench_deinterleave(cansim_deinterleave2_fn *fn, size_t n)
{
    float *buf = checkasm_input(4 * n, 0);
    checkasm_fill(buf, 4 * n, CHECKASM_NORMAL);
    DeinterleaveBench b = {fn, buf, buf + n, buf + 2 * n, n};
    DeinterleaveBench ref = b;
    ref.fn = checkasm_ref()->deinterleave2;
    const CheckasmBenchUnits units = {"frame", 0, 4 * sizeof(float)};
    checkasm_bench(n, deinterleave_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_deinterleave2(void)
{
    cansim_deinterleave2_fn *const fn = checkasm_kernels()->deinterleave2;
    if (!check_func(fn, "deinterleave2"))
        return;
    cansim_deinterleave2_fn *const ref = checkasm_ref()->deinterleave2;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int p = 0; ok && p < CHECKASM_N_PATTERNS; p++) {
            const size_t off_src = pick_offset(p);
            const size_t off_l = pick_offset(p);
            const size_t off_r = pick_offset(p);
            checkasm_set_context("pattern=%s offsets src=%zu l=%zu r=%zu", checkasm_pattern_name(p),
                                 off_src, off_l, off_r);
            float *src = checkasm_input(2 * n, off_src);
            checkasm_fill(src, 2 * n, p);
            CheckasmOutput o[4]; /* ref l, ref r, new l, new r */
            for (int j = 0; j < 4; j++)
                checkasm_output(&o[j], n, j % 2 ? off_r : off_l);

            ref(o[0].p, o[1].p, src, n);
            fn(o[2].p, o[3].p, src, n);

            ok = checkasm_check_exact("l", n, o[0].p, o[2].p, n) &&
                 checkasm_check_exact("r", n, o[1].p, o[3].p, n);
            ok = checkasm_check_guards(&o[2], "l", n) && ok;
            ok = checkasm_check_guards(&o[3], "r", n) && ok;
            for (int j = 0; j < 4; j++)
                checkasm_free_output(&o[j]);
            checkasm_free_input(src, off_src);
        }
    }

    if (checkasm_bench_enabled()) {
        const bool q = checkasm_quick();
        for (size_t s = 0; s < N_BENCH(q); s++)
            bench_deinterleave(fn, q ? bench_quick[s] : bench_full[s]);
    }
    checkasm_report();
}

typedef struct InterleaveBench {
    cansim_interleave2_fn *fn;
    float *dst;
    const float *l;
    const float *r;
    size_t n;
} InterleaveBench;

static void interleave_loop(void *ctx, unsigned iters)
{
    const InterleaveBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->l, b->r, 0.5f, b->n);
}

static void bench_interleave(cansim_interleave2_fn *fn, size_t n)
{
    float *buf = checkasm_input(4 * n, 0);
    checkasm_fill(buf, 4 * n, CHECKASM_NORMAL);
    InterleaveBench b = {fn, buf, buf + 2 * n, buf + 3 * n, n};
    InterleaveBench ref = b;
    ref.fn = checkasm_ref()->interleave2;
    const CheckasmBenchUnits units = {"frame", 0, 4 * sizeof(float)};
    checkasm_bench(n, interleave_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_interleave2(void)
{
    cansim_interleave2_fn *const fn = checkasm_kernels()->interleave2;
    if (!check_func(fn, "interleave2"))
        return;
    cansim_interleave2_fn *const ref = checkasm_ref()->interleave2;

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int p = 0; ok && p < CHECKASM_N_PATTERNS; p++) {
            const size_t off_l = pick_offset(p);
            const size_t off_r = pick_offset(p);
            const size_t off_dst = pick_offset(p);
            const float gain = p ? checkasm_rand_gain() : checkasm_randn();
            checkasm_set_context("pattern=%s gain=%.9g offsets l=%zu r=%zu dst=%zu",
                                 checkasm_pattern_name(p), (double)gain, off_l, off_r, off_dst);
            float *l = checkasm_input(n, off_l);
            float *r = checkasm_input(n, off_r);
            checkasm_fill(l, n, p);
            checkasm_fill(r, n, p);
            CheckasmOutput o_ref;
            CheckasmOutput o_new;
            checkasm_output(&o_ref, 2 * n, off_dst);
            checkasm_output(&o_new, 2 * n, off_dst);

            ref(o_ref.p, l, r, gain, n);
            fn(o_new.p, l, r, gain, n);

            ok = checkasm_check_exact("dst", n, o_ref.p, o_new.p, 2 * n);
            ok = checkasm_check_guards(&o_new, "dst", n) && ok;
            checkasm_free_output(&o_ref);
            checkasm_free_output(&o_new);
            checkasm_free_input(l, off_l);
            checkasm_free_input(r, off_r);
        }
    }

    if (checkasm_bench_enabled()) {
        const bool q = checkasm_quick();
        for (size_t s = 0; s < N_BENCH(q); s++)
            bench_interleave(fn, q ? bench_quick[s] : bench_full[s]);
    }
    checkasm_report();
}

void checkasm_check_interleave(void)
{
    check_deinterleave2();
    check_interleave2();
}
