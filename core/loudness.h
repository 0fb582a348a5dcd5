/* SPDX-License-Identifier: MIT */
/* Level matching: the input's loudness (core/meter.c), each profile's output loudness predicted
 * from the input's short-time spectra, and the finishing pass (gain, dither, format). */
#ifndef CANSIM_LOUDNESS_H
#define CANSIM_LOUDNESS_H

#include <sndfile.h>

#include "internal.h"
#include "kernels.h"

/* Analysis frames: hop H = libebur128's 100 ms, (rate + 5) / 10 frames; window 2H. */
size_t cansim_level_hop(double rate_hz);

/* Per-bin weights of one profile at rate_hz for the prediction: 4 planes of *n_bins floats
 * (w_LL, w_RR, w_Cre, w_Cim; see loudness.c). NULL cells allowed; all NULL gives the input's
 * own (identity) weights. Freed with cansim_free(). */
int cansim_level_weights(const float *const cells[4], size_t n_taps, double rate_hz, float **out,
                         size_t *n_bins);

typedef struct CansimLevelAnalysis {
    double input_lufs;           /* integrated (core/meter.c); -inf below the gate */
    double input_pred_lufs;      /* the same, by the spectral method */
    double *pred_lufs;           /* per weight set: predicted integrated loudness of the output */
    bool *is_unsure;             /* per weight set (or NULL): the gating makes the prediction
                                    doubtful (level_gate.c), so the output must be metered */
    struct CansimTrAnalysis *tr; /* optional: the translation's band energies on the same
                                    spectra (translation.c), its sets the weight sets' */
    cansim_wlanes_fn *wlanes;    /* the weighted sums' kernel (NULL: its C version) */
} CansimLevelAnalysis;

/* Reads path once (streaming): with has_meter, meters it (core/meter.c: integrated, mono as dual
 * mono; else input_lufs stays NaN), and predicts, for each of the n weight sets (NULL entries
 * skipped, result NaN), the integrated loudness of the input through that filter. pred_lufs
 * must hold n doubles. */
int cansim_level_analyse(const char *path, const float *const *weights, size_t n, int n_threads,
                         bool has_meter, CansimLevelAnalysis *a, CansimDiag *diag);

/* BS.1770 integrated loudness from the analysis' frame energies E_0..E_{n_e - 1} (100 ms hop
 * hop frames; n_e - 1 whole segments), -inf below the gates (level_gate.c). */
double cansim_level_gated(const double *e, size_t n_e, size_t hop);

/* The largest change (LU) of that loudness when the gates choose the blocks by the narrowest
 * or the widest estimate of their energies the frames allow: 0 when no block is in doubt. */
double cansim_level_gate_doubt(const double *e, size_t n_e, size_t hop);

/* Whether the predicted change out - in cannot be trusted to LEVEL_TRUST_LU: in_doubt (the
 * input's cansim_level_gate_doubt) plus the output's, or the change by either bound, too
 * large. false when the input is below the gate. */
bool cansim_level_is_unsure(const double *out, const double *in, size_t n_e, size_t hop,
                            double in_doubt);

/* Mean square of 400 ms gating block k (frames k .. k + 4) of frame energies e, as the gates
 * see it (level_gate.c). */
double cansim_level_block(const double *e, size_t k, size_t hop);

/* BS.1770's gate over the blocks of frame energies e (n_e frames): the least block mean square
 * that passes both the absolute and the relative gate, HUGE_VAL when no block does. */
double cansim_level_gate(const double *e, size_t n_e, size_t hop);

#endif
