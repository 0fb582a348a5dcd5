/* SPDX-License-Identifier: MIT */
/* bs2b crossfeed: its two paths as impulse responses, and their folding into a 2x2 matrix. */
#ifndef CANSIM_CROSSFEED_H
#define CANSIM_CROSSFEED_H

#include "internal.h"

/* bs2b's documented ranges (libbs2b's BS2B_MINFCUT..MAXFCUT, BS2B_MINFEED..MAXFEED). */
#define CANSIM_BS2B_MIN_HZ 300
#define CANSIM_BS2B_MAX_HZ 2000
#define CANSIM_BS2B_MIN_DB 1
#define CANSIM_BS2B_MAX_DB 15

/* The direct (same side) and cross path impulse responses at rate_hz, in double, n_taps long
 * (calloc'ed; the caller frees both). */
int cansim_crossfeed_irs(double rate_hz, double cut_hz, double feed_db, double **direct,
                         double **cross, size_t *n_taps);

/* The matrix of crossfeed followed by the cells (NULL = zero cell), n_taps each: out[X->Y] =
 * sum over K of crossfeed(X->K) * cells[K->Y]; *n_out = n_taps + crossfeed length - 1. out's
 * cells come from cansim_alloc_floats() (NULL where zero). */
int cansim_crossfeed_apply(const float *const cells[4], size_t n_taps, double rate_hz,
                           double cut_hz, double feed_db, float *out[4], size_t *n_out);

#endif
