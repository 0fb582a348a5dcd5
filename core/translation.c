/* SPDX-License-Identifier: MIT */
/* The translation report: where each output changes the mix. The level analysis already has,
 * for every 100 ms hop, the input's power and cross spectra (loudness.c); the render is linear
 * and time invariant, so the energy of an output in a band during a frame is the sum over the
 * band's bins of those spectra weighted by the profile's |H|^2 terms (the level weights
 * without the K-weighting). Summing per band instead of over all bins gives each output's band
 * energies frame by frame, exact for the render up to the analysis' frequency resolution
 * (rate / 2H, 5 Hz) and its window's edges, with no second pass. The frames are kept (ten
 * floats per frame and profile, 1.4 MB an hour) until the end, where BS.1770's gate over the
 * input says which frames are the active part. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "loudness.h"
#include "translation_state.h"

/* The band table (docs/translation.md): lower edge inclusive, upper exclusive. */
static const struct {
    const char *name;
    double lo_hz, hi_hz;
} BANDS[CANSIM_N_BANDS] = {
    {"sub", 20.0, 60.0},
    {"bass", 60.0, 150.0},
    {"low-mid", 150.0, 400.0},
    {"mid", 400.0, 1000.0},
    {"upper-mid", 1000.0, 2500.0},
    {"presence", 2500.0, 5000.0},
    {"brilliance", 5000.0, 10000.0},
    {"air", 10000.0, 20000.0},
};

/* A band whose input energy is under this fraction of the input's total says nothing. */
#define EMPTY_BAND 1e-10
/* Moments: windows of CANSIM_MOMENT_S every MOMENT_STEP_S; a window counts when at least half
 * of it is active and the band's input energy there is at least MOMENT_FLOOR of its mean (a
 * passage where the band is nearly empty has a change of no consequence). */
#define MOMENT_STEP_S 1.0
#define MOMENT_FLOOR  0.01

const char *cansim_band_name(int band, double *lo_hz, double *hi_hz)
{
    if (band < 0 || band >= CANSIM_N_BANDS)
        return NULL;
    if (lo_hz)
        *lo_hz = BANDS[band].lo_hz;
    if (hi_hz)
        *hi_hz = BANDS[band].hi_hz;
    return BANDS[band].name;
}

int cansim_translation_open(CansimTrAnalysis **out, size_t n, double rate_hz, size_t hop,
                            const CansimKernels *k)
{
    CansimTrAnalysis *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t || !(t->rows = calloc(n + 1, sizeof *t->rows)) ||
        !(t->w = calloc(n + 1, sizeof *t->w))) {
        if (t)
            free(t->rows);
        free(t);
        return CANSIM_ENOMEM;
    }
    t->n = n;
    t->wlanes = k->wlanes;
    t->rate_hz = rate_hz;
    t->hop = hop;
    /* Bin i is at i rate / 2H; the last is Nyquist. */
    const double bin_hz = rate_hz / (2.0 * (double)t->hop);
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        size_t lo = (size_t)ceil(BANDS[b].lo_hz / bin_hz);
        size_t hi = (size_t)ceil(BANDS[b].hi_hz / bin_hz);
        hi = hi > t->hop + 1 ? t->hop + 1 : hi;
        t->lo[b] = lo < hi ? lo : hi;
        t->hi[b] = hi;
    }
    *out = t;
    return CANSIM_OK;
}

void cansim_translation_close(CansimTrAnalysis **tp)
{
    if (!tp || !*tp)
        return;
    CansimTrAnalysis *t = *tp;
    for (size_t j = 0; j <= t->n; j++)
        free(t->rows[j]);
    free(t->rows);
    free(t->w);
    free(t->active);
    free(t);
    *tp = NULL;
}

void cansim_translation_use(CansimTrAnalysis *t, size_t j, const CansimTrWeights *w)
{
    t->w[j] = w;
}

int cansim_translation_reserve(CansimTrAnalysis *t, size_t n_frames)
{
    if (n_frames <= t->cap)
        return CANSIM_OK;
    for (size_t j = 0; j <= t->n; j++) {
        if (j < t->n && !t->w[j])
            continue;
        float *p = realloc(t->rows[j], n_frames * ROW * sizeof *p);
        if (!p)
            return CANSIM_ENOMEM;
        t->rows[j] = p;
    }
    t->cap = n_frames;
    return CANSIM_OK;
}

void cansim_translation_gate(CansimTrAnalysis *t, const double *e, size_t n_e, size_t hop)
{
    free(t->active);
    t->active = NULL;
    t->n_frames = 0;
    const double gate = cansim_level_gate(e, n_e, hop);
    if (gate == HUGE_VAL || !(t->active = calloc(n_e, sizeof *t->active)))
        return;
    /* Block k holds 100 ms segments k .. k + 3; frame m covers segments m - 1 and m, half each. */
    unsigned char *seg = calloc(n_e, 1);
    if (!seg) {
        free(t->active);
        t->active = NULL;
        return;
    }
    for (size_t k = 0; k + 4 < n_e; k++)
        if (cansim_level_block(e, k, hop) >= gate)
            memset(seg + k, 1, 4);
    for (size_t m = 0; m < n_e; m++)
        t->active[m] = 0.5 * ((m ? seg[m - 1] : 0) + seg[m]);
    free(seg);
    t->n_frames = n_e;
}

static double ratio_db(double out, double in)
{
    return out > 0.0 && in > 0.0 ? 10.0 * log10(out / in) : (double)NAN;
}

/* Orders moments by rise, highest first; ties by band, then time (a total order). */
static int cmp_moment(const void *a, const void *b)
{
    const CansimMoment *x = a, *y = b;
    if (x->rise_db != y->rise_db)
        return x->rise_db > y->rise_db ? -1 : 1;
    if (x->band != y->band)
        return x->band < y->band ? -1 : 1;
    return x->start_s < y->start_s ? -1 : x->start_s > y->start_s;
}

/* Band b's windows of set j rising most above change_db (its change without gain), at most
 * CANSIM_N_MOMENTS, not overlapping, highest first, into out; returns how many. */
static size_t band_moments(const CansimTrAnalysis *t, size_t j, int b, double change_db,
                           double mean_in, CansimMoment *out)
{
    const double hop_s = (double)t->hop / t->rate_hz;
    const size_t win = (size_t)lround(CANSIM_MOMENT_S / hop_s);
    const size_t step = (size_t)lround(MOMENT_STEP_S / hop_s);
    const float *in = t->rows[t->n], *o = t->rows[j];
    size_t n_out = 0;
    size_t chosen[CANSIM_N_MOMENTS];
    for (size_t round = 0; round < CANSIM_N_MOMENTS && t->n_frames >= win; round++) {
        double best = 0.0;
        size_t best_m = SIZE_MAX;
        for (size_t m0 = 0; m0 + win <= t->n_frames; m0 += step) {
            bool is_taken = false;
            for (size_t c = 0; c < n_out; c++)
                is_taken = is_taken || (m0 + win > chosen[c] && chosen[c] + win > m0);
            if (is_taken)
                continue;
            double a = 0.0, ein = 0.0, eout = 0.0;
            for (size_t m = m0; m < m0 + win; m++) {
                a += t->active[m];
                ein += t->active[m] * (double)in[m * ROW + (size_t)b];
                eout += t->active[m] * (double)o[m * ROW + (size_t)b];
            }
            if (a < 0.5 * (double)win || ein < MOMENT_FLOOR * mean_in * a)
                continue;
            const double rise = ratio_db(eout, ein) - change_db;
            if (rise > best) {
                best = rise;
                best_m = m0;
            }
        }
        if (best_m == SIZE_MAX)
            break;
        chosen[n_out] = best_m;
        const double t0 = ((double)best_m - 0.5) * hop_s;
        out[n_out++] = (CansimMoment){.band = b,
                                      .start_s = t0 > 0.0 ? t0 : 0.0,
                                      .end_s = t0 + (double)win * hop_s,
                                      .rise_db = best};
    }
    return n_out;
}

void cansim_translation_result(const CansimTrAnalysis *t, size_t j, double gain_db,
                               CansimTranslation *out)
{
    const double nan = (double)NAN;
    *out = (CansimTranslation){.is_valid = false, .overall_db = nan, .side_db = nan};
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        out->band_db[b] = nan;
        out->band_top[b] = (CansimMoment){.band = -1, .start_s = nan, .end_s = nan, .rise_db = nan};
    }
    for (int k = 0; k < CANSIM_N_MOMENTS; k++)
        out->moments[k] = out->band_top[0];
    if (!t || j >= t->n || !t->w[j] || !t->active || !isfinite(gain_db))
        return;
    double in[ROW] = {0}, o[ROW] = {0}, a = 0.0;
    for (size_t m = 0; m < t->n_frames; m++) {
        const double am = t->active[m];
        a += am;
        for (size_t c = 0; c < ROW; c++) {
            in[c] += am * (double)t->rows[t->n][m * ROW + c];
            o[c] += am * (double)t->rows[j][m * ROW + c];
        }
    }
    double total_in = 0.0;
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        total_in += in[b];
    out->is_valid = total_in > 0.0;
    double sq = 0.0;
    int n_finite = 0;
    CansimMoment cand[CANSIM_N_BANDS * CANSIM_N_MOMENTS];
    size_t n_cand = 0;
    for (int b = 0; b < CANSIM_N_BANDS && out->is_valid; b++) {
        if (!(in[b] > EMPTY_BAND * total_in))
            continue;
        const double change = ratio_db(o[b], in[b]);
        if (!isfinite(change))
            continue;
        out->band_db[b] = change + gain_db;
        sq += out->band_db[b] * out->band_db[b];
        n_finite++;
        const size_t k = band_moments(t, j, b, change, in[b] / a, cand + n_cand);
        if (k)
            out->band_top[b] = cand[n_cand];
        n_cand += k;
    }
    out->overall_db = n_finite ? sqrt(sq / n_finite) : nan;
    const CansimTrWeights *w = t->w[j];
    if (w->has_cross && in[ROW_SIDE] > EMPTY_BAND * (in[ROW_MID] + in[ROW_SIDE]))
        out->side_db = ratio_db(o[ROW_SIDE], o[ROW_MID]) - ratio_db(in[ROW_SIDE], in[ROW_MID]);
    qsort(cand, n_cand, sizeof *cand, cmp_moment);
    for (size_t k = 0; k < n_cand && k < CANSIM_N_MOMENTS; k++)
        out->moments[k] = cand[k];
}

void cansim_translation_regain(CansimTranslation *t, double db)
{
    if (!t->is_valid || db == 0.0)
        return;
    double sq = 0.0;
    int n_finite = 0;
    for (int b = 0; b < CANSIM_N_BANDS; b++)
        if (isfinite(t->band_db[b])) {
            t->band_db[b] += db;
            sq += t->band_db[b] * t->band_db[b];
            n_finite++;
        }
    t->overall_db = n_finite ? sqrt(sq / n_finite) : (double)NAN;
}

int cansim_translation_drawer(const CansimTranslation *t, size_t n, CansimTranslationDrawer *out)
{
    if (!t || !out || (n && !out->rank))
        return CANSIM_EINVAL;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        out->spread_db[b] = (double)NAN;
        out->lowest[b] = out->highest[b] = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            const double v = t[i].band_db[b];
            if (!t[i].is_valid || !isfinite(v))
                continue;
            if (out->lowest[b] == SIZE_MAX || v < t[out->lowest[b]].band_db[b])
                out->lowest[b] = i;
            if (out->highest[b] == SIZE_MAX || v > t[out->highest[b]].band_db[b])
                out->highest[b] = i;
        }
        if (out->lowest[b] != SIZE_MAX)
            out->spread_db[b] = t[out->highest[b]].band_db[b] - t[out->lowest[b]].band_db[b];
    }
    out->n_ranked = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i].is_valid)
            out->rank[out->n_ranked++] = i;
    /* Highest overall_db first, NaN last, ties by index: an insertion sort (stable, and
     * qsort's comparator could not see t without a global). */
    for (size_t i = 1; i < out->n_ranked; i++)
        for (size_t k = i; k > 0; k--) {
            const double x = t[out->rank[k]].overall_db, y = t[out->rank[k - 1]].overall_db;
            const bool fx = isfinite(x), fy = isfinite(y);
            if (!(fx && (!fy || x > y)))
                break;
            const size_t s = out->rank[k];
            out->rank[k] = out->rank[k - 1];
            out->rank[k - 1] = s;
        }
    return CANSIM_OK;
}

int cansim_translation_departure(const CansimTranslation *const *t, size_t n,
                                 size_t departs[CANSIM_N_BANDS], double by_db[CANSIM_N_BANDS])
{
    if (!t || !departs || !by_db)
        return CANSIM_EINVAL;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        departs[b] = SIZE_MAX;
        by_db[b] = (double)NAN;
        double sum = 0.0;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++)
            if (t[i] && t[i]->is_valid && isfinite(t[i]->band_db[b])) {
                sum += t[i]->band_db[b];
                cnt++;
            }
        if (cnt < 2)
            continue;
        for (size_t i = 0; i < n; i++) {
            if (!t[i] || !t[i]->is_valid || !isfinite(t[i]->band_db[b]))
                continue;
            const double v = t[i]->band_db[b];
            const double d = v - (sum - v) / (double)(cnt - 1);
            if (departs[b] == SIZE_MAX || fabs(d) > fabs(by_db[b])) {
                departs[b] = i;
                by_db[b] = d;
            }
        }
    }
    return CANSIM_OK;
}
