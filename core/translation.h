/* SPDX-License-Identifier: MIT */
/* The translation report (translation.c): band changes, side/mid change and moments of each
 * output, predicted from the short-time spectra the level analysis computes (loudness.c). */
#ifndef CANSIM_TRANSLATION_H
#define CANSIM_TRANSLATION_H

#include "internal.h"
#include "kernels.h"

/* One profile's per-bin weights for the translation at one rate (its |H|^2 terms without the
 * K-weighting), made with its filter set. */
typedef struct CansimTrWeights {
    float *w; /* 8 planes of nbp: total, mid; each w_LL, w_RR, w_Cre, w_Cim */
    size_t nbp;
    bool is_plain;  /* total: equal L and R planes, no cross terms */
    bool has_cross; /* an L->R or R->L cell: mid and side are reported */
} CansimTrWeights;

/* (translation_weights.c) */

int cansim_translation_weights(const float *const cells[4], size_t n_taps, double rate_hz,
                               CansimTrWeights **out);
void cansim_translation_weights_free(CansimTrWeights **w);

/* The translation of one analysis of n weight sets: per set given weights (the others are
 * skipped) and for the input, the band energies of every analysis frame. */
typedef struct CansimTrAnalysis CansimTrAnalysis;

/* n sets at rate_hz, analysis frames of hop (cansim_level_hop()); band sums by k's wlanes
 * (the renderer's kernel table). */
int cansim_translation_open(CansimTrAnalysis **out, size_t n, double rate_hz, size_t hop,
                            const CansimKernels *k);
/* Set j's weights (borrowed; NULL: none); before the analysis. */
void cansim_translation_use(CansimTrAnalysis *t, size_t j, const CansimTrWeights *w);
void cansim_translation_close(CansimTrAnalysis **t);
/* Room for n_frames frames per set; called serially before cansim_translation_block(). */
int cansim_translation_reserve(CansimTrAnalysis *t, size_t n_frames);
/* Frames f0 + i0 .. f0 + i1 - 1 of every set with weights and of the input, from frames i0 ..
 * i1 - 1 of a chunk of spectra (planes P_LL, P_RR, C re, C im, P_LL + P_RR of nbp bins each,
 * loudness.c). Blocks may run on different threads; each touches only its own frames' rows
 * (translation_frames.c). */
void cansim_translation_block(CansimTrAnalysis *t, const float *spec, size_t nbp, size_t i0,
                              size_t i1, size_t f0);
/* The active part: BS.1770's gate over the input's K-weighted frame energies e (n_e frames). */
void cansim_translation_gate(CansimTrAnalysis *t, const double *e, size_t n_e, size_t hop);
/* Set j's translation with the output's gain (gain_db on top of the filter). */
void cansim_translation_result(const CansimTrAnalysis *t, size_t j, double gain_db,
                               CansimTranslation *out);

/* The translation of r's current filter set (after cansim_engine_begin()) at rate_hz, for
 * every profile whose lane is not failed and not skip[k] (skip may be NULL); *out stays NULL
 * without has_translation (translation_run.c). */
int cansim_translation_for(const CansimRender *r, const bool *skip, double rate_hz,
                           CansimTrAnalysis **out);
/* The input at path read for t alone (n sets): where no level analysis reads it. */
int cansim_translation_read(CansimTrAnalysis *t, const char *path, size_t n, int n_threads,
                            CansimDiag *diag);

/* t's figures moved by db more gain (a gain group's ceiling, after the member's result). */
void cansim_translation_regain(CansimTranslation *t, double db);

#endif
