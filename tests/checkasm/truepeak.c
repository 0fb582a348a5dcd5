/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the truepeak family (truepeak2, peak); shaped as cmac.c. The C version
 * is also checked against libebur128, whose true-peak meter it replaces. */
#include <ebur128.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "checkasm.h"

#define MAX_SWEEP    200   /* past two AVX-512 steps (24, 48 frames) and one of 96 (factor 1) */
#define LONG_N       16411 /* leaves a tail at every vector width */
#define MAX_OFFSET   16    /* floats; covers every misalignment of a 64-byte vector */
#define GUARD_FRAMES 8     /* before the history, and after the end in odd rounds */
#define GUARD_VALUE  0x1p100f

/* Rounds: every checkasm pattern, then adversarial ones, all with libebur128's filter; last,
 * random filters, which catch a dropped tap (libebur128's last tap of each phase is 0). */
enum {
    ROUND_HOT = CHECKASM_N_PATTERNS, /* full scale, signs matching a phase: the largest overshoot */
    ROUND_CANCEL,                    /* +-(1 + tiny): the outputs cancel to far below the terms */
    ROUND_SPECIALS,                  /* normal with sparse infinities and NaNs */
    ROUND_RANDOM_H,                  /* normal x, normal h */
    ROUND_RANDOM_H_MIXED,            /* a random pattern for x, normal h */
    N_ROUNDS
};

static const int factors[] = {4, 2, 1};
#define N_FACTORS (sizeof factors / sizeof factors[0])

/* Higham's gamma_k = k u / (1 - k u): a value that went through k roundings, each with relative
 * error at most u, is within gamma_k of exact, relative to the sum of its terms' magnitudes. */
static double gamma_k(int k)
{
    const double u = (double)FLT_EPSILON / 2;
    return k * u / (1 - k * u);
}

static const char *round_name(int round)
{
    static const char *const names[] = {"hot", "cancel", "specials", "random h",
                                        "random h, random pattern"};
    return round < CHECKASM_N_PATTERNS ? checkasm_pattern_name(round)
                                       : names[round - CHECKASM_N_PATTERNS];
}

/* x[2 (n - k) + c] = sign(h[p k]) for one (phase, frame) in every 32 frames, so that output
 * reaches sum_k |h[p k]|, and +-1 elsewhere. */
static void fill_hot(float *x, size_t n_frames, const float *h, int factor)
{
    const int taps = CANSIM_TP_TAPS(factor);
    checkasm_fill(x, 2 * n_frames, CHECKASM_FULL_SCALE);
    for (size_t end = (size_t)taps; end <= n_frames; end += 32) {
        const float *hp = h + checkasm_rand_below((size_t)factor) * (size_t)taps;
        const size_t c = checkasm_rand_below(2);
        for (int k = 0; k < taps; k++)
            x[2 * (end - 1 - (size_t)k) + c] = hp[k] < 0 ? -1.0f : 1.0f;
    }
}

static void fill_cancel(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float m = 1.0f + (float)checkasm_rand_below(8) * FLT_EPSILON;
        x[i] = (checkasm_rand() & 1) ? -m : m;
    }
}

static void fill_specials(float *x, size_t n)
{
    checkasm_fill(x, n, CHECKASM_NORMAL);
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = checkasm_rand_below(64);
        if (r == 0)
            x[i] = (checkasm_rand() & 1) ? -INFINITY : INFINITY;
        else if (r == 1)
            x[i] = NAN;
    }
}

/* The x of a round: history and frames, 2 * n_frames floats from the first history frame. */
static void fill_x(float *x, size_t n_frames, int round, const float *h, int factor)
{
    switch (round) {
    case ROUND_HOT:
        fill_hot(x, n_frames, h, factor);
        break;
    case ROUND_CANCEL:
        fill_cancel(x, 2 * n_frames);
        break;
    case ROUND_SPECIALS:
        fill_specials(x, 2 * n_frames);
        break;
    case ROUND_RANDOM_H:
        checkasm_fill(x, 2 * n_frames, CHECKASM_NORMAL);
        break;
    case ROUND_RANDOM_H_MIXED:
        checkasm_fill(x, 2 * n_frames, (int)checkasm_rand_below(CHECKASM_N_PATTERNS));
        break;
    default:
        checkasm_fill(x, 2 * n_frames, round);
        break;
    }
}

static void fill_h(float *h, int factor, int round)
{
    if (round >= ROUND_RANDOM_H)
        checkasm_fill(h, (size_t)(factor * CANSIM_TP_TAPS(factor)), CHECKASM_NORMAL);
    else
        cansim_truepeak_coefs(h, factor);
}

/* The largest sum_k |h x| over the outputs, in double; outputs that are not finite (an infinity
 * or NaN among their terms) are left out: both versions meet the same ones. */
static double max_term_sum(const float *x, size_t n_frames, const float *h, int factor)
{
    const int taps = CANSIM_TP_TAPS(factor);
    double max_s = 0;
    for (size_t n = 0; n < n_frames; n++) {
        for (int p = 0; p < factor; p++) {
            for (size_t c = 0; c < 2; c++) {
                double s = 0;
                for (int k = 0; k < taps; k++)
                    s += fabs((double)h[p * taps + k] *
                              (double)x[2 * ((ptrdiff_t)n - k) + (ptrdiff_t)c]);
                max_s = isfinite(s) && s > max_s ? s : max_s;
            }
        }
    }
    return max_s;
}

/* Each output: the reference's sum of T products rounds each term at most T times (the product,
 * then T - 1 sums); the FMA chain at most T times. |max|a| - max|b|| <= max |a - b|, so the
 * peaks are within 2 gamma_T * max S. Under FTZ, one FLT_MIN per rounding of either (2T - 1
 * and T) that flushed. */
static double peak_bound(double max_s, int factor)
{
    const int taps = CANSIM_TP_TAPS(factor);
    return 2 * gamma_k(taps) * max_s + 3 * taps * (double)FLT_MIN;
}

/* A signal of n_frames after the factor's history (exactly what it may read), with guard values
 * before the history and, when tail_guard, after the end: read, they would dominate the peak.
 * Without tail_guard the signal ends at its allocation's end, so an over-read faults under ASan. */
typedef struct Signal {
    float *buf;
    size_t offset;
    float *x;
} Signal;

static void signal_alloc(Signal *s, size_t n_frames, int factor, size_t offset, bool tail_guard)
{
    const size_t hist = (size_t)CANSIM_TP_TAPS(factor) - 1;
    const size_t tail = tail_guard ? GUARD_FRAMES : 0;
    const size_t len = 2 * (GUARD_FRAMES + hist + n_frames + tail);
    s->buf = checkasm_input(len, offset);
    s->offset = offset;
    s->x = s->buf + 2 * (GUARD_FRAMES + hist);
    for (size_t i = 0; i < 2 * GUARD_FRAMES; i++) {
        s->buf[i] = (i & 1) ? -GUARD_VALUE : GUARD_VALUE;
        if (tail_guard)
            s->buf[len - 1 - i] = (i & 1) ? -GUARD_VALUE : GUARD_VALUE;
    }
}

static void signal_free(Signal *s)
{
    checkasm_free_input(s->buf, s->offset);
}

static size_t size_at(size_t s)
{
    return s <= MAX_SWEEP ? s : LONG_N;
}

static bool check_one(cansim_truepeak2_fn *fn, cansim_truepeak2_fn *ref, size_t n, int factor,
                      int round)
{
    const size_t hist = (size_t)CANSIM_TP_TAPS(factor) - 1;
    const size_t offset = round ? checkasm_rand_below(MAX_OFFSET) : 0;
    float h[CANSIM_TP_MAX_COEFS];
    Signal s;
    signal_alloc(&s, n, factor, offset, round & 1);
    fill_h(h, factor, round);
    fill_x(s.x - 2 * hist, hist + n, round, h, factor);
    checkasm_set_context("factor=%d pattern=%s offset=%zu%s", factor, round_name(round), offset,
                         round & 1 ? " guard after" : "");

    const float want = ref(s.x, n, h, factor);
    const float got = fn(s.x, n, h, factor);
    const bool ok = checkasm_check_bound("peak", n, 0, want, got,
                                         peak_bound(max_term_sum(s.x, n, h, factor), factor));
    signal_free(&s);
    return ok;
}

/* libebur128 at a rate per factor, fed in chunks of random sizes: its true peak is the larger
 * of the interpolated peak over every frame (from zeros) and the sample peak (its phase 0 lags
 * by T / 2 frames, so the last ones count only there). Each output differs from its own by the
 * coefficients' roundings to float (u S), the reference's sum (gamma_T S) and its own rounding
 * of the double sum to float (u |y|, plus ~T 2^-53 S for the sum): within gamma_{T+3} max S. */
static void check_libebur128(cansim_truepeak2_fn *fn)
{
    static const unsigned long rates[] = {48000, 96000, 192000};
    const size_t n = 4801; /* not a multiple of libebur128's 100 ms blocks */
    for (size_t r = 0; r < sizeof rates / sizeof rates[0]; r++) {
        const int factor = factors[r];
        const size_t hist = (size_t)CANSIM_TP_TAPS(factor) - 1;
        float h[CANSIM_TP_MAX_COEFS];
        cansim_truepeak_coefs(h, factor);
        for (int round = 0; round < 3; round++) {
            float *buf = checkasm_input(2 * (hist + n), 0);
            float *x = buf + 2 * hist;
            memset(buf, 0, 2 * hist * sizeof *buf);
            if (round == 0)
                checkasm_fill(x, 2 * n, CHECKASM_IMPULSE);
            else if (round == 1)
                fill_hot(x, n, h, factor);
            else
                checkasm_fill(x, 2 * n, CHECKASM_NORMAL);
            checkasm_set_context("libebur128 at %lu Hz, %s", rates[r],
                                 round == 0   ? "impulses"
                                 : round == 1 ? "hot"
                                              : "normal");

            ebur128_state *st = ebur128_init(2, rates[r], EBUR128_MODE_TRUE_PEAK);
            if (!st) {
                checkasm_fail("ebur128_init failed");
                checkasm_free_input(buf, 0);
                return;
            }
            for (size_t done = 0; done < n;) {
                size_t len = 1 + checkasm_rand_below(1500);
                len = len < n - done ? len : n - done;
                ebur128_add_frames_float(st, x + 2 * done, len);
                done += len;
            }
            double lib = 0;
            for (unsigned c = 0; c < 2; c++) {
                double v = 0;
                ebur128_true_peak(st, c, &v);
                lib = v > lib ? v : lib;
            }
            ebur128_destroy(&st);

            float ours = fn(x, n, h, factor);
            for (size_t i = 0; i < 2 * n; i++)
                ours = fabsf(x[i]) > ours ? fabsf(x[i]) : ours;
            const double bound =
                gamma_k(CANSIM_TP_TAPS(factor) + 3) * max_term_sum(x, n, h, factor);
            checkasm_check_bound("peak vs libebur128", n, 0, (float)lib, ours, bound);
            checkasm_free_input(buf, 0);
        }
    }
}

typedef struct TruepeakBench {
    cansim_truepeak2_fn *fn;
    const float *x;
    const float *h;
    size_t n;
    int factor;
    volatile float sink; /* keeps the calls */
} TruepeakBench;

static void truepeak_loop(void *ctx, unsigned iters)
{
    TruepeakBench *b = ctx;
    float m = 0;
    for (unsigned i = 0; i < iters; i++) {
        const float p = b->fn(b->x, b->n, b->h, b->factor);
        m = p > m ? p : m;
    }
    b->sink = m;
}

/* Factor 4, the rates below 96 kHz. */
static void bench_truepeak(cansim_truepeak2_fn *fn, size_t n)
{
    const int factor = 4;
    const size_t hist = (size_t)CANSIM_TP_TAPS(factor) - 1;
    float h[CANSIM_TP_MAX_COEFS];
    cansim_truepeak_coefs(h, factor);
    float *buf = checkasm_input(2 * (hist + n), 0);
    checkasm_fill(buf, 2 * (hist + n), CHECKASM_NORMAL);
    TruepeakBench b = {.fn = fn, .x = buf + 2 * hist, .h = h, .n = n, .factor = factor};
    TruepeakBench ref = b;
    ref.fn = checkasm_ref()->truepeak2;
    /* Per frame 4 phases of 13 multiply-adds on 2 channels (the zero taps too); 2 floats read. */
    const CheckasmBenchUnits units = {"frame", 2.0 * 2 * factor * CANSIM_TP_TAPS(factor),
                                      2 * sizeof(float)};
    checkasm_bench(n, truepeak_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

static void check_truepeak2(void)
{
    cansim_truepeak2_fn *const fn = checkasm_kernels()->truepeak2;
    if (!check_func(fn, "truepeak2"))
        return;
    cansim_truepeak2_fn *const ref = checkasm_ref()->truepeak2;

    bool ok = true;
    for (size_t f = 0; ok && f < N_FACTORS; f++)
        for (size_t sz = 0; ok && sz <= MAX_SWEEP + 1; sz++)
            for (int round = 0; ok && round < N_ROUNDS; round++)
                ok = check_one(fn, ref, size_at(sz), factors[f], round);
    if (ok && fn == ref)
        check_libebur128(fn);

    if (checkasm_bench_enabled()) {
        static const size_t full[] = {64, 256, 1024, 4096, 16384};
        static const size_t quick[] = {1024, 4096};
        const bool q = checkasm_quick();
        const size_t count = q ? sizeof quick / sizeof quick[0] : sizeof full / sizeof full[0];
        for (size_t s = 0; s < count; s++)
            bench_truepeak(fn, q ? quick[s] : full[s]);
    }
    checkasm_report();
}

typedef struct PeakBench {
    cansim_peak_fn *fn;
    const float *x;
    size_t n;
    uint32_t sink;
} PeakBench;

static void peak_loop(void *ctx, unsigned iters)
{
    PeakBench *b = ctx;
    for (unsigned i = 0; i < iters; i++)
        b->sink = b->fn(b->x, b->n, b->sink >> 1);
}

static void bench_peak(cansim_peak_fn *fn, size_t n)
{
    float *buf = checkasm_input(n, 0);
    checkasm_fill(buf, n, CHECKASM_NORMAL);
    PeakBench b = {fn, buf, n, 0};
    PeakBench ref = b;
    ref.fn = checkasm_ref()->peak;
    const CheckasmBenchUnits units = {"sample", 0, sizeof(float)};
    checkasm_bench(n, peak_loop, &b, &ref, &units);
    checkasm_free_input(buf, 0);
}

/* The sample peak: exact against C for every length past a few unrolled steps, every pattern,
 * offsets, and infinities and NaNs (either sign) sprinkled in; the peak passed in wins
 * sometimes. */
static void check_peak(void)
{
    cansim_peak_fn *const fn = checkasm_kernels()->peak;
    if (!check_func(fn, "peak"))
        return;
    cansim_peak_fn *const ref = checkasm_ref()->peak;
    static const uint32_t specials[] = {0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u,
                                        0x7F800001u};
    bool ok = true;
    for (size_t sz = 0; ok && sz <= MAX_SWEEP + 1; sz++) {
        const size_t n = size_at(sz);
        for (int round = 0; ok && round <= CHECKASM_N_PATTERNS; round++) {
            const size_t off = round ? checkasm_rand_below(MAX_OFFSET) : 0;
            float *x = checkasm_input(n, off);
            checkasm_fill(x, n, round < CHECKASM_N_PATTERNS ? round : CHECKASM_NORMAL);
            if (round == CHECKASM_N_PATTERNS && n)
                for (size_t k = 0; k < 1 + n / 32; k++) {
                    const uint32_t u = specials[checkasm_rand_below(5)];
                    memcpy(x + checkasm_rand_below(n), &u, sizeof u);
                }
            uint32_t start = 0;
            if (n && checkasm_rand_below(3) == 0) {
                memcpy(&start, x + checkasm_rand_below(n), sizeof start);
                start &= 0x7FFFFFFFu;
            }
            checkasm_set_context("n=%zu %s offset=%zu start=0x%08x", n,
                                 round < CHECKASM_N_PATTERNS ? checkasm_pattern_name(round)
                                                             : "infinities and NaNs",
                                 off, (unsigned)start);
            const uint32_t want = ref(x, n, start), got = fn(x, n, start);
            if (want != got) {
                checkasm_fail("peak 0x%08x, reference 0x%08x", (unsigned)got, (unsigned)want);
                ok = false;
            }
            checkasm_free_input(x, off);
        }
    }
    if (checkasm_bench_enabled()) {
        static const size_t sizes[] = {512, 8192};
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
            bench_peak(fn, sizes[s]);
    }
    checkasm_report();
}

void checkasm_check_truepeak(void)
{
    check_truepeak2();
    check_peak();
}
