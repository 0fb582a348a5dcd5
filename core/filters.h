/* SPDX-License-Identifier: MIT */
/* Filter sets: every profile realised at one rate as partition spectra for the engine, and
 * the cache of the last few rates' sets. */
#ifndef CANSIM_FILTERS_H
#define CANSIM_FILTERS_H

#include "internal.h"

/* Level matching predicts an output's loudness from the input's short-time spectra (100 ms
 * hop). A filter delays energy by up to its length: within one hop that stays inside the five
 * frames the gating check's wide estimate already spans (level_gate.c), so its doubts cover
 * it; a filter whose energy lasts longer (a room) smears it across gating blocks beyond what
 * the check sees, so outputs through such filters are measured instead (render_file.c). */
#define CANSIM_SHORT_FILTER_S 0.1
#define CANSIM_N_CACHED_RATES 4

/* One profile's matrix at the render's rate, as partition spectra. */
typedef struct CansimFilter {
    size_t n_taps;
    size_t n_parts;
    float *h;            /* n_parts x 8 planes x nb: per cell X->Y its re and im planes */
    unsigned char *mask; /* per partition: bit c set when cell c has a nonzero tap there */
    unsigned out_mask;   /* bit o set when some cell feeds output o */
    bool is_short;       /* 99.9 % of its energy within CANSIM_SHORT_FILTER_S */
    bool is_ms;          /* symmetric (LL = RR, LR = RL != 0): runs as mid and side cells */
    int status;          /* a profile that cannot be realised at this rate fails its outputs */
    CansimDiag diag;
    float *level_w;               /* the loudness prediction's per-bin weights (loudness.h) */
    struct CansimTrWeights *tr_w; /* translation: its per-bin weights (translation.h) */
} CansimFilter;

/* Every profile realised at one rate. */
typedef struct CansimFilterSet {
    double rate_hz; /* 0: unused */
    CansimFilter *filters;
    size_t max_parts;
    bool has_ms; /* some filter runs as mid/side, so blocks need mid/side spectra */
    uint64_t last_used;
} CansimFilterSet;

/* A few rates stay cached, so a batch that alternates rates designs each (profile, rate) once. */
typedef struct CansimFilterCache {
    CansimFilterSet sets[CANSIM_N_CACHED_RATES];
    uint64_t clock;
} CansimFilterCache;

/* What a set is made of: the profiles, and the engine's transform (the rfft kernel of n_fft =
 * 2 n_part points with its twiddle table tw, spectra of n_bins bins). */
typedef struct CansimFilterSpec {
    const CansimProfile *const *profiles;
    size_t n_profiles;
    const CansimDesignConfig *design;
    const CansimKernels *k;
    const float *tw;
    size_t n_part;
    size_t n_fft;
    size_t n_bins;
    float *z; /* 2 n_bins floats: the transform's scratch */
} CansimFilterSpec;

/* The set for rate_hz: from the cache, or built (evicting the least recently used). A profile
 * that cannot be realised is recorded in its filter (status, diag), not returned: only its
 * outputs fail.
 * @return CANSIM_OK, or CANSIM_ENOMEM with diag */
int cansim_filters_get(CansimFilterCache *c, const CansimFilterSpec *s, double rate_hz,
                       const CansimFilterSet **out, CansimDiag *diag);

/* Frees every cached set. */
void cansim_filters_free(CansimFilterCache *c, size_t n_profiles);

#endif
