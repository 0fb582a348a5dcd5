/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the lane sums kernel (family wdot): bit-exact against C for every
 * length, plane, set and frame count, stride, offset and pattern, with and without weights;
 * shaped as gain.c. */
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP  100  /* every tail length past a few whole groups */
#define LONG_N     4111 /* a band of the translation's tiles, with a tail */
#define MAX_OFFSET 16
#define N_SIZES    (MAX_SWEEP + 2)

static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

typedef struct WlanesBench {
    cansim_wlanes_fn *fn;
    const float *w;
    const float *p[CANSIM_WLANES_MAX_FRAMES];
    size_t n;
    float acc[2 * CANSIM_WLANES_MAX_FRAMES][CANSIM_WDOT_LANES];
} WlanesBench;

static void wlanes_loop(void *ctx, unsigned iters)
{
    WlanesBench *b = ctx;
    float *acc[2 * CANSIM_WLANES_MAX_FRAMES];
    for (size_t k = 0; k < 2 * CANSIM_WLANES_MAX_FRAMES; k++)
        acc[k] = b->acc[k];
    for (unsigned i = 0; i < iters; i++)
        b->fn(acc, b->w, b->p, b->n, 4, 2, CANSIM_WLANES_MAX_FRAMES, b->n);
}

/* n bins of a 2x2 profile's total and mid weights (eight planes) against four frames' four
 * spectra: the translation's band sums. */
static void bench_wlanes(cansim_wlanes_fn *fn, size_t n)
{
    const size_t len = 8 * n + CANSIM_WLANES_MAX_FRAMES * 4 * n;
    float *buf = checkasm_input(len, 0);
    checkasm_fill(buf, len, CHECKASM_NORMAL);
    WlanesBench b = {.fn = fn, .w = buf, .n = n};
    for (size_t f = 0; f < CANSIM_WLANES_MAX_FRAMES; f++)
        b.p[f] = buf + 8 * n + f * 4 * n;
    WlanesBench ref = b;
    ref.fn = checkasm_ref()->wlanes;
    const CheckasmBenchUnits units = {"bin", 16 * CANSIM_WLANES_MAX_FRAMES,
                                      (8 + 4 * CANSIM_WLANES_MAX_FRAMES) * sizeof(float)};
    checkasm_bench(n, wlanes_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

/* The lane sums: bit-exact lanes against C for every length, plane and set count (w NULL too),
 * one or two frames, stride and offset; the tail's untouched lanes included. */
static void check_wlanes(void)
{
    cansim_wlanes_fn *const fn = checkasm_kernels()->wlanes;
    if (!check_func(fn, "wlanes"))
        return;
    cansim_wlanes_fn *const ref = checkasm_ref()->wlanes;
    enum { N_ACC = 2 * CANSIM_WLANES_MAX_FRAMES, N_LANES = N_ACC * CANSIM_WDOT_LANES };

    bool ok = true;
    for (size_t s = 0; ok && s < N_SIZES; s++) {
        const size_t n = size_at(s);
        for (int pat = 0; ok && pat < CHECKASM_N_PATTERNS; pat++) {
            const int kind = pat ? (int)checkasm_rand_below(5) : 4; /* 0: w NULL */
            const size_t n_planes = kind == 0 || kind == 1 ? 1 : 4;
            const size_t n_sets = kind == 3 || kind == 4 ? 2 : 1;
            const size_t n_frames = 1 + checkasm_rand_below(CANSIM_WLANES_MAX_FRAMES);
            const size_t stride = n + (pat ? checkasm_rand_below(40) : 0);
            const size_t len_w = (4 * (n_sets - 1) + n_planes - 1) * stride + n;
            const size_t len_p = (n_planes - 1) * stride + n;
            const size_t off = pat ? checkasm_rand_below(MAX_OFFSET) : 0;
            float *w = checkasm_input(len_w, off);
            const float *p[CANSIM_WLANES_MAX_FRAMES];
            float *pm[CANSIM_WLANES_MAX_FRAMES];
            checkasm_fill(w, len_w, pat);
            for (size_t f = 0; f < n_frames; f++) {
                pm[f] = checkasm_input(len_p, off);
                checkasm_fill(pm[f], len_p, (int)checkasm_rand_below(CHECKASM_N_PATTERNS));
                p[f] = pm[f];
            }
            float init[N_LANES], got[N_LANES], want[N_LANES];
            checkasm_fill(init, N_LANES, pat);
            memcpy(got, init, sizeof got);
            memcpy(want, init, sizeof want);
            float *ag[N_ACC], *aw[N_ACC];
            for (size_t k = 0; k < N_ACC; k++) {
                ag[k] = got + k * CANSIM_WDOT_LANES;
                aw[k] = want + k * CANSIM_WDOT_LANES;
            }
            checkasm_set_context("pattern=%s n=%zu planes=%zu sets=%zu frames=%zu stride=%zu "
                                 "offset=%zu %s",
                                 checkasm_pattern_name(pat), n, n_planes, n_sets, n_frames, stride,
                                 off, kind ? "weighted" : "w NULL");
            ref(aw, kind ? w : NULL, p, stride, n_planes, n_sets, n_frames, n);
            fn(ag, kind ? w : NULL, p, stride, n_planes, n_sets, n_frames, n);
            ok = checkasm_check_exact("lanes", n, want, got, N_LANES);
            checkasm_free_input(w, off);
            for (size_t f = 0; f < n_frames; f++)
                checkasm_free_input(pm[f], off);
        }
    }

    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {256, 1024, 4096};
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            bench_wlanes(fn, sizes[s]);
    }
    checkasm_report();
}

void checkasm_check_wdot(void)
{
    check_wlanes();
}
