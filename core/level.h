/* SPDX-License-Identifier: MIT */
/* The level plan of each output (its gain from the predicted loudness change), the ceiling,
 * the finish after the render (measured or predicted loudness, exact correction, ceiling) and
 * the notice of an output not at the level asked. Analysis and the finishing pass's file
 * rewrite are loudness.c's. */
#ifndef CANSIM_LEVEL_H
#define CANSIM_LEVEL_H

#include "internal.h"
#include "output.h"

/* Inputs under this loudness have their float outputs measured, not predicted: near the gate a
 * few blocks decide the gating, and the prediction can miss by more than an LU. */
#define CANSIM_NEAR_GATE_LUFS (-60.0)

/* The level plan's gain of one output: the predicted loudness change change_db (output -
 * input, loudness.c) undone (match) or moved to the target, or 0 (off, below the gate, or no
 * prediction). */
double cansim_plan_gain_db(const CansimRenderConfig *cfg, double change_db, double input_lufs,
                           bool is_below_gate);

/* The highest true peak an output may have (dBTP): the ceiling, and for integer and FLAC
 * outputs, without one, just under full scale (they cannot hold it after dither); float
 * outputs without a ceiling have none (HUGE_VAL). */
double cansim_ceiling_db(const CansimRenderConfig *cfg, bool is_float_out);

/* The dither seed of a profile's output: the same from run to run, at any thread count and
 * wherever the profile stands in the selection (a hash of its id). */
uint64_t cansim_dither_seed(uint64_t user_seed, const char *profile_id);

/* A float output (o->part, o->n_frames frames) rescaled, losslessly, by corr_db: in place in
 * a WAV or RF64 file, else o->part is replaced by a rewritten temporary file. */
int cansim_rewrite_float(CansimFileOut *o, int sf_format, int rate_hz, double corr_db,
                         const CansimKernels *k, CansimDiag *diag);

/* What finishing one rendered output needs. */
typedef struct CansimFinish {
    int sf_format;
    int rate_hz;
    bool is_float_out;
    bool is_below_gate;     /* the input is below the gate: no level was planned */
    double target;          /* the loudness aimed at (LUFS), NaN when none */
    double gain_db;         /* the gain it was rendered at */
    double pred_lufs;       /* its predicted loudness before gain (NaN without a prediction) */
    uint64_t seed;          /* its dither seed (cansim_dither_seed()) */
    const CansimKernels *k; /* the finishing kernels */
} CansimFinish;

/* One output's level after its render, before its correction. */
typedef struct CansimLevelIn {
    bool is_ok;       /* complete, waiting for its finish */
    bool is_leveled;  /* it aims at a target it can reach (level on, it and the input above
                         the gate): it takes part in the drawer's common level */
    bool is_measured; /* lufs was measured on it, not predicted */
    double lufs;      /* its loudness at the render gain */
    double want_db;   /* the correction that puts it on its target (0 when predicted) */
    double peak_db;   /* its peak at the render gain (cansim_peak_db()) */
    double ceiling_db;
} CansimLevelIn;

/* Each output's correction on top of its render gain. */
typedef struct CansimLevelCorr {
    double corr_db;
    bool is_limited;  /* lowered to hold the ceiling (its own, or the limiting output's) */
    bool is_limiting; /* the output whose ceiling set the common level */
    double drawer_db; /* the part of corr_db that is the drawer's common level (<= 0; 0 with
                         CANSIM_LEVEL_SCOPE_PROFILE): a cut every render shares, not a change
                         of this profile's own, which the translation leaves out */
} CansimLevelCorr;

/* What the render says of output o: its level before correction (in->is_ok is the caller's). */
void cansim_level_assess(const CansimRenderConfig *cfg, const CansimFinish *f,
                         const CansimFileOut *o, CansimLevelIn *in);

/* The corrections of n outputs of one input or gain group: each its own (exact correction,
 * held under its ceiling); with CANSIM_LEVEL_SCOPE_DRAWER, when the ceiling stops some leveled
 * output from reaching its target, every leveled output takes the level the most limited one
 * reaches (the first such in order, on a tie). Outputs that are not is_ok get nothing. */
void cansim_level_correct(const CansimRenderConfig *cfg, const CansimLevelIn *in, size_t n,
                          CansimLevelCorr *out);

/* Writes output o at its correction (from memory, its float intermediate, or by rewriting its
 * float file when the correction is not 0), fills res's levels and notice, and leaves it
 * complete under o->part (not yet renamed).
 * @return CANSIM_OK or the write's code, with diag */
int cansim_finish_output(const CansimRenderConfig *cfg, const CansimFinish *f,
                         const CansimLevelIn *in, const CansimLevelCorr *c, CansimFileOut *o,
                         CansimOutputResult *res, CansimDiag *diag);

#endif
