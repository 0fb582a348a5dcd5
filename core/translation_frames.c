/* SPDX-License-Identifier: MIT */
/* The translation's band energies of every analysis frame, for every set at once.
 *
 * A frame's energy in a band is the sum over the band's bins of the input's spectra weighted
 * by the set's |H|^2 terms (translation.c). Done set by set, every set read the whole chunk of
 * spectra again (96 KB a frame at 48 kHz). Here a block of frames is taken at once and its bins
 * in tiles: one tile of the block's spectra (160 KB) stays in the second-level cache while
 * every set's tile of weights meets every frame of the block, so the spectra are read once per
 * block and each set's weights once per block, not once per frame. The sums run on the wdot
 * kernel. Each frame's sums are made in one fixed order (tile by tile, band by band, plane by
 * plane), so they are the same bits whichever thread makes them. */
#include <stdlib.h>

#include "translation_state.h"

/* Bins per tile: a block's spectra tile is CANSIM_TR_BLOCK x 5 planes x 4 KB. */
#define TILE 1024

/* sum of w * p over [lo, hi) (w NULL: of p), by the wdot kernel */
static double dot(const CansimTrAnalysis *t, const float *w, const float *p, size_t lo, size_t hi)
{
    return t->wdot(w ? w + lo : NULL, p + lo, 0, 1, hi - lo);
}

/* The same over 4 weight planes against the 4 spectra planes, nbp apart. */
static double dot4(const CansimTrAnalysis *t, const float *w, const float *p, size_t nbp, size_t lo,
                   size_t hi)
{
    return t->wdot(w + lo, p + lo, nbp, 4, hi - lo);
}

/* Adds one frame's tile [s, e) to its sums a (ROW doubles) for set weights w (NULL: the
 * input: its own energy per band, and Re C over all bands in a[ROW_MID]). */
static void tile_sums(const CansimTrAnalysis *t, const CansimTrWeights *w, const float *p,
                      size_t nbp, size_t s, size_t e, double *a)
{
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        const size_t lo = t->lo[b] > s ? t->lo[b] : s, hi = t->hi[b] < e ? t->hi[b] : e;
        if (lo >= hi)
            continue;
        a[b] += !w            ? dot(t, NULL, p + 4 * nbp, lo, hi)
                : w->is_plain ? dot(t, w->w, p + 4 * nbp, lo, hi)
                              : dot4(t, w->w, p, nbp, lo, hi);
    }
    if (!w)
        a[ROW_MID] += dot(t, NULL, p + 2 * nbp, s, e);
    else if (w->has_cross)
        /* |Y_L + Y_R|^2: the mid's own weights */
        a[ROW_MID] += dot4(t, w->w + 4 * nbp, p, nbp, s, e);
}

/* A frame's row from its sums: the bands, then mid and side. */
static void finish_row(const CansimTrWeights *w, bool is_input, const double *a, float *row)
{
    double sum = 0.0;
    for (int b = 0; b < CANSIM_N_BANDS; b++) {
        row[b] = (float)a[b];
        sum += a[b];
    }
    if (is_input) {
        /* |X_L +- X_R|^2 = P_LL + P_RR +- 2 Re C. */
        const double c2 = 2.0 * a[ROW_MID];
        row[ROW_MID] = (float)(sum + c2);
        row[ROW_SIDE] = (float)(sum - c2);
        return;
    }
    /* |Y_L - Y_R|^2 = 2 (|Y_L|^2 + |Y_R|^2) - |Y_L + Y_R|^2: one weighted sum, not two. */
    row[ROW_MID] = w->has_cross ? (float)a[ROW_MID] : 0.0f;
    row[ROW_SIDE] = w->has_cross ? (float)(2.0 * sum - a[ROW_MID]) : 0.0f;
}

int cansim_translation_block(CansimTrAnalysis *t, const float *spec, size_t nbp, size_t i0,
                             size_t i1, size_t f0)
{
    const size_t n_sets = t->n + 1, nf = i1 - i0;
    double *acc = calloc(n_sets * nf * ROW, sizeof *acc);
    if (!acc)
        return CANSIM_ENOMEM;
    const size_t all_lo = t->lo[0], all_hi = t->hi[CANSIM_N_BANDS - 1];
    for (size_t s = all_lo; s < all_hi; s += TILE) {
        const size_t e = s + TILE < all_hi ? s + TILE : all_hi;
        for (size_t j = 0; j < n_sets; j++) {
            const CansimTrWeights *w = j < t->n ? t->w[j] : NULL;
            if (j < t->n && !w)
                continue;
            for (size_t i = i0; i < i1; i++)
                tile_sums(t, w, spec + i * SPEC_PLANES * nbp, nbp, s, e,
                          acc + (j * nf + i - i0) * ROW);
        }
    }
    for (size_t j = 0; j < n_sets; j++) {
        const CansimTrWeights *w = j < t->n ? t->w[j] : NULL;
        if (j < t->n && !w)
            continue;
        for (size_t i = i0; i < i1; i++)
            finish_row(w, j == t->n, acc + (j * nf + i - i0) * ROW, t->rows[j] + (f0 + i) * ROW);
    }
    free(acc);
    return CANSIM_OK;
}
