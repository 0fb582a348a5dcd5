/* SPDX-License-Identifier: MIT */
/* One input file through every profile: open, convert, plan the levels, stream through the
 * engine into one file per profile, finish and rename. */
#ifndef CANSIM_RENDER_FILE_H
#define CANSIM_RENDER_FILE_H

#include "engine.h"
#include "output.h"

/* A gain group member's output, rendered at the group's gain and measured, waiting for the
 * group's ceiling before it is finished and renamed (group.c). */
typedef struct CansimPending {
    CansimFileOut o;
    int status;
    int sf_format;
    int rate_hz;
    bool is_float_out;
    bool is_true_peak; /* peak_db is a true peak (integer and FLAC outputs, or a ceiling) */
    double peak_db;    /* true peak, else sample peak */
    double lufs;       /* integrated loudness: measured, or predicted (is_measured false) */
    bool is_measured;
    double gain_db; /* the gain it was rendered at */
    uint64_t seed;
} CansimPending;

/* How a gain group's member is rendered: gain_db (per profile) replaces the level plan (its own
 * analysis only predicts its outputs' loudness; no exact correction), and the finish is
 * deferred: each output that completes stays as its intermediate, with its loudness (predicted,
 * or measured where the prediction cannot stand), in pend (per profile). */
typedef struct CansimMember {
    const double *gain_db;
    CansimPending *pend;
} CansimMember;

/* cansim_render_file(), or a group's member when m is not NULL. */
int cansim_render_input(CansimRender *r, const char *input_path, const char *output_dir,
                        const CansimFileOptions *opt, const CansimMember *m,
                        CansimOutputResult *results, CansimDiag *diag);

#endif
