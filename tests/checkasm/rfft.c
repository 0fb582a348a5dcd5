/* SPDX-License-Identifier: MIT */
/* Checks and benchmarks of the rfft family (rfft, irfft); shaped as cmac.c. Every version,
 * the C one included, is checked against FFTW's double-precision transforms with the contract's
 * relative RMS bound, and against the C version; cansim-bench times them against FFTW's single
 * precision plans (ESTIMATE, as the engine made them, and MEASURE) in the same run. */
#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "checkasm.h"

#define MIXED_ROUNDS 4

/* Signal patterns beyond the harness's (its ALTERNATING is the Nyquist tone, IMPULSE one or two
 * impulses): a constant (DC only), a cosine at a random bin. For the inverse the same names give
 * spectra: one bin at 0, one random bin. */
enum { PATTERN_DC = CHECKASM_N_PATTERNS, PATTERN_BIN, N_PATTERNS };

static const char *pattern_name(int p)
{
    return p == PATTERN_DC ? "dc" : p == PATTERN_BIN ? "bin" : checkasm_pattern_name(p);
}

static int log2_size(size_t n)
{
    int l = 0;
    while (((size_t)1 << l) < n)
        l++;
    return l;
}

/* The harness runs with denormals-are-zero, so a subnormal input is 0 to every version: the
 * oracle sees it so too. */
static double daz(float v)
{
    return fabsf(v) < FLT_MIN ? 0.0 : (double)v;
}

static void fill_signal(float *x, size_t n, int pattern)
{
    if (pattern == PATTERN_DC) {
        const float c = checkasm_randn();
        for (size_t i = 0; i < n; i++)
            x[i] = c;
    } else if (pattern == PATTERN_BIN) {
        const size_t k = checkasm_rand_below(n / 2 + 1);
        const double phase = 6.283185307179586 * checkasm_randu();
        for (size_t i = 0; i < n; i++)
            x[i] = (float)cos(6.283185307179586 * (double)((k * i) % n) / (double)n + phase);
    } else {
        checkasm_fill(x, n, pattern);
    }
}

/* A half spectrum for the inverse; im[0] and im[m] get noise (to be ignored) and the bins past m
 * NaN (never to be read). */
static void fill_spectrum(float *re, float *im, size_t n, int pattern)
{
    const size_t m = n / 2;
    const size_t nb = CANSIM_RFFT_BINS(n);
    if (pattern == PATTERN_DC || pattern == PATTERN_BIN) {
        memset(re, 0, nb * sizeof *re);
        memset(im, 0, nb * sizeof *im);
        const size_t k = pattern == PATTERN_DC ? 0 : checkasm_rand_below(m + 1);
        re[k] = checkasm_randn();
        im[k] = checkasm_randn();
    } else {
        checkasm_fill(re, m + 1, pattern);
        checkasm_fill(im, m + 1, pattern);
    }
    im[0] = checkasm_randn();
    im[m] = checkasm_randn();
    for (size_t k = m + 1; k < nb; k++)
        re[k] = im[k] = NAN;
}

typedef struct Oracle {
    size_t n;
    double *x;
    fftw_complex *z;
    fftw_plan fwd;
    fftw_plan inv;
} Oracle;

static bool oracle_open(Oracle *o, size_t n)
{
    o->n = n;
    o->x = fftw_malloc(n * sizeof *o->x);
    o->z = fftw_malloc((n / 2 + 1) * sizeof *o->z);
    o->fwd = o->x && o->z ? fftw_plan_dft_r2c_1d((int)n, o->x, o->z, FFTW_ESTIMATE) : NULL;
    o->inv = o->fwd ? fftw_plan_dft_c2r_1d((int)n, o->z, o->x, FFTW_ESTIMATE) : NULL;
    return o->inv != NULL;
}

static void oracle_close(Oracle *o)
{
    if (o->fwd)
        fftw_destroy_plan(o->fwd);
    if (o->inv)
        fftw_destroy_plan(o->inv);
    fftw_free(o->x);
    fftw_free(o->z);
}

/* Relative RMS difference of a half spectrum from a reference one, over the whole spectrum:
 * bins 1 .. m-1 stand for their mirrors too. 0 when both are zero. */
static double spectrum_err(const float *re, const float *im, const double *ref_re,
                           const double *ref_im, size_t m)
{
    double e = 0.0;
    double s = 0.0;
    for (size_t k = 0; k <= m; k++) {
        const double w = (k == 0 || k == m) ? 1.0 : 2.0;
        const double dr = (double)re[k] - ref_re[k];
        const double di = (double)im[k] - ref_im[k];
        e += w * (dr * dr + di * di);
        s += w * (ref_re[k] * ref_re[k] + ref_im[k] * ref_im[k]);
    }
    return s > 0.0 ? sqrt(e / s) : (e > 0.0 ? (double)INFINITY : 0.0);
}

static double signal_err(const float *x, const double *ref, size_t n, double scale)
{
    double e = 0.0;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)x[i] - scale * ref[i];
        e += d * d;
        s += scale * ref[i] * scale * ref[i];
    }
    return s > 0.0 ? sqrt(e / s) : (e > 0.0 ? (double)INFINITY : 0.0);
}

static double spectrum_diff(const float *re, const float *im, const float *c_re, const float *c_im,
                            size_t m, double *tmp)
{
    for (size_t k = 0; k <= m; k++) {
        tmp[k] = (double)c_re[k];
        tmp[m + 1 + k] = (double)c_im[k];
    }
    return spectrum_err(re, im, tmp, tmp + m + 1, m);
}

static double signal_diff(const float *x, const float *c, size_t n, double *tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = (double)c[i];
    return signal_err(x, tmp, n, 1.0);
}

static bool check_err(const char *what, size_t n, double err, double bound)
{
    if (err <= bound)
        return true;
    checkasm_fail("%s, n=%zu: relative RMS error %.3g > bound %.3g (%.2f x FLT_EPSILON)", what, n,
                  err, bound, err / (double)FLT_EPSILON);
    return false;
}

static void set_context(int round, int pattern)
{
    if (round < N_PATTERNS)
        checkasm_set_context("pattern=%s", pattern_name(pattern));
    else
        checkasm_set_context("round %d, pattern=%s", round, pattern_name(pattern));
}

static int round_pattern(int round)
{
    return round < N_PATTERNS ? round : (int)checkasm_rand_below(N_PATTERNS);
}

/* ---- benchmarks: each version, and FFTW's float plans while the C version is checked ---- */

typedef struct RfftBench {
    enum { KERNEL_FWD, KERNEL_INV, FFTW_FWD, FFTW_INV } kind;
    cansim_rfft_fn *fwd;
    cansim_irfft_fn *inv;
    fftwf_plan plan;
    float *x;
    float *re;
    float *im;
    float *z; /* FFTW's interleaved half spectrum */
    float *scratch;
    const float *tw;
    size_t n;
} RfftBench;

static void rfft_loop(void *ctx, unsigned iters)
{
    const RfftBench *b = ctx;
    for (unsigned i = 0; i < iters; i++) {
        switch (b->kind) {
        case KERNEL_FWD:
            b->fwd(b->re, b->im, b->x, b->scratch, b->tw, b->n);
            break;
        case KERNEL_INV:
            b->inv(b->x, b->re, b->im, b->scratch, b->tw, b->n);
            break;
        case FFTW_FWD:
            fftwf_execute_dft_r2c(b->plan, b->x, (fftwf_complex *)b->z);
            break;
        case FFTW_INV:
            fftwf_execute_dft_c2r(b->plan, (fftwf_complex *)b->z, b->x);
            break;
        }
    }
}

static void bench_size(cansim_rfft_fn *fwd, cansim_irfft_fn *inv, size_t n)
{
    const size_t nb = CANSIM_RFFT_BINS(n);
    const size_t nt = cansim_rfft_table_size(n);
    /* x, z (FFTW's half spectrum), scratch, re, im, tw */
    float *buf = checkasm_input(n + 6 * nb + nt, 0);
    checkasm_fill(buf, n + 6 * nb + nt, CHECKASM_NORMAL);
    RfftBench b = {.x = buf, .z = buf + n, .scratch = buf + n + 2 * nb, .n = n};
    b.re = b.scratch + 2 * nb;
    b.im = b.re + nb;
    b.tw = b.im + nb;
    cansim_rfft_table(b.im + nb, n);
    /* Per point: the usual real-FFT count 2.5 log2 n flops; n floats read, about n written. */
    const CheckasmBenchUnits units = {"point", 2.5 * log2_size(n), 2 * sizeof(float)};
    b.kind = fwd ? KERNEL_FWD : KERNEL_INV;
    b.fwd = fwd;
    b.inv = inv;
    RfftBench ref = b;
    ref.fwd = checkasm_ref()->rfft;
    ref.inv = checkasm_ref()->irfft;
    checkasm_bench(n, rfft_loop, &b, &ref, &units);
    /* FFTW's plans from the same arrays (FFTW_MEASURE overwrites them while planning). */
    for (int measure = 0; measure < 2 && checkasm_bench_other_wanted(); measure++) {
        RfftBench o = b;
        o.kind = fwd ? FFTW_FWD : FFTW_INV;
        const unsigned flags = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
        if (fwd)
            o.plan = fftwf_plan_dft_r2c_1d((int)n, o.x, (fftwf_complex *)o.z, flags);
        else
            o.plan = fftwf_plan_dft_c2r_1d((int)n, (fftwf_complex *)o.z, o.x,
                                           flags | FFTW_DESTROY_INPUT);
        checkasm_fill(buf, n + 4 * nb, CHECKASM_NORMAL);
        if (o.plan) {
            checkasm_bench_other(measure ? "fftw_measure" : "fftw_estimate", n, rfft_loop, &o, &ref,
                                 &units);
            fftwf_destroy_plan(o.plan);
        }
    }
    checkasm_free_input(buf, 0);
}

static void bench_family(cansim_rfft_fn *fwd, cansim_irfft_fn *inv)
{
    static const size_t full[] = {256, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    static const size_t quick[] = {1024, 8192};
    const bool q = checkasm_quick();
    for (size_t s = 0; s < (q ? 2 : sizeof full / sizeof full[0]); s++)
        bench_size(fwd, inv, q ? quick[s] : full[s]);
}

/* ---- checks ---- */

typedef struct Buffers {
    float *x;  /* input signal, n */
    float *re; /* input spectrum, nb each */
    float *im;
    float *tw;
    CheckasmOutput out[3]; /* forward: re, im, scratch; inverse: x, scratch */
    CheckasmOutput ref[3]; /* the C version's */
} Buffers;

static void check_rfft(void)
{
    cansim_rfft_fn *const fn = checkasm_kernels()->rfft;
    if (!check_func(fn, "rfft"))
        return;
    cansim_rfft_fn *const ref = checkasm_ref()->rfft;

    bool ok = true;
    for (size_t n = CANSIM_RFFT_MIN; ok && n <= CANSIM_RFFT_MAX; n *= 2) {
        const size_t m = n / 2;
        const size_t nb = CANSIM_RFFT_BINS(n);
        const double bound = CANSIM_RFFT_ERR(log2_size(n));
        Oracle o;
        if (!oracle_open(&o, n)) {
            checkasm_fail("n=%zu: cannot plan FFTW's double transform", n);
            oracle_close(&o);
            break;
        }
        float *x = checkasm_input(n, 0);
        float *tw = checkasm_input(cansim_rfft_table_size(n), 0);
        double *ref_re = malloc(4 * (m + 1) * sizeof *ref_re);
        double *ref_im = ref_re ? ref_re + m + 1 : NULL;
        double *tmp = ref_re ? ref_re + 2 * (m + 1) : NULL;
        CheckasmOutput out[3];
        CheckasmOutput c_out[3];
        for (int j = 0; j < 3; j++) {
            checkasm_output(&out[j], j < 2 ? nb : 2 * nb, 0);
            checkasm_output(&c_out[j], j < 2 ? nb : 2 * nb, 0);
        }
        cansim_rfft_table(tw, n);
        for (int round = 0; ok && ref_re && round < N_PATTERNS + MIXED_ROUNDS; round++) {
            const int pattern = round_pattern(round);
            set_context(round, pattern);
            fill_signal(x, n, pattern);
            for (size_t i = 0; i < n; i++)
                o.x[i] = daz(x[i]);
            fftw_execute(o.fwd);
            bool is_zero = true;
            for (size_t k = 0; k <= m; k++) {
                ref_re[k] = o.z[k][0];
                ref_im[k] = o.z[k][1];
                is_zero = is_zero && o.z[k][0] == 0.0 && o.z[k][1] == 0.0;
            }
            fn(out[0].p, out[1].p, x, out[2].p, tw, n);
            ref(c_out[0].p, c_out[1].p, x, c_out[2].p, tw, n);
            float *re = out[0].p;
            float *im = out[1].p;
            ok = check_err("against FFTW (double)", n, spectrum_err(re, im, ref_re, ref_im, m),
                           bound);
            if (fn != ref)
                ok = check_err("against C", n,
                               spectrum_diff(re, im, c_out[0].p, c_out[1].p, m, tmp), 2 * bound) &&
                     ok;
            if (im[0] != 0.0f || im[m] != 0.0f) {
                checkasm_fail("n=%zu: im[0] = %g, im[n/2] = %g, not 0", n, (double)im[0],
                              (double)im[m]);
                ok = false;
            }
            for (size_t k = m + 1; k < nb; k++)
                if (re[k] != 0.0f || im[k] != 0.0f) {
                    checkasm_fail("n=%zu: padding bin %zu is (%g, %g), not 0", n, k, (double)re[k],
                                  (double)im[k]);
                    ok = false;
                    break;
                }
            for (size_t k = 0; is_zero && k <= m; k++)
                if (re[k] != 0.0f || im[k] != 0.0f) {
                    checkasm_fail("n=%zu: zero in, bin %zu out is (%g, %g)", n, k, (double)re[k],
                                  (double)im[k]);
                    ok = false;
                    break;
                }
            ok = checkasm_check_guards(&out[0], "re", nb) && ok;
            ok = checkasm_check_guards(&out[1], "im", nb) && ok;
            ok = checkasm_check_guards(&out[2], "scratch", 2 * nb) && ok;
        }
        for (int j = 0; j < 3; j++) {
            checkasm_free_output(&out[j]);
            checkasm_free_output(&c_out[j]);
        }
        free(ref_re);
        checkasm_free_input(x, 0);
        checkasm_free_input(tw, 0);
        oracle_close(&o);
    }
    if (ok && checkasm_bench_enabled())
        bench_family(fn, NULL);
    checkasm_report();
}

static void check_irfft(void)
{
    cansim_irfft_fn *const fn = checkasm_kernels()->irfft;
    if (!check_func(fn, "irfft"))
        return;
    cansim_irfft_fn *const ref = checkasm_ref()->irfft;
    cansim_rfft_fn *const fwd = checkasm_kernels()->rfft;

    bool ok = true;
    for (size_t n = CANSIM_RFFT_MIN; ok && n <= CANSIM_RFFT_MAX; n *= 2) {
        const size_t m = n / 2;
        const size_t nb = CANSIM_RFFT_BINS(n);
        const double bound = CANSIM_RFFT_ERR(log2_size(n));
        Oracle o;
        if (!oracle_open(&o, n)) {
            checkasm_fail("n=%zu: cannot plan FFTW's double transform", n);
            oracle_close(&o);
            break;
        }
        float *re = checkasm_input(nb, 0);
        float *im = checkasm_input(nb, 0);
        float *saved = checkasm_input(2 * nb, 0);
        float *tw = checkasm_input(cansim_rfft_table_size(n), 0);
        float *sig = checkasm_input(n, 0);
        double *want = malloc(2 * n * sizeof *want);
        double *tmp = want ? want + n : NULL;
        CheckasmOutput out[2]; /* x, scratch */
        CheckasmOutput c_out[2];
        CheckasmOutput spec[3]; /* the round trip's forward: re, im, scratch */
        for (int j = 0; j < 2; j++) {
            checkasm_output(&out[j], j ? 2 * nb : n, 0);
            checkasm_output(&c_out[j], j ? 2 * nb : n, 0);
        }
        for (int j = 0; j < 3; j++)
            checkasm_output(&spec[j], j < 2 ? nb : 2 * nb, 0);
        cansim_rfft_table(tw, n);
        for (int round = 0; ok && want && round < N_PATTERNS + MIXED_ROUNDS; round++) {
            const int pattern = round_pattern(round);
            set_context(round, pattern);
            fill_spectrum(re, im, n, pattern);
            memcpy(saved, re, nb * sizeof *re);
            memcpy(saved + nb, im, nb * sizeof *im);
            bool is_zero = true;
            for (size_t k = 0; k <= m; k++) {
                o.z[k][0] = daz(re[k]);
                o.z[k][1] = k == 0 || k == m ? 0.0 : daz(im[k]);
                is_zero = is_zero && o.z[k][0] == 0.0 && o.z[k][1] == 0.0;
            }
            fftw_execute(o.inv);
            memcpy(want, o.x, n * sizeof *want);

            fn(out[0].p, re, im, out[1].p, tw, n);
            ref(c_out[0].p, re, im, c_out[1].p, tw, n);
            const float *x = out[0].p;
            ok = check_err("against FFTW (double)", n, signal_err(x, want, n, 1.0), bound);
            if (fn != ref)
                ok = check_err("against C", n, signal_diff(x, c_out[0].p, n, tmp), 2 * bound) && ok;
            for (size_t i = 0; is_zero && i < n; i++)
                if (x[i] != 0.0f) {
                    checkasm_fail("n=%zu: zero in, x[%zu] = %g out", n, i, (double)x[i]);
                    ok = false;
                    break;
                }
            if (memcmp(saved, re, nb * sizeof *re) || memcmp(saved + nb, im, nb * sizeof *im)) {
                checkasm_fail("n=%zu: the input spectrum was written", n);
                ok = false;
            }
            ok = checkasm_check_guards(&out[0], "x", n) && ok;
            ok = checkasm_check_guards(&out[1], "scratch", 2 * nb) && ok;

            /* Round trip through this level's forward transform: n x back. */
            fill_signal(sig, n, pattern);
            for (size_t i = 0; i < n; i++)
                want[i] = daz(sig[i]);
            fwd(spec[0].p, spec[1].p, sig, spec[2].p, tw, n);
            fn(out[0].p, spec[0].p, spec[1].p, out[1].p, tw, n);
            ok = check_err("round trip", n, signal_err(out[0].p, want, n, (double)n), 2 * bound) &&
                 ok;
        }
        for (int j = 0; j < 2; j++) {
            checkasm_free_output(&out[j]);
            checkasm_free_output(&c_out[j]);
        }
        for (int j = 0; j < 3; j++)
            checkasm_free_output(&spec[j]);
        free(want);
        checkasm_free_input(re, 0);
        checkasm_free_input(im, 0);
        checkasm_free_input(saved, 0);
        checkasm_free_input(sig, 0);
        checkasm_free_input(tw, 0);
        oracle_close(&o);
    }
    if (ok && checkasm_bench_enabled())
        bench_family(NULL, fn);
    checkasm_report();
}

void checkasm_check_rfft(void)
{
    check_rfft();
    check_irfft();
}
