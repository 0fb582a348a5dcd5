/* SPDX-License-Identifier: MIT */
/* Virtual speakers from a SOFA HRTF set: the pair's HRIRs, the set's diffuse-field average,
 * and the pair's matrix at a rate. */
#include <errno.h>
#include <fftw3.h>
#include <math.h>
#include <mysofa.h>
#include <samplerate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft.h"
#include "fftconv.h"
#include "hrtf.h"

#define PI      3.14159265358979323846
#define DF_FFT  4096 /* the diffuse-field average's transform: 10.8 Hz bins at 44.1 kHz */
#define RING_DB 0.05 /* elevations closer than this (degrees) are one ring */

void cansim_hrtf_free(CansimHrtfSet *s)
{
    if (!s)
        return;
    for (int c = 0; c < 4; c++)
        cansim_free(s->cells[c]);
    cansim_curve_free(&s->df_eq);
    memset(s, 0, sizeof *s);
}

static const char *mysofa_words(int err)
{
    switch (err) {
    case MYSOFA_READ_ERROR:
        return "cannot read it";
    case MYSOFA_NO_MEMORY:
        return "out of memory";
    case MYSOFA_INVALID_FORMAT:
        return "not a SOFA (HDF5) file";
    case MYSOFA_UNSUPPORTED_FORMAT:
        return "a SOFA variant libmysofa does not read";
    default:
        return "not a valid SOFA file";
    }
}

/* Direction (azimuth, elevation in degrees) of measurement m, from the set's cartesian
 * positions (mysofa_tocartesian() has run). */
static void direction_of(const struct MYSOFA_HRTF *h, unsigned m, double *az, double *el)
{
    const float *p = h->SourcePosition.values + 3 * (size_t)m;
    const double x = (double)p[0], y = (double)p[1], z = (double)p[2];
    *az = atan2(y, x) * 180.0 / PI;
    *el = atan2(z, sqrt(x * x + y * y)) * 180.0 / PI;
}

/* The measurement nearest to (az, el): the largest cosine between the directions. */
static unsigned nearest(const struct MYSOFA_HRTF *h, double az, double el)
{
    const double a = az * PI / 180.0, e = el * PI / 180.0;
    const double wx = cos(e) * cos(a), wy = cos(e) * sin(a), wz = sin(e);
    unsigned best = 0;
    double best_c = -2.0;
    for (unsigned m = 0; m < h->M; m++) {
        const float *p = h->SourcePosition.values + 3 * (size_t)m;
        const double x = (double)p[0], y = (double)p[1], z = (double)p[2];
        const double r = sqrt(x * x + y * y + z * z);
        const double c = r > 0 ? (wx * x + wy * y + wz * z) / r : -2.0;
        if (c > best_c) {
            best_c = c;
            best = m;
        }
    }
    return best;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Solid-angle weights: each elevation ring stands for the band of the sphere between the
 * midpoints to its neighbouring rings (half a step beyond the outer ones, within +-90
 * degrees), shared equally by its measurements. MIT's grid has rings every 10 degrees from
 * -40 to 90 with about equal spacing along each, so this is the sphere above -45 degrees. */
static int ring_weights(const struct MYSOFA_HRTF *h, double *w)
{
    const size_t m = h->M;
    double *el = malloc(m * sizeof *el);
    double *rings = malloc(m * sizeof *rings);
    if (!el || !rings) {
        free(el);
        free(rings);
        return CANSIM_ENOMEM;
    }
    for (size_t i = 0; i < m; i++) {
        double az;
        direction_of(h, (unsigned)i, &az, &el[i]);
        rings[i] = el[i];
    }
    qsort(rings, m, sizeof *rings, cmp_double);
    size_t n_rings = 0;
    for (size_t i = 0; i < m; i++)
        if (!n_rings || rings[i] - rings[n_rings - 1] > RING_DB)
            rings[n_rings++] = rings[i];
    for (size_t i = 0; i < m; i++) {
        size_t r = 0;
        while (r + 1 < n_rings && fabs(rings[r] - el[i]) > RING_DB)
            r++;
        const double step_lo = r > 0             ? rings[r] - rings[r - 1]
                               : r + 1 < n_rings ? rings[r + 1] - rings[r]
                                                 : 180;
        const double step_hi = r + 1 < n_rings ? rings[r + 1] - rings[r] : step_lo;
        const double lo = fmax(-90.0, rings[r] - 0.5 * step_lo) * PI / 180.0;
        const double hi = fmin(90.0, rings[r] + 0.5 * step_hi) * PI / 180.0;
        size_t count = 0;
        for (size_t j = 0; j < m; j++)
            count += fabs(el[j] - rings[r]) <= RING_DB;
        w[i] = (sin(hi) - sin(lo)) / (double)count;
    }
    free(el);
    free(rings);
    return CANSIM_OK;
}

/* The diffuse-field power average of every measurement and ear, as an equalisation curve in
 * dB at the bins of a DF_FFT-point transform (DC left out; the curve holds its ends). */
static int df_curve(const struct MYSOFA_HRTF *h, double rate_hz, CansimCurve *out)
{
    const size_t n_fft = DF_FFT > h->N ? DF_FFT : 2 * (size_t)h->N;
    const size_t n_bins = n_fft / 2 + 1;
    double *w = malloc(h->M * sizeof *w);
    double *power = calloc(n_bins, sizeof *power);
    float *x = fftwf_malloc(n_fft * sizeof *x);
    fftwf_complex *y = fftwf_malloc(n_bins * sizeof *y);
    fftwf_plan plan = NULL;
    int e = w && power && x && y ? ring_weights(h, w) : CANSIM_ENOMEM;
    if (!e) {
        plan = cansim_fft_plan_r2c((int)n_fft, x, y, 0);
        if (!plan)
            e = CANSIM_EINTERNAL;
    }
    double w_sum = 0;
    for (unsigned m = 0; !e && m < h->M; m++) {
        for (unsigned r = 0; r < 2; r++) {
            const float *ir = h->DataIR.values + ((size_t)m * h->R + r) * h->N;
            memset(x, 0, n_fft * sizeof *x);
            memcpy(x, ir, h->N * sizeof *x);
            fftwf_execute(plan);
            for (size_t b = 0; b < n_bins; b++) {
                const double re = (double)y[b][0], im = (double)y[b][1];
                power[b] += 0.5 * w[m] * (re * re + im * im);
            }
        }
        w_sum += w[m];
    }
    if (!e && cansim_curve_alloc(out, n_bins - 1))
        e = CANSIM_ENOMEM;
    if (!e) {
        for (size_t b = 1; b < n_bins; b++) {
            out->hz[b - 1] = (double)b * rate_hz / (double)n_fft;
            out->db[b - 1] = -10.0 * log10(fmax(power[b] / w_sum, 1e-30));
        }
        /* Above CANSIM_HRTF_TOP_HZ the set holds its recorder's anti-alias roll-off, not the
         * head: the equalisation stops there (holds its value), so the pair rolls off with the
         * recording instead of being boosted to the Nyquist frequency. */
        const double cap = cansim_curve_eval(out, 1000.0) + CANSIM_HRTF_MAX_BOOST_DB;
        const double top = cansim_curve_eval(out, CANSIM_HRTF_TOP_HZ);
        for (size_t i = 0; i < out->n; i++)
            out->db[i] = fmin(out->hz[i] > CANSIM_HRTF_TOP_HZ ? top : out->db[i], cap);
    }
    cansim_fft_destroy(plan);
    fftwf_free(x);
    fftwf_free(y);
    free(w);
    free(power);
    return e;
}

/* The HRIR of measurement m, ear r, with the set's delay (in samples) put in front. */
static float *hrir(const struct MYSOFA_HRTF *h, unsigned m, unsigned r, size_t n_delay,
                   size_t n_taps)
{
    float *out = cansim_alloc_floats(n_taps);
    if (out)
        memcpy(out + n_delay, h->DataIR.values + ((size_t)m * h->R + r) * h->N, h->N * sizeof *out);
    return out;
}

static size_t delay_of(const struct MYSOFA_HRTF *h, unsigned m, unsigned r);

/* Adds gain times the HRIR of measurement m, ear r, at tap `at` of cell (n_taps long). */
static void add_hrir(const struct MYSOFA_HRTF *h, unsigned m, unsigned r, double gain, size_t at,
                     float *cell, size_t n_taps)
{
    const float *ir = h->DataIR.values + ((size_t)m * h->R + r) * h->N;
    for (size_t i = 0; i < h->N && at + i < n_taps; i++)
        cell[at + i] += (float)(gain * (double)ir[i]);
}

/* The room's images of each speaker into the set's cells (which hold the direct sounds), the
 * cells grown to hold them and the tail. Returns CANSIM_EPROFILE for a speaker outside the
 * room. */
static int add_images(const struct MYSOFA_HRTF *h, const CansimHrtfSpec *s, const unsigned ear[2],
                      CansimHrtfSet *out)
{
    const CansimRoomSpec *room = &s->room;
    CansimImage im[2][CANSIM_ROOM_MAX_IMAGES];
    size_t n[2];
    double max_delay = 0;
    out->early_energy = 0;
    for (int sp = 0; sp < 2; sp++) {
        n[sp] = cansim_room_images(room, sp == 0 ? s->azimuth_deg : -s->azimuth_deg,
                                   s->elevation_deg, im[sp]);
        if (!n[sp])
            return CANSIM_EPROFILE;
        for (size_t i = 1; i < n[sp]; i++) {
            max_delay = fmax(max_delay, im[sp][i].delay_s);
            out->early_energy += 0.5 * im[sp][i].gain * im[sp][i].gain;
        }
    }
    out->n_images = n[0];
    /* The direct sound's onset: where the first cell first reaches a tenth of its peak. */
    size_t onset = 0;
    float peak = 0;
    for (size_t i = 0; i < out->n_taps; i++)
        peak = fmaxf(peak, fabsf(out->cells[0][i]));
    while (onset < out->n_taps && fabsf(out->cells[0][onset]) < 0.1f * peak)
        onset++;
    out->tail_start_s = (double)onset / out->rate_hz + max_delay;
    const size_t n_taps = (size_t)ceil((out->tail_start_s + room->rt60_s) * out->rate_hz) + h->N;
    for (int c = 0; c < 4; c++) {
        float *grown = cansim_alloc_floats(n_taps);
        if (!grown)
            return CANSIM_ENOMEM;
        memcpy(grown, out->cells[c], out->n_taps * sizeof *grown);
        cansim_free(out->cells[c]);
        out->cells[c] = grown;
    }
    out->n_taps = n_taps;
    for (int sp = 0; sp < 2; sp++)
        for (size_t i = 1; i < n[sp]; i++) {
            const unsigned m = nearest(h, im[sp][i].azimuth_deg, im[sp][i].elevation_deg);
            const size_t at = (size_t)lrint(im[sp][i].delay_s * out->rate_hz);
            for (int k = 0; k < 2; k++)
                add_hrir(h, m, ear[k], im[sp][i].gain, at + delay_of(h, m, ear[k]),
                         out->cells[sp * 2 + k], out->n_taps);
        }
    return CANSIM_OK;
}

static size_t delay_of(const struct MYSOFA_HRTF *h, unsigned m, unsigned r)
{
    const struct MYSOFA_ARRAY *d = &h->DataDelay;
    size_t i = d->elements == h->R ? r : (size_t)m * h->R + r;
    const double v = d->values && i < d->elements ? (double)d->values[i] : 0.0;
    return v > 0 ? (size_t)lrint(fmin(v, 4096.0)) : 0;
}

int cansim_hrtf_load(const CansimHrtfSpec *s, const char *who, CansimHrtfSet *out, CansimDiag *diag)
{
    memset(out, 0, sizeof *out);
    int err = 0;
    /* libmysofa's HDF5 reader opens the file itself: its failures come back as codes. */
    errno = 0;
    FILE *probe = fopen(s->sofa, "rb");
    if (!probe)
        return cansim_diag_set(diag, CANSIM_EIO, "%s: cannot open the HRTF set of %s: %s", s->sofa,
                               who, strerror(errno));
    fclose(probe);
    struct MYSOFA_HRTF *h = mysofa_load(s->sofa, &err);
    if (!h)
        return cansim_diag_set(diag, err == MYSOFA_NO_MEMORY ? CANSIM_ENOMEM : CANSIM_EIO,
                               "%s: libmysofa: %s (error %d)", s->sofa, mysofa_words(err), err);
    int e = CANSIM_OK;
    const double rate = h->DataSamplingRate.values ? (double)h->DataSamplingRate.values[0] : 0.0;
    if (h->R != 2 || h->M < 2 || h->N < 8 || !cansim_rate_is_valid(rate)) {
        e = cansim_diag_set(diag, CANSIM_EPROFILE,
                            "%s: %u receivers, %u measurements of %u taps at %g Hz (2 ears, 8 "
                            "taps, 8-384 kHz needed)",
                            s->sofa, h->R, h->M, h->N, rate);
        goto done;
    }
    mysofa_tocartesian(h);
    /* Receiver 0 is the left ear when it lies on +y (SOFA's listener looks along +x). */
    const unsigned left = h->ReceiverPosition.values && h->ReceiverPosition.elements >= 6 &&
                                  h->ReceiverPosition.values[1] < h->ReceiverPosition.values[4]
                              ? 1
                              : 0;
    const unsigned ear[2] = {left, 1 - left};
    unsigned at[2];
    for (int sp = 0; sp < 2; sp++) {
        const double az = sp == 0 ? s->azimuth_deg : -s->azimuth_deg;
        at[sp] = nearest(h, az, s->elevation_deg);
        direction_of(h, at[sp], &out->found_deg[sp][0], &out->found_deg[sp][1]);
    }
    size_t n_delay = 0;
    for (int sp = 0; sp < 2; sp++)
        for (int k = 0; k < 2; k++)
            n_delay = delay_of(h, at[sp], ear[k]) > n_delay ? delay_of(h, at[sp], ear[k]) : n_delay;
    out->rate_hz = rate;
    out->n_taps = h->N + n_delay;
    for (int sp = 0; sp < 2; sp++)
        for (int k = 0; k < 2; k++) {
            float **cell = &out->cells[sp * 2 + k]; /* LL, LR, RL, RR */
            *cell = hrir(h, at[sp], ear[k], delay_of(h, at[sp], ear[k]), out->n_taps);
            if (!*cell)
                e = CANSIM_ENOMEM;
        }
    if (!e && s->room.is_set && (e = add_images(h, s, ear, out)) == CANSIM_EPROFILE) {
        cansim_diag_set(diag, e, "%s: a speaker %g m away at %g degrees is outside the room", who,
                        s->room.distance_m, s->azimuth_deg);
        goto done;
    }
    if (!e)
        e = df_curve(h, out->rate_hz, &out->df_eq);
    if (e)
        cansim_diag_set(diag, e, "%s: %s", s->sofa,
                        e == CANSIM_ENOMEM ? "out of memory" : "cannot plan an FFT");
done:
    mysofa_free(h);
    if (e)
        cansim_hrtf_free(out);
    return e;
}

int cansim_hrtf_cells(const CansimHrtfSet *s, double rate_hz, const float *eq, size_t n_eq,
                      float *cells[4], size_t *n_taps, CansimDiag *diag)
{
    for (int c = 0; c < 4; c++)
        cells[c] = NULL;
    *n_taps = 0;
    const double ratio = rate_hz / s->rate_hz;
    if (!src_is_valid_ratio(ratio))
        return cansim_diag_set(diag, CANSIM_ERATE, "cannot convert %g Hz to %g Hz", s->rate_hz,
                               rate_hz);
    /* The measured HRIRs begin after a delay (MIT's 33 samples before the ipsilateral onset),
     * so the converter's ringing before their first tap is near zero and nothing is cut. */
    const size_t n_hrir = ratio == 1.0 ? s->n_taps : (size_t)ceil((double)s->n_taps * ratio);
    float *in = cansim_alloc_floats(s->n_taps * 4 > n_hrir ? s->n_taps * 4 : n_hrir);
    float *res = cansim_alloc_floats((n_hrir + 1) * 4);
    const size_t n = n_hrir + n_eq - 1;
    int e = in && res ? CANSIM_OK : CANSIM_ENOMEM;
    for (int c = 0; c < 4 && !e; c++)
        if (!(cells[c] = cansim_alloc_floats(n)))
            e = CANSIM_ENOMEM;
    if (e)
        goto done;
    for (size_t i = 0; i < s->n_taps; i++)
        for (int c = 0; c < 4; c++)
            in[i * 4 + (size_t)c] = s->cells[c][i];
    if (ratio == 1.0) {
        memcpy(res, in, s->n_taps * 4 * sizeof *res);
    } else {
        SRC_DATA d = {.data_in = in,
                      .data_out = res,
                      .input_frames = (long)s->n_taps,
                      .output_frames = (long)(n_hrir + 1),
                      .src_ratio = ratio};
        const int se = src_simple(&d, SRC_SINC_BEST_QUALITY, 4);
        if (se) {
            e = cansim_diag_set(diag, CANSIM_ERATE, "libsamplerate: %s", src_strerror(se));
            goto done;
        }
        /* A response sampled faster has proportionally more taps under the same curve. */
        for (size_t i = 0; i < (size_t)d.output_frames_gen * 4; i++)
            res[i] *= (float)(1.0 / ratio);
        memset(res + (size_t)d.output_frames_gen * 4, 0,
               (n_hrir + 1 - (size_t)d.output_frames_gen) * 4 * sizeof *res);
    }
    for (int c = 0; c < 4 && !e; c++) {
        for (size_t i = 0; i < n_hrir; i++)
            in[i] = res[i * 4 + (size_t)c];
        e = cansim_fft_convolve(in, n_hrir, eq, n_eq, cells[c]);
    }
    if (e)
        goto done;
    *n_taps = n;
done:
    if (e && e != CANSIM_ERATE)
        cansim_diag_set(diag, e, "%s", e == CANSIM_ENOMEM ? "out of memory" : "cannot plan an FFT");
    if (e)
        for (int c = 0; c < 4; c++) {
            cansim_free(cells[c]);
            cells[c] = NULL;
        }
    cansim_free(in);
    cansim_free(res);
    return e;
}

/* sim + the equalisation on the union of their grids, so neither loses a point. */
static int equalised(const CansimCurve *sim, const CansimCurve *eq, CansimCurve *out)
{
    if (cansim_curve_alloc(out, sim->n + eq->n))
        return CANSIM_ENOMEM;
    size_t i = 0, j = 0, u = 0;
    while (i < sim->n || j < eq->n) {
        const double f =
            j == eq->n || (i < sim->n && sim->hz[i] < eq->hz[j]) ? sim->hz[i++] : eq->hz[j++];
        if (u && f <= out->hz[u - 1])
            continue;
        out->hz[u] = f;
        out->db[u] = cansim_curve_eval(sim, f) + cansim_curve_eval(eq, f);
        u++;
    }
    out->n = u;
    return CANSIM_OK;
}

/* The room's diffuse tail, added to the set's cells at its own rate shaped by the set's
 * diffuse-field response (the inverse of its equalisation, as a minimum-phase FIR), so that
 * equalised it is flat, like the diffuse field a neutral pair makes at a neutral ear. */
static int room_tail(const CansimHrtfSpec *s, CansimHrtfSet *set, const CansimDesignParams *dp,
                     const CansimKernels *k, CansimDiag *diag)
{
    CansimCurve shape;
    if (cansim_curve_alloc(&shape, set->df_eq.n))
        return cansim_diag_set(diag, CANSIM_ENOMEM, "out of memory");
    for (size_t i = 0; i < shape.n; i++) {
        shape.hz[i] = set->df_eq.hz[i];
        shape.db[i] = -set->df_eq.db[i];
    }
    float *taps = NULL;
    size_t n = 0;
    int e = cansim_design_minphase(&shape, set->rate_hz, dp, k, &taps, &n, diag);
    cansim_curve_free(&shape);
    if (!e && (e = cansim_room_add_tail(&s->room, set->rate_hz, set->tail_start_s,
                                        set->early_energy, taps, n, set->cells, set->n_taps)))
        cansim_diag_set(diag, e, "%s", e == CANSIM_ENOMEM ? "out of memory" : "room tail");
    cansim_free(taps);
    return e;
}

int cansim_hrtf_design(const CansimHrtfSpec *s, const char *who, const CansimCurve *sim,
                       const CansimDesignParams *dp, double rate_hz, const CansimKernels *k,
                       float *cells[4], size_t *n_taps, CansimDiag *diag)
{
    for (int c = 0; c < 4; c++)
        cells[c] = NULL;
    *n_taps = 0;
    CansimHrtfSet set;
    int e = cansim_hrtf_load(s, who, &set, diag);
    if (e)
        return e;
    if (s->room.is_set && (e = room_tail(s, &set, dp, k, diag))) {
        cansim_hrtf_free(&set);
        return e;
    }
    CansimCurve curve;
    float *eq = NULL;
    size_t n_eq = 0;
    if (equalised(sim, &set.df_eq, &curve)) {
        cansim_hrtf_free(&set);
        return cansim_diag_set(diag, CANSIM_ENOMEM, "%s: out of memory", who);
    }
    /* Minimum phase: the equalisation is common to the four paths, so no phase of it moves
     * the interaural time or level differences; minimum phase adds no latency and no
     * pre-echo, like every other profile's filter, while a linear-phase one would delay the
     * pair by half its length (tens of milliseconds for the bass boost) and ring before
     * transients. The HRIRs themselves keep their measured phase (the ITD). */
    e = cansim_design_minphase(&curve, rate_hz, dp, k, &eq, &n_eq, diag);
    if (!e)
        e = cansim_hrtf_cells(&set, rate_hz, eq, n_eq, cells, n_taps, diag);
    cansim_free(eq);
    cansim_curve_free(&curve);
    cansim_hrtf_free(&set);
    return e;
}
