/* SPDX-License-Identifier: MIT */
/* The translation's band energies of every analysis frame, for every set at once.
 *
 * A frame's energy in a band is the sum over the band's bins of the input's spectra weighted
 * by the set's |H|^2 terms (translation.c). The sums run on the wlanes kernel: per bin, one
 * pass over the four spectra gives both the output's term and (with cross paths) the mid's, for
 * up to four frames at once (the weights loaded once for all of them), each band's (and the
 * mid's) 16 float lanes added once, in double, at the end. A block of frames is taken set by
 * set, band by band; a frame's sums are made in one fixed order (band by band), whichever thread
 * makes them and whichever frames share its calls, so they are the same bits at any thread
 * count. (Tiles of bins, so that a block's spectra stayed in the second-level cache while every
 * set met them, measured slower than whole bands with this kernel: the weights' loads shared by
 * four frames, not the spectra's by every set, are what the sums wait on.) */
#include "translation_state.h"

/* Per set and frame of a block: the lanes of each band, then the mid's (Re C for the input). */
#define LANES      CANSIM_WDOT_LANES
#define ACC_SUMS   (CANSIM_N_BANDS + 1)
#define ACC_FLOATS (ACC_SUMS * LANES)
#define FRAMES     CANSIM_WLANES_MAX_FRAMES

/* Adds nf frames (from spectra p, nbp apart) to their lanes a (ACC_FLOATS each, consecutive)
 * for set weights w (NULL: the input: its own energy per band, and Re C in the mid's lanes). */
static void frame_lanes(const CansimTrAnalysis *t, const CansimTrWeights *w, const float *p,
                        size_t nbp, size_t nf, float *a)
{
    const bool cross = w && w->has_cross;
    /* plain: one plane against P_LL + P_RR; otherwise the four (and the mid's four) */
    const bool plain = !w || (w->is_plain && !cross);
    const size_t plane0 = plain ? 4 * nbp : 0;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        const size_t lo = t->lo[b], hi = t->hi[b];
        if (lo >= hi)
            continue;
        float *acc[2 * FRAMES];
        const float *pf[FRAMES], *pm[FRAMES];
        for (size_t f = 0; f < nf; f++) {
            float *af = a + f * ACC_FLOATS;
            pf[f] = p + f * SPEC_PLANES * nbp + plane0 + lo;
            pm[f] = p + f * SPEC_PLANES * nbp + 2 * nbp + lo;
            acc[cross ? 2 * f : f] = af + (size_t)b * LANES;
            if (cross)
                acc[2 * f + 1] = af + (size_t)CANSIM_N_BANDS * LANES;
        }
        t->wlanes(acc, w ? w->w + lo : NULL, pf, nbp, plain ? 1 : 4, cross ? 2 : 1, nf, hi - lo);
        if (!w) {
            /* the input's Re C, over the same bins */
            for (size_t f = 0; f < nf; f++)
                acc[f] = a + f * ACC_FLOATS + (size_t)CANSIM_N_BANDS * LANES;
            t->wlanes(acc, NULL, pm, nbp, 1, 1, nf, hi - lo);
        }
    }
}

/* A frame's row from its lanes: the bands, then mid and side. */
static void finish_row(const CansimTrWeights *w, bool is_input, const float *lanes, float *row)
{
    double a[ACC_SUMS];
    for (int k = 0; k < ACC_SUMS; k++) {
        a[k] = 0.0;
        for (size_t q = 0; q < LANES; q++)
            a[k] += (double)lanes[(size_t)k * LANES + q];
    }
    double sum = 0.0;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        row[b] = (float)a[b];
        sum += a[b];
    }
    const double mid = a[CANSIM_N_BANDS];
    if (is_input) {
        /* |X_L +- X_R|^2 = P_LL + P_RR +- 2 Re C. */
        row[ROW_MID] = (float)(sum + 2.0 * mid);
        row[ROW_SIDE] = (float)(sum - 2.0 * mid);
        return;
    }
    /* |Y_L - Y_R|^2 = 2 (|Y_L|^2 + |Y_R|^2) - |Y_L + Y_R|^2: one weighted sum, not two. */
    row[ROW_MID] = w->has_cross ? (float)mid : 0.0f;
    row[ROW_SIDE] = w->has_cross ? (float)(2.0 * sum - mid) : 0.0f;
}

void cansim_translation_block(CansimTrAnalysis *t, const float *spec, size_t nbp, size_t i0,
                              size_t i1, size_t f0)
{
    for (size_t j = 0; j <= t->n; j++) {
        const CansimTrWeights *w = j < t->n ? t->w[j] : NULL;
        if (j < t->n && !w)
            continue;
        for (size_t i = i0; i < i1; i += FRAMES) {
            const size_t nf = i1 - i < FRAMES ? i1 - i : FRAMES;
            float acc[FRAMES * ACC_FLOATS] = {0};
            frame_lanes(t, w, spec + i * SPEC_PLANES * nbp, nbp, nf, acc);
            for (size_t f = 0; f < nf; f++)
                finish_row(w, j == t->n, acc + f * ACC_FLOATS, t->rows[j] + (f0 + i + f) * ROW);
        }
    }
}
