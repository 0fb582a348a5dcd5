/* SPDX-License-Identifier: MIT */
/* The translation's analysis state, shared by its stages: translation.c (sets, gate, results)
 * and translation_frames.c (the band energies of every frame). Not part of any interface. */
#ifndef CANSIM_TRANSLATION_STATE_H
#define CANSIM_TRANSLATION_STATE_H

#include "kernels.h"
#include "translation.h"

/* Per frame and set: the band energies, then mid and side (L+R, L-R) energy over all bands. */
#define ROW         (CANSIM_N_BANDS + 2)
#define ROW_MID     CANSIM_N_BANDS
#define ROW_SIDE    (CANSIM_N_BANDS + 1)
#define SPEC_PLANES 5
struct CansimTrAnalysis {
    const CansimTrWeights **w; /* per set, borrowed (NULL: none) */
    size_t n;
    double rate_hz;
    size_t hop;
    size_t lo[CANSIM_N_BANDS], hi[CANSIM_N_BANDS]; /* bins of each band, [lo, hi) */
    float **rows; /* per set and the input: ROW per frame (floats: 40 bytes a frame) */
    size_t cap;
    double *active; /* per frame, its active share: 0, 0.5 or 1 */
    size_t n_frames;
    cansim_wlanes_fn *wlanes; /* the kernel of the band sums */
};

#endif
