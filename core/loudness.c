/* SPDX-License-Identifier: MIT */
/* Level matching without a second render. The input is metered once (core/meter.c,
 * ITU-R BS.1770-4), and each profile's output loudness is predicted from the input's
 * short-time spectra: the K-weighting and the profile's 2x2 matrix are linear and time
 * invariant, so the K-weighted output energy of a frame is a weighted sum over bins of the
 * input's power spectra |X_L|^2, |X_R|^2 and cross-spectrum X_L conj(X_R) (shared by every
 * profile), the weights being the profile's |K H|^2 terms. BS.1770's gating is then applied to
 * the predicted 400 ms block energies, and where its choice of blocks is in doubt the output
 * is flagged for metering (level_gate.c).
 *
 * Frames: hop H = libebur128's 100 ms ((rate + 5) / 10 frames), length N = 2H, sine window.
 * Its square is a periodic Hann window, whose shifts by N/2 sum to exactly 1, so the windowed
 * frame energies E_m of a signal sum to its energy: no bias. Frame m covers [(m - 1)H, (m + 1)H);
 * 100 ms segment s is the second half of frame s and the first half of frame s + 1, each taken
 * as half its frame's energy, and a gating block is four segments, as in libebur128. The
 * spectral product stands for the windowed filter output; the two differ only by the filter's
 * time spread over the window's edges (a few ms of 200), and the bias largely cancels in the
 * gain, which is the difference of two predictions made the same way (output and input). */
#include <fftw3.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_io.h"
#include "fft.h"
#include "flac_level.h"
#include "kernels.h"
#include "loudness.h"
#include "meter.h"
#include "translation.h"

/* hops per chunk: one parallel region per 3.2 s of input */
#define ANALYSIS_HOPS 32
#define PI            3.14159265358979323846

size_t cansim_level_hop(double rate_hz)
{
    return (size_t)(((unsigned long)rate_hz + 5) / 10);
}

/* |K(e^jw)|^2 of BS.1770's K-weighting at rate_hz: libebur128's own coefficients (the high
 * shelf and the high-pass of the standard, re-derived for any rate). */
typedef struct Biquad {
    double b[3], a[3];
} Biquad;

static void k_filter(double rate_hz, Biquad k[2])
{
    double f0 = 1681.974450955533;
    const double g = 3.999843853973347;
    double q = 0.7071752369554196;
    double kk = tan(PI * f0 / rate_hz);
    const double vh = pow(10.0, g / 20.0);
    const double vb = pow(vh, 0.4996667741545416);
    double a0 = 1.0 + kk / q + kk * kk;
    k[0] = (Biquad){{(vh + vb * kk / q + kk * kk) / a0, 2.0 * (kk * kk - vh) / a0,
                     (vh - vb * kk / q + kk * kk) / a0},
                    {1.0, 2.0 * (kk * kk - 1.0) / a0, (1.0 - kk / q + kk * kk) / a0}};
    f0 = 38.13547087602444;
    q = 0.5003270373238773;
    kk = tan(PI * f0 / rate_hz);
    a0 = 1.0 + kk / q + kk * kk;
    k[1] = (Biquad){{1.0, -2.0, 1.0},
                    {1.0, 2.0 * (kk * kk - 1.0) / a0, (1.0 - kk / q + kk * kk) / a0}};
}

/* |B(e^jw)|^2 of a biquad, from c_k = cos(k w) and s_k = sin(k w) (shared by both filters). */
static double biquad_power(const Biquad *f, double c1, double s1, double c2, double s2)
{
    const double nr = f->b[0] + f->b[1] * c1 + f->b[2] * c2;
    const double ni = -(f->b[1] * s1 + f->b[2] * s2);
    const double dr = f->a[0] + f->a[1] * c1 + f->a[2] * c2;
    const double di = -(f->a[1] * s1 + f->a[2] * s2);
    return (nr * nr + ni * ni) / (dr * dr + di * di);
}

int cansim_level_weights(const float *const cells[4], size_t n_taps, double rate_hz, float **out,
                         size_t *n_bins)
{
    const size_t h = cansim_level_hop(rate_hz);
    const size_t n = 2 * h;
    const size_t nb = h + 1;
    const size_t nbp = cansim_round_up(nb, CANSIM_PAD);
    /* Each cell's response at the analysis bins w_k = 2 pi k / N: an M-point transform of the
     * taps, M a multiple of N holding every tap, read every M/N bins. */
    const size_t m = n * ((n_taps + n - 1) / n ? (n_taps + n - 1) / n : 1);
    float *w = cansim_alloc_floats(4 * nbp);
    float *x = fftwf_malloc(m * sizeof *x);
    fftwf_complex *hc[4] = {NULL, NULL, NULL, NULL};
    int e = (w && x) ? CANSIM_OK : CANSIM_ENOMEM;
    fftwf_plan plan = NULL;
    for (int c = 0; c < 4 && !e; c++)
        if (cells[c] && !(hc[c] = fftwf_malloc((m / 2 + 1) * sizeof *hc[c])))
            e = CANSIM_ENOMEM;
    if (!e) {
        fftwf_complex *any = NULL;
        for (int c = 0; c < 4; c++)
            any = any ? any : hc[c];
        if (any) {
            plan = cansim_fft_plan_r2c((int)m, x, any, 0);
            if (!plan)
                e = CANSIM_EINTERNAL;
        }
    }
    for (int c = 0; c < 4 && !e; c++) {
        if (!hc[c])
            continue;
        memset(x, 0, m * sizeof *x);
        memcpy(x, cells[c], n_taps * sizeof *x);
        fftwf_execute_dft_r2c(plan, x, hc[c]);
    }
    if (!e) {
        Biquad k[2];
        k_filter(rate_hz, k);
        const bool is_identity = !hc[0] && !hc[1] && !hc[2] && !hc[3];
        const size_t step = m / n;
        for (size_t i = 0; i < nb; i++) {
            const double om = 2.0 * PI * (double)i / (double)n;
            const double c1 = cos(om), s1 = sin(om), c2 = cos(2 * om), s2 = sin(2 * om);
            /* Parseval for a real frame: bins 0 and N/2 once, the others twice, over N. */
            const double kw = biquad_power(&k[0], c1, s1, c2, s2) *
                              biquad_power(&k[1], c1, s1, c2, s2) *
                              ((i == 0 || i == h) ? 1.0 : 2.0) / (double)n;
            double hr[4] = {0}, hi[4] = {0};
            for (int c = 0; c < 4; c++)
                if (hc[c]) {
                    hr[c] = (double)hc[c][i * step][0];
                    hi[c] = (double)hc[c][i * step][1];
                }
            double wa, wb, gr, gi;
            if (is_identity) {
                wa = wb = 1.0;
                gr = gi = 0.0;
            } else {
                /* |Y_L|^2 + |Y_R|^2 with Y_L = X_L H_LL + X_R H_RL, Y_R = X_L H_LR + X_R H_RR:
                 * P_LL (|H_LL|^2 + |H_LR|^2) + P_RR (|H_RL|^2 + |H_RR|^2) + 2 Re(C G),
                 * C = X_L conj(X_R), G = H_LL conj(H_RL) + H_LR conj(H_RR). */
                wa = hr[0] * hr[0] + hi[0] * hi[0] + hr[1] * hr[1] + hi[1] * hi[1];
                wb = hr[2] * hr[2] + hi[2] * hi[2] + hr[3] * hr[3] + hi[3] * hi[3];
                gr = hr[0] * hr[2] + hi[0] * hi[2] + hr[1] * hr[3] + hi[1] * hi[3];
                gi = hi[0] * hr[2] - hr[0] * hi[2] + hi[1] * hr[3] - hr[1] * hi[3];
            }
            w[i] = (float)(kw * wa);
            w[nbp + i] = (float)(kw * wb);
            w[2 * nbp + i] = (float)(2.0 * kw * gr);
            w[3 * nbp + i] = (float)(-2.0 * kw * gi);
        }
    }
    cansim_fft_destroy(plan);
    for (int c = 0; c < 4; c++)
        fftwf_free(hc[c]);
    fftwf_free(x);
    if (e) {
        cansim_free(w);
        w = NULL;
    }
    *out = w;
    *n_bins = nbp;
    return e;
}

#define SPEC_PLANES 5
/* frames summed side by side */
#define FRAMES CANSIM_WLANES_MAX_FRAMES

typedef struct Analysis {
    size_t hop, n, nbp;
    int n_channels;
    float *planar[2]; /* H of history, then ANALYSIS_HOPS hops */
    float *inter;     /* interleaved chunk as read */
    float *spec;      /* per frame 5 planes: P_LL, P_RR, C re, C im, P_LL + P_RR */
    float *win;
    float *fft_in;          /* per thread: N floats */
    fftwf_complex *fft_out; /* per thread: 2 x (H + 1) bins */
    fftwf_plan plan;
    double **energy; /* per weight set, then the input's own */
    size_t n_energy, cap_energy;
} Analysis;

static void frame_spectra(const Analysis *a, size_t i, int thread)
{
    const size_t n = a->n, h = a->hop, nbp = a->nbp;
    float *in = a->fft_in + (size_t)thread * n;
    fftwf_complex *out = a->fft_out + (size_t)thread * 2 * (h + 1);
    for (int ch = 0; ch < a->n_channels; ch++) {
        const float *x = a->planar[ch] + i * h;
        for (size_t k = 0; k < n; k++)
            in[k] = x[k] * a->win[k];
        fftwf_execute_dft_r2c(a->plan, in, out + (size_t)ch * (h + 1));
    }
    const float *xl = (const float *)out;
    const float *xr = a->n_channels == 2 ? (const float *)(out + (h + 1)) : xl;
    float *p = a->spec + i * SPEC_PLANES * nbp;
    for (size_t k = 0; k <= h; k++) {
        const float ar = xl[2 * k], ai = xl[2 * k + 1], br = xr[2 * k], bi = xr[2 * k + 1];
        p[k] = ar * ar + ai * ai;
        p[nbp + k] = br * br + bi * bi;
        p[2 * nbp + k] = ar * br + ai * bi;
        p[3 * nbp + k] = ai * br - ar * bi;
        p[4 * nbp + k] = p[k] + p[nbp + k];
    }
}

/* A weight set with equal L and R planes and no cross terms (a symmetric profile without
 * crossfeed, the common case) needs one plane against P_LL + P_RR: a quarter of the work. */
static bool is_plain(const float *w, size_t nbp)
{
    for (size_t k = 0; k < nbp; k++)
        if (w[k] != w[nbp + k] || w[2 * nbp + k] != 0.0f || w[3 * nbp + k] != 0.0f)
            return false;
    return true;
}

/* A weight set as the sums read it: its planes against the frame's first four (its 4 nbp
 * values read as one plane), or, plain, its first against P_LL + P_RR. */
typedef struct WeightSet {
    const float *w; /* NULL: skipped */
    bool is_plain;
} WeightSet;

/* Frames i0 .. i1 of the chunk (at most FRAMES): each set's energy of each frame, the frames
 * side by side in one call, so a set's weights are loaded once for all of them. The lanes are
 * added in double in lane order: what the weighted-sum contract gives for a sum without a tail
 * (4 nbp and nbp are multiples of the 16 lanes), so a frame's energy does not depend on its
 * group. */
static void group_energies(const Analysis *a, const WeightSet *sets, size_t n_sets,
                           cansim_wlanes_fn *wlanes, size_t i0, size_t i1, size_t f0)
{
    _Static_assert(CANSIM_PAD % CANSIM_WDOT_LANES == 0, "no tail: nbp is padded to the lanes");
    const size_t nbp = a->nbp, nf = i1 - i0;
    for (size_t j = 0; j < n_sets; j++) {
        if (!sets[j].w)
            continue;
        const bool plain = sets[j].is_plain;
        float lanes[FRAMES][CANSIM_WDOT_LANES] = {{0}};
        float *acc[FRAMES];
        const float *p[FRAMES];
        for (size_t f = 0; f < nf; f++) {
            acc[f] = lanes[f];
            p[f] = a->spec + (i0 + f) * SPEC_PLANES * nbp + (plain ? 4 * nbp : 0);
        }
        wlanes(acc, sets[j].w, p, nbp, 1, 1, nf, plain ? nbp : 4 * nbp);
        for (size_t f = 0; f < nf; f++) {
            double e = 0.0;
            for (size_t q = 0; q < CANSIM_WDOT_LANES; q++)
                e += (double)lanes[f][q];
            a->energy[j][f0 + i0 + f] = e;
        }
    }
}

static void analysis_free(Analysis *a, size_t n_sets, int n_threads)
{
    (void)n_threads;
    cansim_free(a->planar[0]);
    cansim_free(a->planar[1]);
    cansim_free(a->inter);
    cansim_free(a->spec);
    cansim_free(a->win);
    fftwf_free(a->fft_in);
    fftwf_free(a->fft_out);
    cansim_fft_destroy(a->plan);
    for (size_t j = 0; a->energy && j < n_sets; j++)
        free(a->energy[j]);
    free(a->energy);
}

int cansim_level_analyse(const char *path, const float *const *weights, size_t n, int n_threads,
                         bool has_meter, CansimLevelAnalysis *res, CansimDiag *diag)
{
    SNDFILE *sf;
    SF_INFO info;
    int e = cansim_audio_open_read(path, &sf, &info, diag);
    if (e)
        return e;
    Analysis a = {.n_channels = info.channels};
    const size_t n_sets = n + 1; /* the last is the input itself */
    float *own_w = NULL;
    WeightSet *sets = NULL;
    CansimMeter *meter = NULL;
    a.hop = cansim_level_hop(info.samplerate);
    a.n = 2 * a.hop;
    const size_t h = a.hop;
    const size_t chunk = ANALYSIS_HOPS * h;
    const float *none[4] = {NULL, NULL, NULL, NULL};
    if (info.channels > 2) {
        e = cansim_diag_set(diag, CANSIM_EFORMAT, "%s: %d channels", path, info.channels);
        goto done;
    }
    if ((e = cansim_level_weights(none, 1, info.samplerate, &own_w, &a.nbp)))
        goto nomem;
    if (!(sets = calloc(n_sets, sizeof *sets)))
        goto nomem;
    for (size_t j = 0; j < n_sets; j++) {
        const float *w = j < n ? weights[j] : own_w;
        sets[j] = (WeightSet){w, w && is_plain(w, a.nbp)};
    }
    cansim_wlanes_fn *const wlanes = res->wlanes ? res->wlanes : cansim_wlanes_c;
    a.planar[0] = cansim_alloc_floats(chunk + h);
    a.planar[1] = cansim_alloc_floats(chunk + h);
    a.inter = cansim_alloc_floats(chunk * (size_t)info.channels);
    a.spec = cansim_alloc_floats(ANALYSIS_HOPS * SPEC_PLANES * a.nbp);
    a.win = cansim_alloc_floats(a.n);
    a.fft_in = fftwf_malloc((size_t)n_threads * a.n * sizeof(float));
    a.fft_out = fftwf_malloc((size_t)n_threads * 2 * (h + 1) * sizeof(fftwf_complex));
    a.energy = calloc(n_sets, sizeof *a.energy);
    if (!a.planar[0] || !a.planar[1] || !a.inter || !a.spec || !a.win || !a.fft_in || !a.fft_out ||
        !a.energy)
        goto nomem;
    for (size_t k = 0; k < a.n; k++)
        a.win[k] = (float)sin(PI * ((double)k + 0.5) / (double)a.n);
    a.plan = cansim_fft_plan_r2c((int)a.n, a.fft_in, a.fft_out, 0);
    if (!a.plan) {
        e = cansim_diag_set(diag, CANSIM_EINTERNAL, "cannot plan a %zu-point FFT", a.n);
        goto done;
    }
    /* Created here, before this function's parallel region. */
    if (has_meter) {
        if (!(meter = cansim_meter_open(info.channels, (double)info.samplerate)))
            goto nomem;
    }

    int64_t n_read = 0;
    size_t n_frames_done = 0;
    for (bool is_eof = false; !is_eof;) {
        size_t got = 0;
        while (got < chunk) {
            const sf_count_t k = sf_readf_float(sf, a.inter + got * (size_t)info.channels,
                                                (sf_count_t)(chunk - got));
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        if (sf_error(sf)) {
            e = cansim_audio_read_error(sf, path, n_read + (int64_t)got, info.frames, diag);
            goto done;
        }
        is_eof = got < chunk;
        n_read += (int64_t)got;
        if (info.channels == 2) {
            /* the common case, as a loop the compiler vectorises */
            float *restrict l = a.planar[0] + h, *restrict r = a.planar[1] + h;
            const float *restrict x = a.inter;
            for (size_t i = 0; i < got; i++) {
                l[i] = x[2 * i];
                r[i] = x[2 * i + 1];
            }
        } else {
            memcpy(a.planar[0] + h, a.inter, got * sizeof(float));
        }
        for (int ch = 0; ch < info.channels; ch++)
            memset(a.planar[ch] + h + got, 0, (chunk - got) * sizeof(float));
        /* Frames 0 .. n_seg are needed, n_seg the number of whole 100 ms segments. */
        size_t nf = ANALYSIS_HOPS;
        if (is_eof) {
            const size_t want = (size_t)n_read / h + 1;
            nf = want > n_frames_done ? want - n_frames_done : 0;
        }
        if (n_frames_done + nf > a.cap_energy) {
            const size_t cap = 2 * (n_frames_done + nf) + 64;
            for (size_t j = 0; j < n_sets; j++) {
                double *p = realloc(a.energy[j], cap * sizeof *p);
                if (!p)
                    goto nomem;
                a.energy[j] = p;
            }
            a.cap_energy = cap;
            if (res->tr && cansim_translation_reserve(res->tr, cap)) /* translation */
                goto nomem;
        }
        const Analysis *ca = &a;
        const int n_fr = (int)nf;
        const int n_groups = (n_fr + FRAMES - 1) / FRAMES;
        const size_t f0 = n_frames_done;
        int meter_err = 0;
        CansimTrAnalysis *tr = res->tr;
#pragma omp parallel num_threads(n_threads) default(none)                                          \
    shared(ca, n_fr, n_groups, f0, sets, n_sets, meter, got, meter_err, tr, wlanes)
        {
            const unsigned fpu = cansim_fpu_ftz_enter();
#pragma omp for schedule(dynamic, 1)
            for (int i = 0; i < n_fr; i++)
                frame_spectra(ca, (size_t)i, omp_get_thread_num());
#pragma omp for schedule(dynamic, 1)
            for (int g = -1; g < n_groups; g++) {
                /* The meter is the longest job: it goes first, so the others fill around it.
                 * Each other is a group of frames, their spectra in cache for every weight set
                 * and the translation's band sums. */
                if (g < 0) {
                    if (meter && got && cansim_meter_add(meter, ca->inter, got))
                        meter_err = 1;
                    continue;
                }
                const size_t i0 = (size_t)g * FRAMES;
                const size_t i1 = i0 + FRAMES < (size_t)n_fr ? i0 + FRAMES : (size_t)n_fr;
                group_energies(ca, sets, n_sets, wlanes, i0, i1, f0);
                if (tr) /* translation: band energies from the same spectra */
                    cansim_translation_block(tr, ca->spec, ca->nbp, i0, i1, f0);
            }
            cansim_fpu_restore(fpu);
        }
        if (meter_err)
            goto nomem;
        n_frames_done += nf;
        for (int ch = 0; ch < info.channels; ch++)
            memmove(a.planar[ch], a.planar[ch] + chunk, h * sizeof(float));
    }
    if ((e = cansim_audio_check_end(path, n_read, info.frames, diag)))
        goto done;
    if (meter)
        res->input_lufs = cansim_meter_lufs(meter);
    /* Gated as BS.1770 gates; where the gates' choice of blocks depends on how the frames
     * spread each block's energy, the output is flagged for metering (level_gate.c). */
    const double in_doubt = cansim_level_gate_doubt(a.energy[n], n_frames_done, h);
    for (size_t j = 0; j < n; j++) {
        res->pred_lufs[j] =
            weights[j] ? cansim_level_gated(a.energy[j], n_frames_done, h) : (double)NAN;
        if (res->is_unsure)
            res->is_unsure[j] = weights[j] && cansim_level_is_unsure(a.energy[j], a.energy[n],
                                                                     n_frames_done, h, in_doubt);
    }
    res->input_pred_lufs = cansim_level_gated(a.energy[n], n_frames_done, h);
    if (res->tr) /* translation: its active part is the input's gated part */
        cansim_translation_gate(res->tr, a.energy[n], n_frames_done, h);
    e = CANSIM_OK;
    goto done;
nomem:
    e = cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory for the loudness analysis");
done:
    cansim_meter_close(meter);
    analysis_free(&a, n_sets, n_threads);
    cansim_free(own_w);
    free(sets);
    cansim_audio_close_read(sf);
    return e;
}
