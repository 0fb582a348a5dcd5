/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the integer packing (pack_pcm16, pack_pcm24): bit-exact against C for
 * every length and offset, on every pattern brought into the contract's range (values over full
 * scale included: they wrap alike), values near full scale and exact ties; no byte written
 * around the output; shaped as dither.c. */
#include <math.h>
#include <string.h>

#include "checkasm.h"
#include "pack_pcm.h"

#define MAX_SWEEP  100
#define LONG_N     16411
#define MAX_OFFSET 16 /* floats before src, bytes before dst */
#define N_SIZES    (MAX_SWEEP + 2)

/* The harness's patterns, then two of this family's. */
enum {
    PATTERN_NEAR_FULL = CHECKASM_N_PATTERNS, /* within a few LSB of +-1, and +-1 */
    PATTERN_TIES,                            /* x s exactly k + 1/2 */
    N_PACK_PATTERNS
};

static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

static const char *pattern_name(int p)
{
    return p == PATTERN_NEAR_FULL ? "near-full-scale"
           : p == PATTERN_TIES    ? "ties"
                                  : checkasm_pattern_name(p);
}

static float rand_sign(void)
{
    return (checkasm_rand() & 1) ? -1.0f : 1.0f;
}

/* A float x with x s (rounded to float) exactly t = k + 1/2, searched around t / s; t / s
 * itself when no neighbour gives it. */
static float tie(float t, float scale)
{
    const float x0 = (float)((double)t / (double)scale);
    float up = x0, down = x0;
    for (int k = 0; k < 8; k++, up = nextafterf(up, INFINITY), down = nextafterf(down, -INFINITY)) {
        if (up * scale == t)
            return up;
        if (down * scale == t)
            return down;
    }
    return x0;
}

/* n values of pattern p for the given scale, within the contract (|x s| < 2^31): the harness's
 * values past 2 in magnitude keep their sign and mantissa with the exponent of [1, 2). */
static void fill(float *x, size_t n, int p, float scale)
{
    if (p < CHECKASM_N_PATTERNS) {
        checkasm_fill(x, n, p);
        for (size_t i = 0; i < n; i++) {
            int e;
            if (!(fabsf(x[i]) < 2.0f))
                x[i] = ldexpf(frexpf(x[i], &e), 1);
        }
        return;
    }
    const float lsb = 1.0f / scale;
    for (size_t i = 0; i < n; i++) {
        const size_t r = checkasm_rand_below(4);
        if (p == PATTERN_NEAR_FULL) /* +-1 - k ulp, +-(1 - about 1/2 LSB), +-(1 - a few LSB) */
            x[i] = rand_sign() * (r == 0   ? 1.0f - (float)checkasm_rand_below(16) * 0x1p-24f
                                  : r == 1 ? 1.0f - (0.5f + 0x1p-10f * checkasm_randn()) * lsb
                                           : 1.0f - 4.0f * (float)checkasm_randu() * lsb);
        else /* ties at 0, at full scale, and anywhere */
            x[i] = tie(rand_sign() * (r == 0   ? 0.5f
                                      : r == 1 ? scale - 0.5f
                                               : floorf((float)checkasm_randu() * scale) + 0.5f),
                       scale);
    }
}

typedef struct PackBench {
    cansim_pack_pcm_fn *fn;
    void *dst;
    const float *src;
    size_t n;
} PackBench;

static void pack_loop(void *ctx, unsigned iters)
{
    const PackBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->fn(b->dst, b->src, b->n);
}

static void bench_pack(cansim_pack_pcm_fn *fn, cansim_pack_pcm_fn *ref, size_t n, int n_bytes,
                       float scale)
{
    float *src = checkasm_input(n, 0);
    float *dst = checkasm_input(n, 0); /* 4 bytes a value: room for 2 or 3 */
    fill(src, n, CHECKASM_NORMAL, scale);
    PackBench b = {fn, dst, src, n};
    PackBench r = {ref, dst, src, n};
    const CheckasmBenchUnits units = {"sample", 0, sizeof(float) + (double)n_bytes};
    checkasm_bench(n, pack_loop, &b, &r, &units);
    checkasm_free_input(dst, 0);
    checkasm_free_input(src, 0);
}

/* fn and ref on the same input into two outputs off bytes into equal canary-filled areas: the
 * areas must come out equal (the n values, and the bytes around them untouched), the guards
 * intact. */
static bool check_call(cansim_pack_pcm_fn *fn, cansim_pack_pcm_fn *ref, const float *src, size_t n,
                       size_t off, int n_bytes)
{
    const size_t area = off + n * (size_t)n_bytes;
    const size_t n_floats = (area + sizeof(float) - 1) / sizeof(float);
    CheckasmOutput o_ref, o_new;
    checkasm_output(&o_ref, n_floats, 0);
    checkasm_output(&o_new, n_floats, 0);
    const unsigned char *a = (const unsigned char *)o_ref.p, *b = (const unsigned char *)o_new.p;
    ref((unsigned char *)o_ref.p + off, src, n);
    fn((unsigned char *)o_new.p + off, src, n);
    bool ok = true;
    for (size_t j = 0; ok && j < n_floats * sizeof(float); j++) {
        if (a[j] == b[j])
            continue;
        ok = false;
        if (j < off || j >= area) {
            checkasm_fail("dst: n=%zu: wrote byte %zu outside its %zu bytes", n, j - off,
                          area - off);
            break;
        }
        const size_t i = (j - off) / (size_t)n_bytes, at = off + i * (size_t)n_bytes;
        unsigned long want = 0, got = 0;
        for (int k = n_bytes - 1; k >= 0; k--) {
            want = want << 8 | a[at + (size_t)k];
            got = got << 8 | b[at + (size_t)k];
        }
        checkasm_fail("dst[%zu]: n=%zu: src %.9g gave 0x%0*lx, reference 0x%0*lx", i, n,
                      (double)src[i], 2 * n_bytes, got, 2 * n_bytes, want);
    }
    ok = checkasm_check_guards(&o_new, "dst", n) && ok;
    checkasm_free_output(&o_ref);
    checkasm_free_output(&o_new);
    return ok;
}

static void check_pack(cansim_pack_pcm_fn *fn, cansim_pack_pcm_fn *ref, const char *name,
                       int n_bytes, float scale)
{
    if (!check_func(fn, name))
        return;
    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int p = 0; ok && p < N_PACK_PATTERNS; p++) {
            const size_t off_src = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            const size_t off_dst = p ? checkasm_rand_below(MAX_OFFSET) : 0;
            checkasm_set_context("pattern=%s n=%zu offsets src=%zu dst=%zu", pattern_name(p), n,
                                 off_src, off_dst);
            float *src = checkasm_input(n, off_src);
            fill(src, n, p, scale);
            ok = check_call(fn, ref, src, n, off_dst, n_bytes);
            checkasm_free_input(src, off_src);
        }
    }
    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {1024, 32768};
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            bench_pack(fn, ref, sizes[s], n_bytes, scale);
    }
    checkasm_report();
}

void checkasm_check_pack_pcm(void)
{
    const CansimKernels *k = checkasm_kernels(), *c = checkasm_ref();
    check_pack(k->pack_pcm16, c->pack_pcm16, "pack_pcm16", 2, CANSIM_PCM16_SCALE);
    check_pack(k->pack_pcm24, c->pack_pcm24, "pack_pcm24", 3, CANSIM_PCM24_SCALE);
}
